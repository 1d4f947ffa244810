/**
 * A GraphQL plan → one frozen document with variables only: field names come from the discovered
 * schema (checked against GraphQL's name grammar again here), every caller value is a variable,
 * and a search value is quoted at run time (search-string.ts) so it stays one term.
 */

import type { OutputShape } from '../../core/bindings/index.ts';
import { AppError } from '../../errors.ts';
import type { CompiledGraphql, CompiledOutputPath, GraphqlOutput, GraphqlPlan } from './binding-plan.ts';

/** Lists inside a projected record are capped: a tool answer is read aloud. */
export const LIST_CAP = 10;
const NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

const jsonTypeOf = (t: string): CompiledOutputPath['jsonType'] =>
  t === 'integer' ? 'integer' : t === 'number' ? 'number' : t === 'boolean' ? 'boolean' : 'string';

interface Node {
  children: Map<string, Node>;
  hop?: GraphqlOutput['hops'][number];
}

function selection(outputs: GraphqlOutput[], extra: string[]): string {
  const root: Node = { children: new Map() };
  for (const o of outputs) {
    let node = root;
    for (const hop of o.hops) {
      let next = node.children.get(hop.field);
      if (!next) {
        next = { children: new Map(), hop };
        node.children.set(hop.field, next);
      }
      node = next;
    }
    if (!node.children.has(o.leaf.name)) node.children.set(o.leaf.name, { children: new Map() });
  }
  const render = (node: Node): string =>
    [...node.children.entries()]
      .map(([name, child]) => {
        if (!NAME.test(name))
          throw new AppError('binding_invalid', `"${name.slice(0, 64)}" is not a GraphQL field name`);
        if (!child.hop) return name;
        const inner = render(child);
        const args = child.hop.first ? `(first: ${LIST_CAP})` : '';
        return child.hop.shape === 'connection'
          ? `${name}${args} { nodes { ${inner} } }`
          : `${name}${args} { ${inner} }`;
      })
      .join(' ');
  // The id keeps records apart even when no output names it; an exact-match field is checked on each answer.
  for (const name of extra) if (!root.children.has(name)) root.children.set(name, { children: new Map() });
  return render(root);
}

function outputPath(o: GraphqlOutput): CompiledOutputPath {
  const listAt = o.hops.findIndex((h) => h.shape !== 'object');
  return {
    name: o.name,
    path: [...o.hops.map((h) => h.field), o.leaf.name],
    listAt: listAt === -1 ? null : listAt,
    connectionAt: listAt !== -1 && o.hops[listAt].shape === 'connection' ? listAt : null,
    type: o.leaf.type,
    jsonType: jsonTypeOf(o.leaf.type),
    nullable: o.leaf.nullable || o.hops.length > 0,
  };
}

export function compileGraphql(plan: GraphqlPlan): {
  compiled: CompiledGraphql;
  outputs: OutputShape[];
} {
  const sel = selection(plan.outputs, [
    ...(plan.hasId ? ['id'] : []),
    ...(plan.exactMatch ? [plan.exactMatch.field] : []),
  ]);
  const outputs = plan.outputs.map(outputPath);
  let document: string;
  let values: CompiledGraphql['values'];
  const a = plan.access;
  if (a.kind === 'get') {
    document = `query FlowyteBinding($id: ID!) { r: ${a.root}(id: $id) { ${sel} } }`;
  } else if (a.kind === 'search') {
    document = `query FlowyteBinding($q: String!, $n: Int!) { r: ${a.root}(first: $n, query: $q) { nodes { ${sel} } } }`;
  } else {
    const { layout } = a;
    const defs: string[] = [];
    const args: string[] = [];
    if (layout.input) {
      defs.push(`$input: ${layout.input.type}`);
      args.push(`${layout.input.arg}: $input`);
    }
    for (const s of layout.scalars) {
      defs.push(`$${s.arg}: ${s.type}`);
      args.push(`${s.arg}: $${s.arg}`);
    }
    document = `mutation FlowyteBinding(${defs.join(', ')}) { r: ${layout.root}(${args.join(', ')}) { o: ${layout.payloadField} { ${sel} } userErrors { field message } } }`;
    values = (plan.values ?? []).map((v) => ({
      input: !layout.scalars.some((s) => s.arg === v.arg),
      arg: v.arg,
      value: v.value,
    }));
  }
  const compiled: CompiledGraphql = {
    v: 1,
    engine: 'graphql',
    mode: plan.mode,
    document,
    access: a.kind === 'mutation' ? 'mutation' : a.kind,
    ...(a.kind === 'search' ? { searchField: a.searchField } : {}),
    ...(a.kind === 'get' ? { gidType: plan.object } : {}),
    ...(plan.exactMatch ? { exactMatch: plan.exactMatch } : {}),
    ...(plan.filterParam ? { filterParam: plan.filterParam } : {}),
    ...(plan.rowCap ? { rowCap: plan.rowCap } : {}),
    ...(values ? { values } : {}),
    outputs,
  };
  return {
    compiled,
    outputs: outputs.map((o) => ({
      name: o.name,
      type: o.type,
      jsonType: o.jsonType,
      nullable: o.nullable,

      ...(o.listAt !== null ? { list: true } : {}),
    })),
  };
}
