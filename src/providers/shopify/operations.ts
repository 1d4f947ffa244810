/**
 * The operations of the Admin schema: QueryRoot fields that fetch one record by id (`Order.get`),
 * one search per documented search field of a connection's `query:` (`Order.search_by_email`), and
 * mutations whose payload returns a discovered object (`Order.orderUpdate`, writes).
 */
import type { OperationArg, SchemaOperation } from '../types.ts';
import { fieldTypeOf, type IntroSchema, type IntroType, unwrap } from './introspection.ts';
import { searchFieldsOf } from './search-fields.ts';

/** Where a write's values go: each flattened argument is a field of one input object argument, or a root argument. */
export interface MutationLayout {
  root: string;
  /** The input-object argument, with its GraphQL type (e.g. `input: OrderInput!`). */
  input: { arg: string; type: string } | null;
  /** Root scalar arguments besides it (e.g. `id: ID!`), with their GraphQL types. */
  scalars: { arg: string; type: string }[];
  /** The payload field that returns the object. */
  payloadField: string;
}

const gqlType = (t: { kind: string; name: string | null; ofType: unknown }): string => {
  // Rebuilds the declared type (`ID!`, `[String!]`) for variable definitions.
  const ref = t as { kind: string; name: string | null; ofType: typeof t | null };
  if (ref.kind === 'NON_NULL') return `${gqlType(ref.ofType!)}!`;
  if (ref.kind === 'LIST') return `[${gqlType(ref.ofType!)}]`;
  return ref.name ?? '';
};

export function operationsOf(
  schema: IntroSchema,
  types: Map<string, IntroType>,
  reachable: Set<string>,
  nodeOf: (connection: string) => string | null,
): SchemaOperation[] {
  const ops: SchemaOperation[] = [];
  const seen = new Set<string>();
  const push = (op: SchemaOperation) => {
    if (seen.has(op.name)) return;
    seen.add(op.name);
    ops.push(op);
  };
  for (const f of types.get(schema.queryType.name)?.fields ?? []) {
    const u = unwrap(f.type);
    if (u.kind !== 'OBJECT') continue;
    const idArg = f.args.find((a) => a.name === 'id' && a.type.kind === 'NON_NULL');
    if (
      !u.list &&
      reachable.has(u.name) &&
      idArg &&
      f.args.every((a) => a === idArg || a.type.kind !== 'NON_NULL')
    ) {
      push({
        name: `${u.name}.get`,
        object: u.name,
        kind: 'read',
        verb: 'get',
        args: [{ name: 'id', type: 'string', required: true }],
        returns: u.name,
        meta: { root: f.name },
      });
      continue;
    }
    const query = f.args.find((a) => a.name === 'query');
    const node = /Connection$/.test(u.name) ? nodeOf(u.name) : null;
    if (!query || !node || !reachable.has(node) || !f.args.some((a) => a.name === 'first')) continue;
    for (const sf of searchFieldsOf(query.description)) {
      push({
        name: `${node}.search_by_${sf.name}`,
        object: node,
        kind: 'read',
        verb: 'search',
        args: [{ name: sf.name, type: sf.type, required: true }],
        returns: `${node}[]`,
        meta: { root: f.name, searchField: sf.name },
      });
    }
  }
  const mutation = schema.mutationType ? types.get(schema.mutationType.name) : undefined;
  for (const m of mutation?.fields ?? []) {
    const verb = /(Create|Update)$/.exec(m.name)?.[1];
    if (!verb) continue;
    const payload = types.get(unwrap(m.type).name);
    const out = payload?.fields?.find((f) => {
      const u = unwrap(f.type);
      return u.kind === 'OBJECT' && !u.list && reachable.has(u.name);
    });
    if (!out) continue;
    const object = unwrap(out.type).name;
    const args: OperationArg[] = [];
    const layout: MutationLayout = { root: m.name, input: null, scalars: [], payloadField: out.name };
    // A required value a binding cannot give (a list, a nested input) would make every call invalid:
    // such a mutation is not offered at all.
    const unbindable = (t: { kind: string; ofType: unknown }, defaultValue: string | null) =>
      t.kind === 'NON_NULL' && defaultValue === null;
    let offered = true;
    for (const a of m.args) {
      const u = unwrap(a.type);
      if (u.kind === 'INPUT_OBJECT' && !u.list && !layout.input) {
        layout.input = { arg: a.name, type: gqlType(a.type) };
        for (const field of types.get(u.name)?.inputFields ?? []) {
          const fu = unwrap(field.type);
          if ((fu.kind !== 'SCALAR' && fu.kind !== 'ENUM') || fu.list) {
            if (unbindable(field.type, field.defaultValue)) offered = false;
            continue;
          }
          args.push({
            name: field.name,
            type: fieldTypeOf(fu.name, fu.kind),
            required: field.type.kind === 'NON_NULL',
          });
        }
      } else if ((u.kind === 'SCALAR' || u.kind === 'ENUM') && !u.list) {
        layout.scalars.push({ arg: a.name, type: gqlType(a.type) });
        args.push({ name: a.name, type: fieldTypeOf(u.name, u.kind), required: a.type.kind === 'NON_NULL' });
      } else if (unbindable(a.type, a.defaultValue)) offered = false;
    }
    if (!offered) continue;
    push({
      name: `${object}.${m.name}`,
      object,
      kind: 'write',
      verb: verb === 'Create' ? 'insert' : 'update',
      args,
      returns: object,
      meta: { ...layout },
    });
  }
  return ops;
}
