/** The binding body of SPEC §7 and what a binding target (a provider kind) contributes to binding. */
import type { FieldError } from '../errors.ts';
import type { BindingPlan, CompiledOutput } from '../providers/sql-common/compile-plan.ts';
import type { SchemaField, SchemaObject } from '../providers/types.ts';

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
}

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
}

/**
 * What differs per provider kind. SQL kinds require an indexed filter and compile to a frozen
 * statement; another provider plugs in with its own rules and compiler.
 */
export interface BindingTarget {
  kind: string;
  /** Reads must filter on the leading column of an index (SQL): anything else scans the table. */
  indexedFilter: boolean;
  /** The DDL that would make a column a bindable filter, for the error that refuses it. */
  indexHint?(object: SchemaObject, field: SchemaField): string;
  /** Compiles a valid plan; may throw binding_invalid for engine-specific refusals. */
  compile(plan: BindingPlan): { compiled: unknown; outputs: CompiledOutput[] };
}

export const DEFAULT_ROW_CAP = 10;
export const MAX_ROW_CAP = 50;
/** Parameter and output names: safe as JSON Schema property names in every tool format. */
export const SAFE_NAME = /^[a-zA-Z_][a-zA-Z0-9_]{0,63}$/;
/** MCP adds these to gated tools' input schema (tool-table.ts): a parameter may not take them. */
export const RESERVED_PARAMS = new Set(['confirmed', 'callerVerified']);
/** Classes never written by a binding (SPEC §7); credentials are not even read back. */
export const SENSITIVE_WRITE = new Set(['government_id', 'payment_card', 'credential', 'date_of_birth']);

export class Problems {
  readonly list: FieldError[] = [];
  add(field: string, message: string): void {
    this.list.push({ field, message: message.slice(0, 600) });
  }
}
