/**
 * What a validated binding resolves to before any SQL is written: the object, the one filter, the
 * projection (with at most one foreign-key hop), and for writes the values per column. The binder in
 * core produces it from the discovered schema; each engine compiles it once into a frozen statement.
 */
import type { FieldType, SchemaField, SchemaObject } from '../types.ts';

/** A value a statement binds: a caller parameter, or an operator-given constant. */
export type PlanValue = { param: string } | { const: string | number | boolean | null };

/** One LEFT JOIN along a many-to-one (or one-to-one) foreign key. */
export interface PlanJoin {
  alias: string;
  relationship: string;
  target: SchemaObject;
  /** Pairs of [column on the bound object, column on the target]. */
  on: [string, string][];
}

export interface PlanOutput {
  name: string;
  /** null: a column of the bound object; else the alias of the join it comes through. */
  join: string | null;
  field: SchemaField;
}

interface PlanBase {
  object: SchemaObject;
  outputs: PlanOutput[];
  joins: PlanJoin[];
}

export interface ReadPlan extends PlanBase {
  mode: 'read';
  filter: { field: SchemaField; param: string };
  rowCap: number;
}

export interface InsertPlan extends PlanBase {
  mode: 'insert';
  values: { field: SchemaField; value: PlanValue }[];
}

export interface UpdatePlan extends PlanBase {
  mode: 'update';
  key: { field: SchemaField; param: string };
  values: { field: SchemaField; value: PlanValue }[];
}

export type BindingPlan = ReadPlan | InsertPlan | UpdatePlan;

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

export interface CompiledOutput {
  name: string;
  type: FieldType;
  /** The JSON type the caller receives (bigint columns come back as exact strings). */
  jsonType: 'string' | 'integer' | 'number' | 'boolean';
  nullable: boolean;
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
