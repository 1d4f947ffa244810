/** The binding body of SPEC §7 and what a binding target (a provider kind) contributes to binding. */
import type { FieldError } from '../../errors.ts';
import type { SchemaField, SchemaObject, SchemaOperation } from '../../providers/types.ts';
import type { ParamUse } from './params.ts';
import type { OutputShape } from './plan.ts';
import type { SchemaIndex } from './resolve.ts';

export type ObjectMapEntry =
  | { field: string; param: string }
  | { field: string; const: string | number | boolean | null };

export interface BindingBody {
  toolName: string;
  description?: string;
  operation: string;
  inputs?: { param: string; arg: string }[];
  projection?: { path: string[]; as?: string }[];
  isWrite?: boolean;
  enabled?: boolean;
  inputObjectMap?: ObjectMapEntry[];
  keyColumn?: string;
  keyParam?: string;
  /** Row cap of a read (default 10). */
  maxRows?: number;
  /**
   * How a read's text filter compares: `exact` (the default) or `case_insensitive` ("Smith" finds
   * "SMITH"), offered where an index serves it (the binding target's `caseInsensitive`).
   */
  match?: FilterMatch;
}

export type FilterMatch = 'exact' | 'case_insensitive';

/** A binding as it was accepted: defaults filled in, output names resolved. */
export interface NormalizedBinding {
  toolName: string;
  description: string;
  operation: string;
  isWrite: boolean;
  enabled: boolean;
  inputs: { param: string; arg: string }[];
  projection: { path: string[]; as: string }[];
  inputObjectMap?: ObjectMapEntry[];
  keyColumn?: string;
  keyParam?: string;
  maxRows?: number;
  match?: FilterMatch;
}

/** Every plan says what it does; the rest is the binder's and its compiler's business. */
export interface PlanMode {
  mode: 'read' | 'insert' | 'update';
  /** Reads: the most records one call returns. */
  rowCap?: number;
}

export interface ValidatedBinding {
  plan: PlanMode | null;
  uses: ParamUse[];
  problems: Problems;
  operation: SchemaOperation | null;
}

/**
 * What a provider contributes to binding (`ProviderModule.bindingTarget`). Core's relational binder
 * (one filter, one-hop joins, single-row writes) validates unless the provider brings its own
 * `validate` (GraphQL paths through connections); the provider compiles the plan once, at bind time.
 */
export interface BindingTarget {
  /** Reads must filter on the leading column of an index (SQL): anything else scans the table. */
  indexedFilter: boolean;
  /** The DDL that would make a column a bindable filter, for the error that refuses it. */
  indexHint?(object: SchemaObject, field: SchemaField): string;
  /** The provider's own binder, replacing core's relational one; it must collect every problem. */
  validate?(index: SchemaIndex, body: BindingBody): ValidatedBinding;
  /** Compiles a valid plan (the one its own binder made, or core's relational one); may throw binding_invalid. */
  compile(plan: any): { compiled: unknown; outputs: OutputShape[] };
  /** The model-facing description of a plan, when the provider words it better than core. */
  describe?(plan: any): string;
  /**
   * Whether a case-insensitive filter on `field` is served by an index: null when it is, else why not
   * (with the DDL that would make it so). Targets without it offer exact matching only.
   */
  caseInsensitive?(object: SchemaObject, field: SchemaField): string | null;
  /** Operator settings a new binding skill starts with (e.g. a statement timeout). */
  executionConfig?: Record<string, unknown>;
}

export const DEFAULT_ROW_CAP = 10;
export const MAX_ROW_CAP = 50;
/** Parameter and output names: safe as JSON Schema property names in every tool format. */
export const SAFE_NAME = /^[a-zA-Z_][a-zA-Z0-9_]{0,63}$/;
/** The host's gate flags: MCP drops them from a model's arguments (routes/mcp.ts), so no parameter may take them. */
export const RESERVED_PARAMS = new Set(['confirmed', 'callerVerified']);
/** Classes never written by a binding (SPEC §7); credentials are not even read back. */
export const SENSITIVE_WRITE = new Set(['government_id', 'payment_card', 'credential', 'date_of_birth']);

export class Problems {
  readonly list: FieldError[] = [];
  add(field: string, message: string): void {
    this.list.push({ field, message: message.slice(0, 600) });
  }
}
