/**
 * Discovery: the Admin API's introspection normalized into the same catalog as SQL. Objects are the
 * object types reachable from QueryRoot (connection, edge and page-info wrappers unwrapped); fields
 * are their scalars and enums; relationships are object-typed fields and connections; operations
 * are QueryRoot reads (by id, and one search per documented search field of a connection's
 * `query:`) and mutations as writes. One pass over the types, no per-type requests.
 */
import { classifyPii } from '../pii.ts';
import type {
  NormalizedSchema,
  ProviderContext,
  SchemaField,
  SchemaObject,
  SchemaRelationship,
} from '../types.ts';
import { connectionAuth, shopifyGraphql } from './client.ts';
import {
  fieldTypeOf,
  INTROSPECTION_QUERY,
  type IntroField,
  type IntroSchema,
  type IntroType,
  unwrap,
} from './introspection.ts';
import { operationsOf } from './operations.ts';

/** Root-level and wrapper types are plumbing, not business objects. */
const isWrapper = (name: string) => /(Connection|Edge)$/.test(name) || name === 'PageInfo';

export async function discoverShopify(
  credentials: Record<string, unknown>,
  ctx: ProviderContext,
): Promise<NormalizedSchema> {
  const data = await shopifyGraphql(
    ctx,
    connectionAuth(credentials, ctx),
    { query: INTROSPECTION_QUERY },
    {
      maxRetries: 3,
      maxWaitMs: 10_000,
      baseBackoffMs: 500,
    },
  );
  return normalizeIntrospection(data.__schema as IntroSchema);
}

/** A field selectable without arguments: every argument optional or defaulted. */
const selectable = (f: IntroField) =>
  f.args.every((a) => a.type.kind !== 'NON_NULL' || a.defaultValue !== null);

export function normalizeIntrospection(schema: IntroSchema): NormalizedSchema {
  const types = new Map(schema.types.map((t) => [t.name, t]));
  const nodeOf = (name: string): string | null => {
    // A connection's node type, from its `nodes` (or `edges { node }`) field.
    const conn = types.get(name);
    const nodes = conn?.fields?.find((f) => f.name === 'nodes');
    if (nodes) return unwrap(nodes.type).name;
    const edge = types.get(
      unwrap(conn?.fields?.find((f) => f.name === 'edges')?.type ?? { kind: '', name: '', ofType: null })
        .name,
    );
    const node = edge?.fields?.find((f) => f.name === 'node');
    return node ? unwrap(node.type).name : null;
  };
  // Object types reachable from QueryRoot.
  const target = (f: IntroField): { name: string; shape: 'object' | 'list' | 'connection' } | null => {
    const u = unwrap(f.type);
    if (u.kind !== 'OBJECT') return null;
    if (/Connection$/.test(u.name)) {
      const node = nodeOf(u.name);
      return node && types.get(node)?.kind === 'OBJECT' ? { name: node, shape: 'connection' } : null;
    }
    return isWrapper(u.name) ? null : { name: u.name, shape: u.list ? 'list' : 'object' };
  };
  const root = types.get(schema.queryType.name)!;
  const reachable = new Set<string>();
  const queue: string[] = [];
  for (const f of root.fields ?? []) {
    const t = target(f);
    if (t && !reachable.has(t.name)) {
      reachable.add(t.name);
      queue.push(t.name);
    }
  }
  while (queue.length) {
    const t = types.get(queue.pop()!)!;
    for (const f of t.fields ?? []) {
      if (!selectable(f)) continue;
      const to = target(f);
      if (to && !reachable.has(to.name) && to.name !== schema.queryType.name) {
        reachable.add(to.name);
        queue.push(to.name);
      }
    }
  }

  const ops = operationsOf(schema, types, reachable, nodeOf);
  const searchable = new Map<string, Set<string>>();
  for (const op of ops) {
    if (op.verb !== 'search') continue;
    const set = searchable.get(op.object) ?? new Set<string>();
    set.add(op.args[0].name);
    searchable.set(op.object, set);
  }
  const objects: SchemaObject[] = [];
  const relationships: SchemaRelationship[] = [];
  for (const name of [...reachable].sort()) {
    const t = types.get(name)!;
    const search = searchable.get(name) ?? new Set<string>();
    const fields: SchemaField[] = [];
    for (const f of t.fields ?? []) {
      if (!selectable(f)) continue;
      const field = scalarField(f, types, name, search);
      if (field) {
        fields.push(field);
        continue;
      }
      const to = target(f);
      if (!to || !reachable.has(to.name)) continue;
      relationships.push({
        name: `${name}.${f.name}`,
        from: { object: name, fields: [f.name] },
        to: {
          object: to.name,
          fields: types.get(to.name)?.fields?.some((x) => x.name === 'id') ? ['id'] : [],
        },
        cardinality: to.shape === 'object' ? 'many_to_one' : 'one_to_many',
        meta: { graphql: to.shape, first: f.args.some((a) => a.name === 'first') },
      });
    }
    const objectOps = ops.filter((o) => o.object === name);
    const capabilities: SchemaObject['capabilities'] = ['read'];
    if (objectOps.some((o) => o.verb === 'search')) capabilities.push('search');
    if (objectOps.some((o) => o.verb === 'insert')) capabilities.push('create');
    if (objectOps.some((o) => o.verb === 'update')) capabilities.push('update');
    const hasId = fields.some((f) => f.name === 'id');
    objects.push({
      name,
      label: name.replace(/([a-z0-9])([A-Z])/g, '$1 $2'),
      kind: 'graphql_type',
      fields,
      capabilities,
      primaryKey: hasId ? ['id'] : [],
    });
  }
  return { objects, relationships, operations: ops };
}

function scalarField(
  f: IntroField,
  types: Map<string, IntroType>,
  object: string,
  search: Set<string>,
): SchemaField | null {
  const u = unwrap(f.type);
  if (u.kind !== 'SCALAR' && u.kind !== 'ENUM') return null;
  const enumValues = u.kind === 'ENUM' ? (types.get(u.name)?.enumValues ?? []).map((v) => v.name) : undefined;
  const type = fieldTypeOf(u.name, u.kind);
  const isId = f.name === 'id' && u.name === 'ID';
  return {
    name: f.name,
    type,
    nativeType: u.name,
    ...(enumValues ? { enumValues } : {}),
    ...(u.list ? { isArray: true } : {}),
    nullable: !u.nonNull,
    primaryKey: isId,
    unique: isId,
    // A documented search field (or the id) is what Shopify looks records up by cheaply.
    leadingIndex: isId || search.has(f.name),
    ...(f.isDeprecated ? { deprecated: true } : {}),
    pii: isId ? null : classifyPii({ name: f.name, type, objectName: object }),
  };
}
