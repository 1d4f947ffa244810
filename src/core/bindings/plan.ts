/**
 * What core's relational binder resolves a binding to before any provider compiles it: the object,
 * the one filter, the projection (with at most one many-to-one hop), and for writes the values per
 * field. A provider's binding target compiles it once (SQL: a frozen statement); a provider with
 * its own binder (`BindingTarget.validate`) has its own plan, which shares only `mode`.
 */
import type { FieldType, SchemaField, SchemaObject } from '../../providers/types.ts';

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
  /** `match` only when case-insensitive: an exact filter compiles as it always did. */
  filter: { field: SchemaField; param: string; match?: 'case_insensitive' };
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

/** What the caller receives for one output: shown in the bind answer and the tool description. */
export interface OutputShape {
  name: string;
  type: FieldType;
  /** The JSON type the caller receives (bigint columns come back as exact strings). */
  jsonType: 'string' | 'integer' | 'number' | 'boolean';
  nullable: boolean;
  /** A list of values (a GraphQL connection projected through). */
  list?: boolean;
}
