/**
 * Validates a binding body against the scoped discovered schema and resolves it into a plan. Every
 * problem is collected (one errors[] entry each) so an operator fixes a binding in one round.
 */
import type { BindingPlan, PlanJoin, PlanOutput, PlanValue } from '../providers/sql-common/compile-plan.ts';
import type { SchemaField, SchemaObject, SchemaOperation } from '../providers/types.ts';
import { type BindingBody, type BindingTarget, DEFAULT_ROW_CAP, Problems, SENSITIVE_WRITE } from './bindings-model.ts';
import { BINDABLE_TYPES, type ParamUse } from './bindings-params.ts';
import type { SchemaIndex } from './bindings-resolve.ts';
import { checkParam, checkParamTypes, constProblem } from './bindings-values.ts';
import { resolveProjection } from './bindings-projection.ts';

export interface ValidatedBinding {
  plan: BindingPlan | null;
  uses: ParamUse[];
  problems: Problems;
  operation: SchemaOperation | null;
}

type Mode = 'read' | 'insert' | 'update';

const scalar = (f: SchemaField) => BINDABLE_TYPES.has(f.type) && !f.isArray;

/** Resolves the operation, explaining a miss (blocked, unindexed, unknown) and naming its object when known. */
function resolveOperation(ix: SchemaIndex, body: BindingBody, target: BindingTarget, p: Problems): { op: SchemaOperation | null; object: SchemaObject | null } {
  const op = ix.operation(body.operation);
  if (op) return { op, object: null };
  const objectName = ix.objectOfOperation(body.operation);
  const found = objectName ? ix.object(objectName) : null;
  if (found && !found.ok) {
    p.add('operation', found.message);
    return { op: null, object: null };
  }
  if (found?.ok) {
    const object = found.value;
    const suffix = body.operation.slice(object.name.length + 1);
    const search = /^search_by_(.+)$/.exec(suffix);
    const field = search ? object.fields.find((f) => f.name === search[1]) : undefined;
    if (field && target.indexedFilter && !field.leadingIndex) {
      p.add('operation', unindexedMessage(object, field, target));
      return { op: null, object };
    }
    const blocked = ix.blockedFieldsOf(object.name);
    if (blocked.length && (search || ['insert', 'update', 'get'].includes(suffix))) {
      p.add('operation', `"${body.operation.slice(0, 128)}" is hidden because the operator's scoping blocks ${blocked.slice(0, 5).join(', ')}`);
      return { op: null, object };
    }
    const ops = ix.operationsOf(object.name).map((o) => o.name);
    p.add('operation', `${object.name} has no operation "${suffix.slice(0, 64)}"; it has ${ops.join(', ') || 'none this connection may use'}`);
    return { op: null, object };
  }
  p.add('operation', `no operation "${body.operation.slice(0, 128)}" in the discovered schema (see GET /integrations/{kind}/operations)`);
  return { op: null, object: null };
}

export function unindexedMessage(object: SchemaObject, field: SchemaField, target: BindingTarget): string {
  const ddl = target.indexHint?.(object, field);
  return `${object.name}.${field.name} is not the leading column of any index, so filtering on it would scan the table${ddl ? `; this index would make it bindable: ${ddl}` : ''}`;
}

function modeOf(op: SchemaOperation, p: Problems): Mode | null {
  if (op.kind === 'read') return 'read';
  if (op.verb === 'insert' || op.verb === 'update') return op.verb;
  p.add('operation', `${op.name} is a ${op.verb} operation, which bindings do not support (insert and update only)`);
  return null;
}

function validateRead(ix: SchemaIndex, body: BindingBody, op: SchemaOperation, object: SchemaObject, target: BindingTarget, p: Problems, uses: ParamUse[]) {
  const inputs = body.inputs ?? [];
  if (inputs.length !== 1) p.add('inputs', `a read takes exactly one filter on an indexed column; got ${inputs.length}`);
  if (body.inputObjectMap?.length) p.add('inputObjectMap', 'only write bindings take an inputObjectMap');
  if (body.keyColumn !== undefined || body.keyParam !== undefined) p.add('keyColumn', 'only update bindings take keyColumn and keyParam');
  let filter: { field: SchemaField; param: string } | null = null;
  inputs.forEach((input, i) => {
    checkParam(input.param, `inputs[${i}].param`, p);
    const found = ix.field(object, input.arg);
    if (!found.ok) return p.add(`inputs[${i}].arg`, found.message);
    const field = found.value;
    if (!scalar(field)) return p.add(`inputs[${i}].arg`, `${object.name}.${field.name} is a ${field.isArray ? 'array' : field.type} column; a filter must be a scalar`);
    if (field.pii === 'credential') return p.add(`inputs[${i}].arg`, `${object.name}.${field.name} holds credentials and cannot be looked up by an agent`);
    if (target.indexedFilter && !field.leadingIndex) return p.add(`inputs[${i}].arg`, unindexedMessage(object, field, target));
    if (!op.args.some((a) => a.name === field.name)) {
      const alt = ix.operationsOf(object.name).find((o) => o.kind === 'read' && o.args.length === 1 && o.args[0].name === field.name);
      return p.add(`inputs[${i}].arg`, `${op.name} filters on ${op.args.map((a) => a.name).join(', ')}, not ${field.name}${alt ? `; use ${alt.name}` : ''}`);
    }
    uses.push({ param: input.param, field, object, role: 'filter', at: `inputs[${i}].param` });
    filter ??= { field, param: input.param };
  });
  if (!body.projection?.length) p.add('projection', 'a read must return at least one field');
  const { outputs, joins } = resolveProjection(ix, object, body.projection ?? [], p);
  if (!filter || inputs.length !== 1) return null;
  return { mode: 'read' as const, object, filter, outputs, joins, rowCap: body.maxRows ?? DEFAULT_ROW_CAP };
}

function resolveValues(ix: SchemaIndex, body: BindingBody, op: SchemaOperation, object: SchemaObject, mode: Mode, p: Problems, uses: ParamUse[]) {
  const values: { field: SchemaField; value: PlanValue }[] = [];
  const seen = new Set<string>();
  (body.inputObjectMap ?? []).forEach((entry, i) => {
    const at = `inputObjectMap[${i}]`;
    const hasParam = 'param' in entry && entry.param !== undefined;
    const hasConst = 'const' in entry;
    if (hasParam === hasConst) p.add(at, 'give either a param or a const');
    const found = ix.field(object, entry.field);
    if (!found.ok) return p.add(`${at}.field`, found.message);
    const field = found.value;
    if (seen.has(field.name)) return p.add(`${at}.field`, `${field.name} is bound twice`);
    seen.add(field.name);
    if (field.pii && SENSITIVE_WRITE.has(field.pii)) {
      return p.add(`${at}.field`, `${object.name}.${field.name} holds ${field.pii.replace('_', ' ')} data, which a skill may never write`);
    }
    if (!scalar(field)) return p.add(`${at}.field`, `${object.name}.${field.name} is a ${field.isArray ? 'array' : field.type} column; only scalar columns can be written`);
    if (field.generated) return p.add(`${at}.field`, `${object.name}.${field.name} is generated by the database and cannot be written`);
    if (mode === 'update' && field.name === body.keyColumn) return p.add(`${at}.field`, `${field.name} is the key that picks the row; it cannot also be changed`);
    if (!op.args.some((a) => a.name === field.name)) {
      return p.add(`${at}.field`, `${object.name}.${field.name} cannot be written through ${op.name} (no privilege, or not writable)`);
    }
    if (hasParam && !hasConst) {
      const param = (entry as { param: string }).param;
      if (!checkParam(param, `${at}.param`, p)) return;
      const optional = mode === 'insert' && field.nullable;
      uses.push({ param, field, object, role: 'value', optional, at: `${at}.param` });
      values.push({ field, value: { param } });
    } else if (hasConst && !hasParam) {
      const value = (entry as { const: string | number | boolean | null }).const;
      const problem = constProblem(field, value);
      if (problem) return p.add(`${at}.const`, problem);
      values.push({ field, value: { const: value } });
    }
  });
  if (mode === 'insert') {
    for (const arg of op.args) {
      if (arg.required && !seen.has(arg.name)) {
        p.add('inputObjectMap', `missing required field ${object.name}.${arg.name} (NOT NULL without a default): bind it to a param or a const`);
      }
    }
  }
  return values;
}

function validateWrite(ix: SchemaIndex, body: BindingBody, op: SchemaOperation, object: SchemaObject, mode: 'insert' | 'update', p: Problems, uses: ParamUse[]) {
  if (body.inputs?.length) p.add('inputs', 'write bindings take inputObjectMap (and keyColumn/keyParam for an update), not inputs');
  if (body.maxRows !== undefined) p.add('maxRows', 'only reads have a row cap');
  let key: { field: SchemaField; param: string } | null = null;
  if (mode === 'update') {
    if (body.keyColumn === undefined) p.add('keyColumn', 'an update needs keyColumn: a single-column unique key or primary key that picks the row');
    if (body.keyParam === undefined) p.add('keyParam', 'an update needs keyParam: the parameter that carries the key value');
    if (body.keyColumn !== undefined) {
      const found = ix.field(object, body.keyColumn);
      if (!found.ok) p.add('keyColumn', found.message);
      else {
        const f = found.value;
        const singlePk = object.primaryKey.length === 1 && object.primaryKey[0] === f.name;
        if (!(f.unique || singlePk)) p.add('keyColumn', `${object.name}.${f.name} is not a single-column unique key or primary key, so it could match several rows`);
        else if (!scalar(f)) p.add('keyColumn', `${object.name}.${f.name} is not a scalar column`);
        else if (body.keyParam !== undefined && checkParam(body.keyParam, 'keyParam', p)) {
          key = { field: f, param: body.keyParam };
          uses.push({ param: body.keyParam, field: f, object, role: 'key', at: 'keyParam' });
        }
      }
    } else if (body.keyParam !== undefined) checkParam(body.keyParam, 'keyParam', p);
    if (!body.inputObjectMap?.length) p.add('inputObjectMap', 'an update must change at least one field');
  } else if (body.keyColumn !== undefined || body.keyParam !== undefined) {
    p.add('keyColumn', 'only update bindings take keyColumn and keyParam');
  }
  const values = resolveValues(ix, body, op, object, mode, p, uses);
  if (mode === 'insert' && !values.length && !body.inputObjectMap?.length) p.add('inputObjectMap', 'an insert must bind at least one field');
  const written = [...(key ? [key.field] : []), ...values.map((v) => v.field)];
  const defaults = body.projection?.length ? body.projection : defaultWriteProjection(object, written);
  const { outputs, joins } = resolveProjection(ix, object, defaults, p);
  if (mode === 'update') return key ? { mode, object, key, values, outputs, joins } : null;
  return { mode, object, values, outputs, joins };
}

/** A write with no projection hands back the primary key, the key it was picked by, and what it wrote. */
function defaultWriteProjection(object: SchemaObject, written: SchemaField[]) {
  const names = [...new Set([...object.primaryKey, ...written.map((f) => f.name)])];
  return names
    .map((n) => object.fields.find((f) => f.name === n))
    .filter((f): f is SchemaField => Boolean(f) && scalar(f!) && f!.pii !== 'credential')
    .map((f) => ({ path: [f.name], as: /^[a-zA-Z_][a-zA-Z0-9_]{0,63}$/.test(f.name) ? f.name : `field_${f.name.replace(/[^a-zA-Z0-9_]/g, '_')}`.slice(0, 64) }));
}

export function validateBinding(ix: SchemaIndex, body: BindingBody, target: BindingTarget): ValidatedBinding {
  const p = new Problems();
  const uses: ParamUse[] = [];
  const { op, object: known } = resolveOperation(ix, body, target, p);
  // The object is known even when the operation is not usable: its projection is still checked.
  if (!op && known) resolveProjection(ix, known, body.projection ?? [], p);
  const mode = op ? modeOf(op, p) : null;
  const objectFound = op ? ix.object(op.object) : null;
  if (objectFound && !objectFound.ok) p.add('operation', objectFound.message);
  if (!op || !mode || !objectFound?.ok) return { plan: null, uses, problems: p, operation: op };
  const object = objectFound.value;
  if (body.isWrite !== undefined && body.isWrite !== (mode !== 'read')) {
    p.add('isWrite', `${op.name} is a ${mode === 'read' ? 'read' : 'write'}; isWrite must be ${mode !== 'read'} or left out`);
  }
  const plan = mode === 'read' ? validateRead(ix, body, op, object, target, p, uses) : validateWrite(ix, body, op, object, mode, p, uses);
  checkParamTypes(uses, p);
  return { plan: p.list.length ? null : (plan as BindingPlan | null), uses, problems: p, operation: op };
}

export type { PlanJoin, PlanOutput };
