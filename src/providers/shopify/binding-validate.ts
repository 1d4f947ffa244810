/**
 * The Shopify binder: a discovered QueryRoot read (by id, or one documented search field) or a
 * mutation, mapped onto a skill. Projection paths go through objects, lists and connections (at
 * most one list per path, three hops); `userErrors` is never projectable; every problem is
 * collected so an operator fixes a binding in one round.
 */
import {
  BINDABLE_TYPES,
  type BindingBody,
  checkParam,
  checkParamTypes,
  closest,
  constProblem,
  type ParamUse,
  Problems,
  SAFE_NAME,
  type SchemaIndex,
  SENSITIVE_WRITE,
  type ValidatedBinding,
} from '../../core/bindings/index.ts';
import type { SchemaField, SchemaObject, SchemaOperation } from '../types.ts';
import type { Access, GraphqlOutput, GraphqlPlan, Hop, Shape } from './binding-plan.ts';
import type { MutationLayout } from './operations.ts';

export const DEFAULT_ROW_CAP = 5;
export const MAX_ROW_CAP = 25;
const MAX_HOPS = 3;

/** A search field that is not a field of the object (`sku` on orders) still needs a type for its parameter. */
function argField(object: SchemaObject, op: SchemaOperation, name: string): SchemaField {
  const own = object.fields.find((f) => f.name === name);
  if (own) return own;
  const arg = op.args.find((a) => a.name === name);
  return {
    name,
    type: arg?.type ?? 'string',
    nativeType: 'search field',
    nullable: false,
    primaryKey: false,
    unique: false,
    leadingIndex: true,
    pii: null,
  };
}

function resolvePath(
  ix: SchemaIndex,
  start: SchemaObject,
  path: unknown,
  at: string,
  p: Problems,
): Omit<GraphqlOutput, 'name'> | null {
  if (
    !Array.isArray(path) ||
    path.length < 1 ||
    path.length > MAX_HOPS + 1 ||
    path.some((s) => typeof s !== 'string' || !s)
  ) {
    p.add(at, `a path is 1 to ${MAX_HOPS + 1} field names`);
    return null;
  }
  if (path.includes('userErrors')) {
    p.add(at, 'userErrors is not projectable: a mutation that reports userErrors is answered as not applied');
    return null;
  }
  const hops: Hop[] = [];
  let current = start;
  for (const [i, segment] of (path as string[]).slice(0, -1).entries()) {
    const rel = ix.relationship(current, segment);
    if (!rel.ok) {
      p.add(`${at}[${i}]`, rel.message);
      return null;
    }
    const shape = (rel.value.meta?.graphql as Shape | undefined) ?? 'object';
    hops.push({ field: segment, shape, first: shape === 'connection' || rel.value.meta?.first === true });
    if (hops.filter((h) => h.shape !== 'object').length > 1) {
      p.add(`${at}[${i}]`, 'a path may go through at most one list or connection');
      return null;
    }
    const next = ix.object(rel.value.to.object);
    if (!next.ok) {
      p.add(`${at}[${i}]`, next.message);
      return null;
    }
    current = next.value;
  }
  const leafName = (path as string[])[path.length - 1];
  const leaf = ix.field(current, leafName);
  if (!leaf.ok) {
    const rel = current.fields.length ? ix.relationship(current, leafName) : null;
    p.add(
      `${at}[${path.length - 1}]`,
      rel?.ok ? `${current.name}.${leafName} is an object; name one of its fields after it` : leaf.message,
    );
    return null;
  }
  if (!BINDABLE_TYPES.has(leaf.value.type) || leaf.value.isArray) {
    p.add(
      `${at}[${path.length - 1}]`,
      `${current.name}.${leafName} is ${leaf.value.isArray ? 'a list' : leaf.value.type}; a leaf must be one scalar`,
    );
    return null;
  }
  if (leaf.value.pii === 'credential') {
    p.add(
      `${at}[${path.length - 1}]`,
      `${current.name}.${leafName} holds a credential and is never returned to an agent`,
    );
    return null;
  }
  return { hops, leaf: leaf.value };
}

function projection(ix: SchemaIndex, object: SchemaObject, body: BindingBody, p: Problems): GraphqlOutput[] {
  const items = body.projection?.length ? body.projection : [{ path: ['id'] }];
  const outputs: GraphqlOutput[] = [];
  for (const [i, item] of items.entries()) {
    const resolved = resolvePath(ix, object, item.path, `projection[${i}].path`, p);
    if (!resolved) continue;
    const name = item.as ?? item.path.join('_');
    if (!SAFE_NAME.test(name))
      p.add(`projection[${i}].as`, 'an output name holds only letters, digits and underscores (at most 64)');
    else if (outputs.some((o) => o.name === name))
      p.add(`projection[${i}].as`, `"${name}" is already an output`);
    else outputs.push({ name, ...resolved });
  }
  return outputs;
}

function operationOf(ix: SchemaIndex, body: BindingBody, p: Problems): SchemaOperation | null {
  const op = ix.operation(body.operation);
  if (op) return op;
  const near = closest(body.operation, ix.allOperationNames());
  p.add(
    'operation',
    `no operation "${body.operation.slice(0, 128)}" in the discovered schema${near.length ? `; did you mean ${near.join(', ')}?` : ''}`,
  );
  return null;
}

export function validateGraphqlBinding(ix: SchemaIndex, body: BindingBody): ValidatedBinding {
  const p = new Problems();
  const uses: ParamUse[] = [];
  const op = operationOf(ix, body, p);
  const found = op ? ix.object(op.object) : null;
  if (found && !found.ok) p.add('operation', found.message);
  if (!op || !found?.ok) return { plan: null, uses, problems: p, operation: op };
  const object = found.value;
  const isRead = op.kind === 'read';
  if (body.isWrite !== undefined && body.isWrite === isRead)
    p.add('isWrite', `${op.name} is a ${isRead ? 'read' : 'write'}; isWrite must be ${!isRead} or left out`);
  const outputs = projection(ix, object, body, p);
  const plan = isRead ? readPlan(op, object, body, p, uses) : writePlan(op, object, body, p, uses);
  checkParamTypes(uses, p);
  if (p.list.length || !plan) return { plan: null, uses, problems: p, operation: op };
  const full: GraphqlPlan = { ...plan, outputs, hasId: object.fields.some((f) => f.name === 'id') };
  return { plan: full, uses, problems: p, operation: op };
}

function readPlan(
  op: SchemaOperation,
  object: SchemaObject,
  body: BindingBody,
  p: Problems,
  uses: ParamUse[],
) {
  const inputs = body.inputs ?? [];
  if (inputs.length !== 1)
    p.add(
      'inputs',
      `a read takes exactly one input: ${op.args[0]?.name ?? 'its argument'}; got ${inputs.length}`,
    );
  if (body.inputObjectMap?.length) p.add('inputObjectMap', 'only write bindings take an inputObjectMap');
  const input = inputs[0];
  if (!input) return null;
  if (!checkParam(input.param, 'inputs[0].param', p)) return null;
  const arg = op.args[0]?.name;
  if (input.arg !== arg) {
    p.add('inputs[0].arg', `${op.name} looks up by ${arg}, not ${String(input.arg).slice(0, 64)}`);
    return null;
  }
  const field = argField(object, op, arg);
  uses.push({ param: input.param, field, object, role: 'filter', at: 'inputs[0].param' });
  const rowCap = body.maxRows ?? DEFAULT_ROW_CAP;
  if (!Number.isInteger(rowCap) || rowCap < 1 || rowCap > MAX_ROW_CAP)
    p.add('maxRows', `must be 1–${MAX_ROW_CAP}`);
  const meta = op.meta as { root: string; searchField?: string };
  const personal = op.verb === 'search' && object.fields.some((f) => f.name === arg) && field.pii;
  const exactMatch =
    personal === 'phone'
      ? { field: arg, match: 'digits' as const }
      : personal && field.type === 'string'
        ? { field: arg, match: 'text' as const }
        : undefined;
  const access: Access =
    op.verb === 'get'
      ? { kind: 'get', root: meta.root }
      : { kind: 'search', root: meta.root, searchField: meta.searchField! };
  return { mode: 'read' as const, rowCap, object: object.name, access, filterParam: input.param, exactMatch };
}

function writePlan(
  op: SchemaOperation,
  object: SchemaObject,
  body: BindingBody,
  p: Problems,
  uses: ParamUse[],
) {
  if (body.inputs?.length) p.add('inputs', 'a write takes its values in inputObjectMap');
  const entries = body.inputObjectMap ?? [];
  const values: NonNullable<GraphqlPlan['values']> = [];
  for (const [i, e] of entries.entries()) {
    const arg = op.args.find((a) => a.name === e.field);
    if (!arg) {
      p.add(
        `inputObjectMap[${i}].field`,
        `${op.name} takes no ${String(e.field).slice(0, 64)}; it takes ${op.args.map((a) => a.name).join(', ')}`,
      );
      continue;
    }
    const field = argField(object, op, arg.name);
    if (field.pii && SENSITIVE_WRITE.has(field.pii)) {
      p.add(
        `inputObjectMap[${i}].field`,
        `${object.name}.${field.name} holds ${field.pii.replace('_', ' ')} data, which bindings never write`,
      );
      continue;
    }
    if (values.some((v) => v.arg === arg.name)) {
      p.add(`inputObjectMap[${i}].field`, `${arg.name} is bound twice`);
      continue;
    }
    if ('param' in e) {
      if (!checkParam(e.param, `inputObjectMap[${i}].param`, p)) continue;
      uses.push({
        param: e.param,
        field,
        object,
        role: arg.name === 'id' ? 'key' : 'value',
        at: `inputObjectMap[${i}].param`,
      });
      values.push({ arg: arg.name, value: { param: e.param } });
    } else {
      const wrong = constProblem(field, e.const);
      if (wrong) p.add(`inputObjectMap[${i}].const`, wrong);
      else values.push({ arg: arg.name, value: { const: e.const } });
    }
  }
  for (const a of op.args.filter((x) => x.required)) {
    if (!values.some((v) => v.arg === a.name))
      p.add('inputObjectMap', `${op.name} needs ${a.name}: bind it to a parameter or a constant`);
  }
  if (!values.some((v) => v.arg !== 'id'))
    p.add('inputObjectMap', 'a write must set at least one field besides the id');
  const mode = op.verb === 'update' ? ('update' as const) : ('insert' as const);
  return {
    mode,
    object: object.name,
    access: { kind: 'mutation' as const, layout: op.meta as unknown as MutationLayout },
    values,
  };
}
