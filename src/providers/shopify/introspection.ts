/** The introspection query and the shapes of its answer this provider reads. */
import type { FieldType } from '../types.ts';

const SCALARS: Record<string, FieldType> = {
  ID: 'string',
  String: 'string',
  Int: 'integer',
  Float: 'number',
  Boolean: 'boolean',
  DateTime: 'datetime',
  Date: 'date',
  JSON: 'json',
};

/** The catalog type of a GraphQL scalar or enum; Shopify's own scalars (Decimal, Money, URL…) travel as strings. */
export const fieldTypeOf = (name: string, kind: string): FieldType =>
  kind === 'ENUM' ? 'enum' : (SCALARS[name] ?? 'string');

export interface TypeRef {
  kind: string;
  name: string | null;
  ofType: TypeRef | null;
}

export interface IntroField {
  name: string;
  description?: string | null;
  args: { name: string; description?: string | null; type: TypeRef; defaultValue: string | null }[];
  type: TypeRef;
  isDeprecated?: boolean;
}

export interface IntroType {
  kind: string;
  name: string;
  fields: IntroField[] | null;
  inputFields: { name: string; type: TypeRef; defaultValue: string | null }[] | null;
  enumValues: { name: string }[] | null;
}

export interface IntroSchema {
  queryType: { name: string };
  mutationType: { name: string } | null;
  types: IntroType[];
}

/** What a field's type is once NON_NULL and LIST are unwrapped. */
export interface Unwrapped {
  name: string;
  kind: string;
  nonNull: boolean;
  list: boolean;
}

export function unwrap(t: TypeRef): Unwrapped {
  let nonNull = false;
  let list = false;
  let cur: TypeRef | null = t;
  if (cur?.kind === 'NON_NULL') {
    nonNull = true;
    cur = cur.ofType;
  }
  while (cur && (cur.kind === 'NON_NULL' || cur.kind === 'LIST')) {
    if (cur.kind === 'LIST') list = true;
    cur = cur.ofType;
  }
  return { name: cur?.name ?? '', kind: cur?.kind ?? '', nonNull, list };
}

/**
 * Only what normalization reads: names, kinds, field types, arguments and their descriptions (the
 * search fields are documented there), input fields, enum values, deprecation. Leaner than
 * graphql-js's full introspection query, which Shopify prices the same but answers larger.
 */
export const INTROSPECTION_QUERY = `query FlowyteIntrospection {
  __schema {
    queryType { name }
    mutationType { name }
    types {
      kind name
      fields(includeDeprecated: true) {
        name isDeprecated
        args { name description defaultValue type { ...T } }
        type { ...T }
      }
      inputFields { name defaultValue type { ...T } }
      enumValues(includeDeprecated: true) { name }
    }
  }
}
fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } }`;
