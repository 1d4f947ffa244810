/**
 * Validates a binding body against the scoped discovered schema and resolves it into a plan. Every
 * problem is collected (one errors[] entry each) so an operator fixes a binding in one round.
 */

import type { SchemaField, SchemaObject, SchemaOperation } from '../../providers/types.ts';
import {
  type BindingBody,
  type BindingTarget,
  DEFAULT_ROW_CAP,
  Problems,
  type ValidatedBinding,
} from './model.ts';
import { BINDABLE_TYPES, type ParamUse } from './params.ts';
import type { BindingPlan } from './plan.ts';
import { resolveProjection } from './projection.ts';
import type { SchemaIndex } from './resolve.ts';
import { validateWrite } from './validate-write.ts';
import { checkParam, checkParamTypes } from './values.ts';

type Mode = 'read' | 'insert' | 'update';

const scalar = (f: SchemaField) => BINDABLE_TYPES.has(f.type) && !f.isArray;

/** Resolves the operation, explaining a miss (blocked, unindexed, unknown) and naming its object when known. */
function resolveOperation(
  ix: SchemaIndex,
  body: BindingBody,
  target: BindingTarget,
  p: Problems,
): { op: SchemaOperation | null; object: SchemaObject | null } {
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
      p.add(
        'operation',
        `"${body.operation.slice(0, 128)}" is hidden because the operator's scoping blocks ${blocked.slice(0, 5).join(', ')}`,
      );
      return { op: null, object };
    }
    const ops = ix.operationsOf(object.name).map((o) => o.name);
    p.add(
      'operation',
      `${object.name} has no operation "${suffix.slice(0, 64)}"; it has ${ops.join(', ') || 'none this connection may use'}`,
    );
    return { op: null, object };
  }
  p.add(
    'operation',
    `no operation "${body.operation.slice(0, 128)}" in the discovered schema (see GET /integrations/{kind}/operations)`,
  );
  return { op: null, object: null };
}

export function unindexedMessage(object: SchemaObject, field: SchemaField, target: BindingTarget): string {
  const ddl = target.indexHint?.(object, field);
  return `${object.name}.${field.name} is not the leading column of any index, so filtering on it would scan the table${ddl ? `; this index would make it bindable: ${ddl}` : ''}`;
}

function modeOf(op: SchemaOperation, p: Problems): Mode | null {
  if (op.kind === 'read') return 'read';
  if (op.verb === 'insert' || op.verb === 'update') return op.verb;
  p.add(
    'operation',
    `${op.name} is a ${op.verb} operation, which bindings do not support (insert and update only)`,
  );
  return null;
}

function validateRead(
  ix: SchemaIndex,
  body: BindingBody,
  op: SchemaOperation,
  object: SchemaObject,
  target: BindingTarget,
  p: Problems,
  uses: ParamUse[],
) {
  const inputs = body.inputs ?? [];
  if (inputs.length !== 1)
    p.add('inputs', `a read takes exactly one filter on an indexed column; got ${inputs.length}`);
  if (body.inputObjectMap?.length) p.add('inputObjectMap', 'only write bindings take an inputObjectMap');
  if (body.keyColumn !== undefined || body.keyParam !== undefined)
    p.add('keyColumn', 'only update bindings take keyColumn and keyParam');
  const caseInsensitive = body.match === 'case_insensitive';
  let filter: { field: SchemaField; param: string; match?: 'case_insensitive' } | null = null;
  for (const [i, input] of inputs.entries()) {
    checkParam(input.param, `inputs[${i}].param`, p);
    const found = ix.field(object, input.arg);
    if (!found.ok) {
      p.add(`inputs[${i}].arg`, found.message);
      continue;
    }
    const field = found.value;
    if (!scalar(field)) {
      p.add(
        `inputs[${i}].arg`,
        `${object.name}.${field.name} is a ${field.isArray ? 'array' : field.type} column; a filter must be a scalar`,
      );
      continue;
    }
    if (field.pii === 'credential') {
      p.add(
        `inputs[${i}].arg`,
        `${object.name}.${field.name} holds credentials and cannot be looked up by an agent`,
      );
      continue;
    }
    if (caseInsensitive) {
      const refused = target.caseInsensitive
        ? target.caseInsensitive(object, field)
        : 'this provider takes no match option; leave it out';
      if (refused) {
        p.add('match', refused);
        continue;
      }
    } else if (target.indexedFilter && !field.leadingIndex) {
      p.add(`inputs[${i}].arg`, unindexedMessage(object, field, target));
      continue;
    }
    if (!op.args.some((a) => a.name === field.name)) {
      const alt = ix
        .operationsOf(object.name)
        .find((o) => o.kind === 'read' && o.args.length === 1 && o.args[0].name === field.name);
      p.add(
        `inputs[${i}].arg`,
        `${op.name} filters on ${op.args.map((a) => a.name).join(', ')}, not ${field.name}${alt ? `; use ${alt.name}` : ''}`,
      );
      continue;
    }
    uses.push({ param: input.param, field, object, role: 'filter', at: `inputs[${i}].param` });
    filter ??= caseInsensitive
      ? { field, param: input.param, match: 'case_insensitive' }
      : { field, param: input.param };
  }
  if (!body.projection?.length) p.add('projection', 'a read must return at least one field');
  const { outputs, joins } = resolveProjection(ix, object, body.projection ?? [], p);
  if (!filter || inputs.length !== 1) return null;
  return { mode: 'read' as const, object, filter, outputs, joins, rowCap: body.maxRows ?? DEFAULT_ROW_CAP };
}

/** Validates with the target's own binder, or core's relational one. */
export function validateWith(ix: SchemaIndex, body: BindingBody, target: BindingTarget): ValidatedBinding {
  if (!target.validate) return validateBinding(ix, body, target);
  const validated = target.validate(ix, body);
  if (body.match !== 'case_insensitive') return validated;
  // A provider's own binder has no `match`: say so rather than ignore it.
  validated.problems.add('match', 'this provider takes no match option; leave it out');
  return { ...validated, plan: null };
}

/** Core's relational binder: one filter, one-hop joins, single-row writes. */
export function validateBinding(
  ix: SchemaIndex,
  body: BindingBody,
  target: BindingTarget,
): ValidatedBinding & { plan: BindingPlan | null } {
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
    p.add(
      'isWrite',
      `${op.name} is a ${mode === 'read' ? 'read' : 'write'}; isWrite must be ${mode !== 'read'} or left out`,
    );
  }
  if (mode !== 'read' && body.match === 'case_insensitive')
    p.add('match', 'only read bindings take match; a write finds its row by an exact key');
  const plan =
    mode === 'read'
      ? validateRead(ix, body, op, object, target, p, uses)
      : validateWrite(ix, body, op, object, mode, p, uses);
  checkParamTypes(uses, p);
  return { plan: p.list.length ? null : (plan as BindingPlan | null), uses, problems: p, operation: op };
}
