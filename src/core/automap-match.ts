/**
 * Auto-map's matcher: scores objects and fields of the scoped schema against a goal's words and
 * builds candidate bindings (object, indexed filter, projection with one hop, canonical parameter
 * names), best first. Pure and deterministic: same goal, same schema, same answer.
 */
import type { NormalizedSchema, SchemaField, SchemaObject, SchemaOperation } from '../providers/types.ts';
import {
  filterRange,
  type Intent,
  intentOf,
  isVerb,
  STOP,
  similarity,
  stem,
  stems,
  words,
} from './automap-lexicon.ts';
import { SAFE_NAME, SENSITIVE_WRITE } from './bindings-model.ts';
import { BINDABLE_TYPES } from './bindings-params.ts';
import { CANONICAL_PARAMETERS, type CanonicalParameter } from './canonical-parameters.ts';

export interface Goal {
  text: string;
  intent: Intent;
  /** Content stems (no stop words, no intent verbs), once each: what ranks objects. */
  terms: string[];
  /** Stems of the phrase after "by", if any. */
  filterPhrase: string[] | null;
  /** Content stems outside that phrase, in order: what the caller wants back or written. */
  restTerms: string[];
}

export function parseGoal(text: string): Goal {
  const w = words(text);
  const all = w.map(stem);
  const content = all.map((s, i) => !STOP.has(w[i]) && !isVerb(s));
  const range = filterRange(w);
  const inRange = (i: number) => range !== null && i >= range[0] && i < range[1];
  return {
    text,
    intent: intentOf(all),
    terms: [...new Set(all.filter((_, i) => content[i]))],
    filterPhrase: range ? all.slice(range[0], range[1]) : null,
    restTerms: all.filter((_, i) => content[i] && !inRange(i)),
  };
}

/** The goal's other words minus those naming the object itself ("customer" in "a customer's email"). */
export const termsBeyond = (goal: Goal, object: SchemaObject) => {
  const own = stems(object.name.split('.').pop()!);
  return goal.restTerms.filter((t) => !own.some((o) => similarity(t, o) > 0));
};

/** How well a name (object, field, label) matches a set of goal stems: 0..1. */
export function nameScore(name: string, terms: string[]): number {
  const nameStems = stems(name).filter((s) => s !== 'id' || stems(name).length === 1);
  if (!nameStems.length) return 0;
  let total = 0;
  for (const n of nameStems) total += Math.max(0, ...terms.map((t) => similarity(t, n)));
  return total / nameStems.length;
}

const PII_WORDS: Record<string, string[]> = {
  email: ['email', 'mail'],
  phone: ['phone', 'telephone', 'mobile', 'cell', 'number'],
  person_name: ['name', 'surname'],
  address: ['address', 'street', 'zip', 'postal'],
};

/** A field against a phrase: its own words, or its PII class's words ("by email" → an email column). */
export function fieldScore(field: SchemaField, terms: string[]): number {
  const own = nameScore(field.name, terms);
  const pii = field.pii ? (PII_WORDS[field.pii] ?? []).map(stem) : [];
  const byClass = pii.some((p) => terms.includes(p)) ? 0.8 : 0;
  return Math.max(own, byClass);
}

export const scalarField = (f: SchemaField) =>
  BINDABLE_TYPES.has(f.type) && !f.isArray && f.pii !== 'credential';
const sensitive = (f: SchemaField) => Boolean(f.pii && SENSITIVE_WRITE.has(f.pii));

/** The canonical parameter for a column, when one clearly fits (its class or its words). */
export function canonicalFor(
  field: SchemaField,
  object: SchemaObject,
  taken: Set<string>,
): CanonicalParameter | null {
  const fieldWords = stems(field.name);
  const objectWords = stems(object.name);
  let best: { c: CanonicalParameter; score: number } | null = null;
  for (const c of CANONICAL_PARAMETERS) {
    if (!c.fits.includes(field.type) || taken.has(c.name)) continue;
    let score = c.pii && c.pii === field.pii ? 2 : 0;
    for (const m of c.matches) {
      const ms = stems(m);
      const inField = ms.every((x) => fieldWords.includes(x));
      // A key column named `id` on an `orders` table is the order number.
      const viaObject =
        field.primaryKey &&
        fieldWords.length <= 2 &&
        ms.every((x) => objectWords.includes(x) || x === 'id' || x === 'number');
      if (inField) score = Math.max(score, ms.length > 1 ? 3 : 2) + (c.pii ? 0 : 0.5);
      else if (viaObject && ms.length > 1 && (ms.includes('id') || ms.includes('number')))
        score = Math.max(score, 2);
    }
    // A person's name split in two columns: first and last map to the split canonical names.
    if (c.name === 'caller_name' && (fieldWords.includes('first') || fieldWords.includes('last'))) score = 0;
    if (c.name === 'caller_first_name' && !fieldWords.includes('first')) score = 0;
    if (c.name === 'caller_last_name' && !fieldWords.includes('last')) score = 0;
    if (c.name === 'appointment_time' && !objectWords.some((w) => similarity(w, 'appointment') > 0))
      score = Math.min(score, 1);
    if (score >= 2 && (!best || score > best.score)) best = { c, score };
  }
  return best?.c ?? null;
}

export const paramNameOf = (field: SchemaField, object: SchemaObject, taken: Set<string>): string => {
  const canonical = canonicalFor(field, object, taken);
  let name =
    canonical?.name ??
    field.name
      .replace(/[^A-Za-z0-9_]+/g, '_')
      .replace(/^([0-9])/, '_$1')
      .slice(0, 64);
  if (!SAFE_NAME.test(name)) name = `value_${taken.size + 1}`;
  for (let i = 2; taken.has(name); i++) name = `${name.replace(/_\d+$/, '')}_${i}`;
  taken.add(name);
  return name;
};

/** Fields worth returning unasked: names, contact details, statuses, dates, titles, amounts. */
export function usefulness(field: SchemaField, object: SchemaObject): number {
  if (!scalarField(field) || sensitive(field) || field.type === 'binary') return 0;
  const w = stems(field.name);
  if (/^(last_?update|updated_?at|modified|created_?at|last_?modified)$/i.test(field.name)) return 0.1;
  if (field.primaryKey) return 0.5;
  if (w[w.length - 1] === 'id' && !field.primaryKey) return 0.1;
  if (field.pii === 'person_name' || field.pii === 'email' || field.pii === 'phone') return 0.9;
  if (field.pii === 'address') return 0.8;
  if (w.some((x) => ['status', 'state', 'title', 'name', 'total', 'amount', 'price'].includes(x))) return 0.8;
  if (field.type === 'date' || field.type === 'datetime' || field.type === 'enum') return 0.6;
  if (field.type === 'string' && object.fields.length <= 6) return 0.5;
  return 0.3;
}

export interface ObjectMatch {
  object: SchemaObject;
  score: number;
  /** How the object was matched, for the explanation. */
  reason: string;
}

/** Objects scored by their own name/label (strong) and by goal words naming their fields (weak). */
export function rankObjects(
  schema: NormalizedSchema,
  goal: Goal,
  usable: (o: SchemaObject) => boolean,
): ObjectMatch[] {
  const ranked = rankBy(schema, goal, goal.terms, usable);
  // "Callers" is usually who asks ("let callers check…"), so it is a stop word; but when nothing
  // else names an object ("find the caller by phone"), the caller is the record sought.
  if (ranked.length || !words(goal.text).some((w) => w === 'caller' || w === 'callers')) return ranked;
  return rankBy(schema, goal, [...goal.terms, stem('caller')], usable);
}

function rankBy(
  schema: NormalizedSchema,
  goal: Goal,
  terms: string[],
  usable: (o: SchemaObject) => boolean,
): ObjectMatch[] {
  const matches: ObjectMatch[] = [];
  const filter = new Set(goal.filterPhrase ?? []);
  for (const object of schema.objects) {
    if (!usable(object)) continue;
    const own = Math.max(nameScore(object.name.split('.').pop()!, terms), nameScore(object.label, terms));
    const fieldTerms = terms.filter((t) => !filter.has(t));
    const fieldHits = fieldTerms.filter((t) => object.fields.some((f) => fieldScore(f, [t]) >= 0.7)).length;
    const byField = fieldTerms.length ? fieldHits / fieldTerms.length : 0;
    const score = own * 0.75 + byField * 0.25 + (object.kind === 'table' ? 0.01 : 0);
    if (score <= 0.05) continue;
    const reason =
      own >= 1
        ? `the goal names "${object.name}"`
        : own > 0
          ? `the goal names something like "${object.name}"`
          : `the goal mentions fields of "${object.name}"`;
    matches.push({ object, score, reason });
  }
  return matches.sort((a, b) => b.score - a.score || (a.object.name < b.object.name ? -1 : 1));
}

/** Read filters an object offers: leading-index scalar columns with a one-argument read operation. */
export function filterCandidates(object: SchemaObject, ops: SchemaOperation[]): SchemaField[] {
  return object.fields.filter(
    (f) =>
      f.leadingIndex &&
      scalarField(f) &&
      ops.some(
        (o) =>
          o.object === object.name && o.kind === 'read' && o.args.length === 1 && o.args[0].name === f.name,
      ),
  );
}
