/** What a GraphQL binding resolves to (the Shopify binder's plan) and what it compiles to. */
import type { PlanValue } from '../../core/bindings/index.ts';
import type { FieldType, SchemaField } from '../types.ts';
import type { MutationLayout } from './operations.ts';

export type Shape = 'object' | 'list' | 'connection';

/** One object-typed hop of a projection path. */
export interface Hop {
  field: string;
  shape: Shape;
  /** The field takes `first` (connections always do). */
  first: boolean;
}

export interface GraphqlOutput {
  name: string;
  hops: Hop[];
  leaf: SchemaField;
}

export type Access =
  | { kind: 'get'; root: string }
  | { kind: 'search'; root: string; searchField: string }
  | { kind: 'mutation'; layout: MutationLayout };

export interface GraphqlPlan {
  mode: 'read' | 'insert' | 'update';
  rowCap?: number;
  object: string;
  access: Access;
  /** Reads: the caller parameter that feeds the id or the search field. */
  filterParam?: string;
  /** A search on a personal field of the object, which answers must equal exactly. */
  exactMatch?: { field: string; match: 'text' | 'digits' };
  /** The object has an `id` (selected always, to keep records apart). */
  hasId: boolean;
  /** Writes: mutation argument (flattened input field or root scalar) → value. */
  values?: { arg: string; value: PlanValue }[];
  outputs: GraphqlOutput[];
}

export interface CompiledOutputPath {
  name: string;
  /** Field names from the returned record to the leaf. */
  path: string[];
  /** Index in `path` of the hop that is a list (connection `nodes` or a list field), if any. */
  listAt: number | null;
  connectionAt: number | null;
  type: FieldType;
  jsonType: 'string' | 'integer' | 'number' | 'boolean';
  nullable: boolean;
}

/** The frozen document kept with the skill; only `kind` and the output shapes are ever shown. */
export interface CompiledGraphql {
  v: 1;
  engine: 'graphql';
  mode: 'read' | 'insert' | 'update';
  document: string;
  access: 'get' | 'search' | 'mutation';
  /** Reads by id: the type whose global id a bare number stands for (`1001` → gid://shopify/Order/1001). */
  gidType?: string;
  /** Searches on a personal field: the field each answer must equal (text case-insensitively, phones by digits). */
  exactMatch?: { field: string; match: 'text' | 'digits' };
  searchField?: string;
  filterParam?: string;
  rowCap?: number;
  /** Writes: where each value goes: a field of the input object variable, or a root variable. */
  values?: { input: boolean; arg: string; value: PlanValue }[];
  outputs: CompiledOutputPath[];
}
