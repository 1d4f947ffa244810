/**
 * Auto-map's scoring: how well goal words name an object, a filter column and an output field,
 * on stems and the domain lexicon, with the object's own name free inside its columns
 * (`customer_id` on `customer` is "the id"). Pure and deterministic: same goal, same schema,
 * same answer. Also the canonical parameter names a chosen column gets.
 */
import type { SchemaField, SchemaObject } from '../../providers/types.ts';
import { CANONICAL_PARAMETERS, type CanonicalParameter, SAFE_NAME } from '../bindings/index.ts';
import type { Catalog, FieldEntry, ObjectEntry } from './catalog.ts';
import type { Goal, Region, Term } from './goal.ts';
import { similarity, stems } from './lexicon.ts';

const REGION_WEIGHT: Record<Region, number> = { subject: 1, filter: 0.6, output: 0.5 };

/** The best similarity of a stem to any of some stems. */
export const bestSim = (s: string, among: string[]) => {
  let best = 0;
  for (const x of among) {
    const v = similarity(s, x);
    if (v > best) best = v;
    if (best === 1) break;
  }
  return best;
};

/** Words the PII classes answer to ("by email" reaches an `e_addr` column classed email). */
const PII_WORDS: Record<string, string[]> = {
  email: ['email', 'mail'],
  phone: ['phone', 'telephone', 'mobile', 'cell'],
  person_name: ['name'],
  address: ['address'],
};
const PII_STEMS = Object.fromEntries(Object.entries(PII_WORDS).map(([k, v]) => [k, v.flatMap(stems)]));

export interface NameMatch {
  entry: ObjectEntry;
  score: number;
  /** The goal words that named it. */
  by: Term[];
  first: number;
}

/** How well the goal names an object (its own name's words, weighted by where the words stood). */
export function objectScore(entry: ObjectEntry, terms: Term[]): NameMatch | null {
  let total = 0;
  let matched = 0;
  const by: Term[] = [];
  let first = Number.POSITIVE_INFINITY;
  for (const s of entry.stems) {
    let best = 0;
    let bt: Term | null = null;
    for (const t of terms) {
      const v = similarity(t.s, s) * REGION_WEIGHT[t.region];
      if (v > best || (v === best && bt && t.i < bt.i)) {
        best = v;
        bt = t;
      }
    }
    if (bt && best > 0) {
      matched++;
      by.push(bt);
      first = Math.min(first, bt.i);
    }
    total += best;
  }
  if (!matched) return null;
  let score = total / entry.stems.length + 0.04 * (matched - 1);
  // A link table (`film_category`: keys only) is rarely what a goal is about.
  if (entry.link && entry.stems.length > 1) score *= 0.85;
  return { entry, score, by, first };
}

/** The objects the goal names, best first (the inverted index keeps this cheap on wide schemas). */
export function namedObjects(
  catalog: Catalog,
  terms: Term[],
  usable: (e: ObjectEntry) => boolean,
): NameMatch[] {
  const seen = new Set<ObjectEntry>();
  for (const t of terms) for (const e of catalog.byStem.get(t.s) ?? []) seen.add(e);
  const out: NameMatch[] = [];
  for (const e of seen) {
    if (!usable(e)) continue;
    const m = objectScore(e, terms);
    if (m && m.score >= 0.3) out.push(m);
  }
  const earliest = Math.min(...out.map((m) => m.first));
  for (const m of out) if (m.first === earliest) m.score += 0.03;
  return out.sort(
    (a, b) => b.score - a.score || a.first - b.first || (a.entry.object.name < b.entry.object.name ? -1 : 1),
  );
}

export interface FieldFit {
  /** How much of the column's name the words cover (0..1); the object's own name is free. */
  cover: number;
  /** Which of the words it explains. */
  explained: Term[];
}

/**
 * A column's name against some goal words: the share of its stems the words match (`id` counts
 * half), where stems naming the object itself are free; its PII class and comment as weaker
 * evidence; `context` (the goal's other words) can fill a qualifier at a lower weight.
 */
export function fieldFit(
  fieldStems: string[],
  field: SchemaField | null,
  words: Term[],
  own: string[],
  context: Term[] = [],
  comment: string[] = [],
): FieldFit {
  let total = 0;
  let weight = 0;
  const explained = new Set<Term>();
  let named = 0;
  for (const fs of fieldStems) {
    const w = fs === 'id' ? 0.5 : 1;
    let best = 0;
    for (const t of words) {
      const v = similarity(t.s, fs);
      if (v > 0) explained.add(t);
      if (v > best) best = v;
    }
    if (best > 0) named++;
    if (best === 0 && bestSim(fs, own) > 0) {
      // The object's own name (or a word for it: `billing_address` on invoice) inside its column: neither needed nor counted.
      continue;
    }
    if (best === 0) for (const t of context) best = Math.max(best, similarity(t.s, fs) * 0.7);
    total += best * w;
    weight += w;
  }
  let cover = weight ? total / weight : named ? 1 : 0;
  if (!named) cover = 0;
  // Its class answers only for a column whose own name the words do not reach (`e_addr` for "email").
  if (!named && field?.pii && PII_STEMS[field.pii]) {
    const hit = words.filter((t) => PII_STEMS[field.pii!].includes(t.s));
    if (hit.length && cover < 0.8) {
      cover = 0.8;
      for (const t of hit) explained.add(t);
    }
  }
  if (cover === 0 && comment.length) {
    const hit = words.filter((t) => comment.includes(t.s));
    if (hit.length) {
      cover = 0.5;
      for (const t of hit) explained.add(t);
    }
  }
  return { cover, explained: [...explained] };
}

/** Whether a word names the object itself (its own stems or their synonyms). */
export const namesObject = (t: Term, own: string[]) => bestSim(t.s, own) > 0;

/** Share of `words` explained, counting words that name the object as explained. */
export function coverage(words: Term[], explained: Term[], own: string[]): number {
  if (!words.length) return 1;
  let n = 0;
  for (const t of words) if (explained.includes(t) || namesObject(t, own)) n++;
  return n / words.length;
}

export const fieldStems = (f: FieldEntry) => f.stems;

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

/** A GraphQL search argument has no field: a stand-in so canonical names still fit it. */
export const argField = (name: string, type: SchemaField['type']): SchemaField => ({
  name,
  type,
  nativeType: type,
  nullable: false,
  primaryKey: false,
  unique: false,
  leadingIndex: true,
  pii: null,
});

export type { Goal, Term };
