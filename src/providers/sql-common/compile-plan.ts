/**
 * The SQL side of a binding: what core's relational plan (core/bindings/plan.ts) compiles to, frozen
 * with the skill and run by each engine.
 */
import type { OutputShape } from '../../core/bindings/index.ts';

export type {
  BindingPlan,
  InsertPlan,
  PlanJoin,
  PlanOutput,
  PlanValue,
  ReadPlan,
  UpdatePlan,
} from '../../core/bindings/index.ts';

/**
 * A bound value of a compiled statement, in placeholder order. `insertId`: MySQL's LAST_INSERT_ID().
 * `cast`: MySQL takes no ISO 8601 offsets, so date-times are rewritten (TIMESTAMP to UTC, DATETIME
 * to its wall-clock part) before binding.
 */
export type DatetimeCast = 'wall' | 'utc';
export type CompiledArg =
  | { param: string; cast?: DatetimeCast }
  | { const: string | number | boolean | null; cast?: DatetimeCast }
  | { insertId: true };

/** How a result value is turned into JSON, decided once at compile time. */
export type OutputConvert = 'none' | 'number' | 'boolean' | 'datetime' | 'datetime_utc' | 'binary';

export interface CompiledOutput extends OutputShape {
  convert: OutputConvert;
}

/**
 * The frozen statement stored with a skill. Never shown to API callers: only `kind` and `outputs`
 * are, so the SQL text stays server-side.
 */
export interface CompiledSql {
  v: 1;
  kind: string;
  engine: 'postgres' | 'mysql';
  mode: 'read' | 'insert' | 'update';
  object: string;
  /** PostgreSQL `$n` or MySQL `?` placeholders; every value is bound, none is spliced in. */
  sql: string;
  args: CompiledArg[];
  outputs: CompiledOutput[];
  /** Reads: the statement asks for rowCap + 1 rows so a cut result is detected. */
  rowCap?: number;
  /** MySQL writes: the written row read back by its key inside the same transaction. */
  reread?: { sql: string; args: CompiledArg[] };
  /** Content hash: the cache key of per-statement state at run time. */
  id: string;
}
