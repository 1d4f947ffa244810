/**
 * Candidate bindings for a goal: per matching object, the filter (the column the goal names after
 * "by", else one it mentions, else the best key), the projection (fields it mentions, through one
 * many-to-one hop where the object lacks them, then useful ones), canonical parameter names.
 */
import type { NormalizedSchema, SchemaField, SchemaObject, SchemaOperation } from '../providers/types.ts';
import {
  canonicalFor,
  fieldScore,
  filterCandidates,
  type Goal,
  type ObjectMatch,
  paramNameOf,
  rankObjects,
  scalarField,
  termsBeyond,
} from './automap-match.ts';
import { chooseProjection } from './automap-projection.ts';
import type { BindingBody } from './bindings-model.ts';
import { SENSITIVE_WRITE } from './bindings-model.ts';

export interface Candidate {
  body: BindingBody;
  confidence: number;
  explanation: string[];
}

/** Something auto-map saw but could not use (an unindexed filter column, a missing field name). */
export interface Near {
  object: string;
  field?: string;
  note: string;
  /** An unindexed column the goal filters by: the index that would make it bindable. */
  column?: { object: SchemaObject; field: SchemaField };
}

const round = (n: number) => Math.round(Math.min(1, Math.max(0, n)) * 100) / 100;
const toolPart = (s: string) =>
  s
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
const toolName = (...parts: string[]) => parts.map(toolPart).filter(Boolean).join('_').slice(0, 64);
const singular = (name: string) =>
  toolPart(name.split('.').pop()!)
    .replace(/ies$/, 'y')
    .replace(/([^s])s$/, '$1');

function chooseFilter(
  object: SchemaObject,
  filters: SchemaField[],
  goal: Goal,
  near: Near[],
): { field: SchemaField; confidence: number; why: string } | null {
  if (goal.filterPhrase) {
    const scored = filters
      .map((f) => ({ f, s: fieldScore(f, goal.filterPhrase!) }))
      .sort((a, b) => b.s - a.s || a.f.name.localeCompare(b.f.name));
    if (scored[0] && scored[0].s >= 0.5)
      return {
        field: scored[0].f,
        confidence: scored[0].s,
        why: `the goal looks up by "${goal.filterPhrase.join(' ')}"`,
      };
    const unindexed = object.fields.filter(
      (f) => scalarField(f) && !filters.includes(f) && fieldScore(f, goal.filterPhrase!) >= 0.5,
    );
    for (const f of unindexed)
      near.push({
        object: object.name,
        field: f.name,
        note: `${object.name}.${f.name} matches "${goal.filterPhrase.join(' ')}" but no index starts with it`,
        column: { object, field: f },
      });
    return null;
  }
  const terms = termsBeyond(goal, object);
  const mentioned = filters
    .map((f) => ({ f, s: fieldScore(f, terms) }))
    .filter((x) => x.s >= 0.7)
    .sort((a, b) => b.s - a.s || a.f.name.localeCompare(b.f.name));
  if (mentioned[0])
    return {
      field: mentioned[0].f,
      confidence: 0.7,
      why: `the goal mentions ${mentioned[0].f.name}, an indexed column`,
    };
  const rank = (f: SchemaField) =>
    (f.unique && !f.primaryKey && f.type === 'string' ? 5 : 0) +
    (f.pii === 'email' ? 4 : f.pii === 'phone' ? 3 : f.pii === 'person_name' ? 2 : 0) +
    (f.primaryKey ? 1 : 0);
  const best = [...filters].sort((a, b) => rank(b) - rank(a) || a.name.localeCompare(b.name))[0];
  return best
    ? {
        field: best,
        confidence: 0.4,
        why: `no filter was named, so ${best.name} (indexed${best.primaryKey ? ', the key' : ''}) is used`,
      }
    : null;
}

function readCandidate(schema: NormalizedSchema, m: ObjectMatch, goal: Goal, near: Near[]): Candidate | null {
  const filter = chooseFilter(m.object, filterCandidates(m.object, schema.operations), goal, near);
  if (!filter) return null;
  const op = schema.operations.find(
    (o) =>
      o.object === m.object.name &&
      o.kind === 'read' &&
      o.args.length === 1 &&
      o.args[0].name === filter.field.name,
  )!;
  const param = paramNameOf(filter.field, m.object, new Set());
  const { projection, coverage } = chooseProjection(schema, m.object, filter.field, goal);
  const confidence = round(Math.min(1, m.score) * 0.5 + filter.confidence * 0.3 + coverage * 0.2);
  const hop = projection.filter((p) => p.path.length === 2).map((p) => `${p.as} through ${p.path[0]}`);
  return {
    body: {
      toolName: toolName('find', singular(m.object.name), 'by', filter.field.name),
      operation: op.name,
      inputs: [{ param, arg: filter.field.name }],
      projection,
    },
    confidence,
    explanation: [
      `Object ${m.object.name}: ${m.reason}.`,
      `Filter ${filter.field.name}: ${filter.why}; the caller supplies it as ${param}${canonicalFor(filter.field, m.object, new Set()) ? ' (a canonical parameter)' : ''}.`,
      `Returns ${projection.map((p) => p.as).join(', ')}${hop.length ? ` (${hop.join(', ')})` : ''}.`,
    ],
  };
}

function writeCandidate(m: ObjectMatch, op: SchemaOperation, goal: Goal, near: Near[]): Candidate | null {
  const object = m.object;
  const fieldOf = (name: string) => object.fields.find((f) => f.name === name);
  const mentioned = op.args
    .map((a) => fieldOf(a.name))
    .filter(
      (f): f is SchemaField =>
        Boolean(f) && scalarField(f!) && !f!.generated && fieldScore(f!, termsBeyond(goal, object)) >= 0.7,
    );
  const taken = new Set<string>();
  const inputObjectMap: { field: string; param: string }[] = [];
  let body: BindingBody;
  if (op.verb === 'insert') {
    const required = op.args.filter((a) => a.required).map((a) => fieldOf(a.name)!);
    const blocked = required.find((f) => !f || !scalarField(f) || (f.pii && SENSITIVE_WRITE.has(f.pii)));
    if (blocked) {
      near.push({
        object: object.name,
        field: blocked?.name,
        note: `a new ${object.name} needs ${blocked?.name}, which a skill may not write`,
      });
      return null;
    }
    for (const f of [
      ...required,
      ...mentioned.filter((x) => !required.includes(x) && !(x.pii && SENSITIVE_WRITE.has(x.pii))),
    ]) {
      inputObjectMap.push({ field: f.name, param: paramNameOf(f, object, taken) });
    }
    body = { toolName: toolName('add', singular(object.name)), operation: op.name, inputObjectMap };
  } else {
    const key = fieldOf(op.args[0].name)!;
    const changes = mentioned.filter((f) => f !== key && !(f.pii && SENSITIVE_WRITE.has(f.pii)));
    if (!changes.length) {
      near.push({
        object: object.name,
        note: `say which fields of ${object.name} to change (e.g. "update a ${singular(object.name)}'s email")`,
      });
      return null;
    }
    const keyParam = paramNameOf(key, object, taken);
    for (const f of changes) inputObjectMap.push({ field: f.name, param: paramNameOf(f, object, taken) });
    body = {
      toolName: toolName('update', singular(object.name), ...changes.slice(0, 2).map((f) => f.name)),
      operation: op.name,
      inputObjectMap,
      keyColumn: key.name,
      keyParam,
    };
  }
  const asked = termsBeyond(goal, object).length;
  const coverage = asked ? Math.min(1, mentioned.length / asked) : 0.5;
  return {
    body,
    confidence: round(Math.min(1, m.score) * 0.6 + coverage * 0.4),
    explanation: [
      `Object ${object.name}: ${m.reason}.`,
      `${op.verb === 'insert' ? 'Creates one row' : `Changes one row picked by its key ${body.keyColumn} (${body.keyParam})`} with ${inputObjectMap.map((e) => `${e.field} ← ${e.param}`).join(', ')}.`,
      'Writes land disabled and need the caller’s confirmation; an operator enables them.',
    ],
  };
}

/** Every candidate binding for the goal, best first, plus what almost matched. */
export function buildCandidates(
  schema: NormalizedSchema,
  goal: Goal,
): { candidates: Candidate[]; near: Near[]; ranked: ObjectMatch[] } {
  const near: Near[] = [];
  const opOf = (o: SchemaObject) =>
    schema.operations.find((op) => op.object === o.name && op.kind === 'write' && op.verb === goal.intent);
  const usable = (o: SchemaObject) =>
    goal.intent === 'read' ? filterCandidates(o, schema.operations).length > 0 : Boolean(opOf(o));
  const ranked = rankObjects(schema, goal, usable);
  const candidates: Candidate[] = [];
  for (const m of ranked.slice(0, 6)) {
    const c =
      goal.intent === 'read'
        ? readCandidate(schema, m, goal, near)
        : writeCandidate(m, opOf(m.object)!, goal, near);
    if (c) candidates.push(c);
  }
  // An unindexed column named after "by" anywhere is worth an index hint even if its object ranked low.
  if (goal.intent === 'read' && goal.filterPhrase) {
    for (const object of schema.objects) {
      if (object.kind !== 'table' || near.some((n) => n.object === object.name)) continue;
      const idx = filterCandidates(object, schema.operations);
      for (const f of object.fields) {
        if (!idx.includes(f) && scalarField(f) && fieldScore(f, goal.filterPhrase) >= 0.8) {
          near.push({
            object: object.name,
            field: f.name,
            note: `${object.name}.${f.name} matches "${goal.filterPhrase.join(' ')}" but no index starts with it`,
            column: { object, field: f },
          });
        }
      }
    }
  }
  // The best-matching object could not take the lookup (no index): whatever else fits is a guess.
  const top = ranked[0]?.object.name;
  const missed = near.find((n) => n.object === top && n.column);
  if (missed && !candidates.some((c) => c.body.operation.startsWith(`${top}.`))) {
    for (const c of candidates) {
      c.confidence = round(c.confidence * 0.5);
      c.explanation.push(`${missed.note}; an index on it would fit the goal better.`);
    }
  }
  candidates.sort((a, b) => b.confidence - a.confidence || a.body.toolName.localeCompare(b.body.toolName));
  return { candidates, near, ranked };
}
