/**
 * Candidate bindings for a goal, scored whole: per object the goal names, the filter (the phrase
 * after "by", else a column the goal names, else the key at low confidence), the outputs (what
 * the goal names, through one hop where the object lacks it) or, for writes, the columns the goal
 * names and nothing else. Each choice carries the sentence that explains it. What almost fitted —
 * a lookup column without an index, a write that needs columns the goal does not name — is kept
 * as `near` so a refusal can say what would make the goal bindable.
 */
import type { SchemaField, SchemaObject } from '../../providers/types.ts';
import type { BindingBody } from '../bindings/index.ts';
import { SENSITIVE_WRITE } from '../bindings/index.ts';
import type { Catalog, FieldEntry, FilterEntry, ObjectEntry } from './catalog.ts';
import type { Goal, Term } from './goal.ts';
import { stem } from './lexicon.ts';
import {
  argField,
  bestSim,
  canonicalFor,
  coverage,
  fieldFit,
  type NameMatch,
  namedObjects,
  paramNameOf,
} from './match.ts';
import { chooseProjection, labelFields } from './projection.ts';

export interface Candidate {
  body: BindingBody;
  confidence: number;
  explanation: string[];
  /** What the score was made of, for the eval and for tuning. */
  parts: { object: number; filter: number; outputs: number; explained: number };
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
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
const toolName = (...parts: string[]) => parts.map(toolPart).filter(Boolean).join('_').slice(0, 64);
const singular = (name: string) =>
  toolPart(name.split('.').pop()!)
    .replace(/ies$/, 'y')
    .replace(/([^s])s$/, '$1');
const quoted = (ts: Term[]) => `"${ts.map((t) => t.w).join(' ')}"`;
const sensitive = (f: SchemaField | null | undefined) => Boolean(f?.pii && SENSITIVE_WRITE.has(f.pii));

interface FilterPick {
  f: FilterEntry;
  score: number;
  explained: Term[];
  why: string;
}

function fitFilter(e: ObjectEntry, f: FilterEntry, words: Term[], context: Term[]) {
  const fit = fieldFit(f.stems, f.field, words, e.stems, context);
  // "the customer's email", "by vendor name": an owner and a bare "name" qualify, they need no column.
  const loose = words.filter((t) => !t.owner && !(t.s === 'name' && words.length > 1));
  const cov = coverage(loose, fit.explained, e.stems);
  // Most of the phrase must be explained: "postcode" is not reached through its "code".
  if (loose.length > 1 && cov < 0.6) return { score: 0, explained: fit.explained };
  // …but a column that also explains the owner ("the rep's id" → support_rep_id) fits better.
  const all = coverage(words, fit.explained, e.stems);
  // Words the column's name says outright beat words it holds only as the object's own name
  // (`track_id` over `playlist_id` on playlist_track for "by track id").
  const said = fit.explained.length / words.length;
  return {
    score: fit.cover * (0.4 + 0.6 * cov) * (0.7 + 0.3 * all) * (0.9 + 0.1 * said),
    explained: fit.explained,
  };
}

/** The filter for a read on `e`, or null (with what almost fitted pushed to `near`). */
function chooseFilter(e: ObjectEntry, goal: Goal, chunks: Term[][], near: Near[]): FilterPick | null {
  const others = goal.terms.filter((t) => t.region !== 'filter');
  const better = (
    a: { score: number; f: { stems: string[] } },
    b: { score: number; f: { stems: string[] } },
  ) =>
    a.score > b.score + 1e-9 || (Math.abs(a.score - b.score) < 1e-9 && a.f.stems.length < b.f.stems.length);
  if (goal.filter) {
    let best: FilterPick | null = null;
    for (const f of e.filters) {
      const { score, explained } = fitFilter(e, f, goal.filter, others);
      const c = { f, score, explained, why: `the goal looks up by ${quoted(goal.filter)}` };
      if (score > 0 && (!best || better(c, best))) best = c;
    }
    // "by name": the column that labels the row (a film's title, a person's last name).
    if ((!best || best.score < 0.5) && goal.filter.every((t) => t.s === 'name')) {
      const label = labelFields(e);
      const f = e.filters.find((x) => x.field && label.some((l) => l.field === x.field));
      if (f)
        best = {
          f,
          score: 0.85,
          explained: goal.filter,
          why: `the goal looks up by name and ${f.arg} names a ${singular(e.object.name)}`,
        };
    }
    if (best && best.score >= 0.5) return best;
    hintUnindexed(e, goal.filter, others, near);
    return null;
  }
  // No "by …": a column the goal names elsewhere, if it can be looked up.
  const words = chunks.flat();
  let best: FilterPick | null = null;
  for (const f of e.filters) {
    const fit = fieldFit(f.stems, f.field, words, e.stems);
    const named = fit.explained.filter((t) => bestSim(t.s, e.stems) === 0);
    if (fit.cover < 0.75 || !named.length) continue;
    const c = {
      f,
      score: 0.75 * fit.cover,
      explained: named,
      why: `the goal names ${f.arg}, which can be looked up`,
    };
    if (!best || better(c, best)) best = c;
  }
  if (best) return best;
  if (hintUnindexed(e, words, [], near, true)) return null;
  const rank = (f: FilterEntry) =>
    (f.field?.unique && !f.field.primaryKey && f.field.type === 'string' ? 5 : 0) +
    (f.field?.pii === 'email' ? 4 : f.field?.pii === 'phone' ? 3 : f.field?.pii === 'person_name' ? 2 : 0) +
    (f.field?.primaryKey ? 1 : 0);
  const key = [...e.filters].sort((a, b) => rank(b) - rank(a) || (a.arg < b.arg ? -1 : 1))[0];
  return key
    ? { f: key, score: 0.25, explained: [], why: `the goal names no lookup, so ${key.arg} is used (a guess)` }
    : null;
}

/** Columns of `e` the words name that an index would make a filter: noted with the index hint. */
function hintUnindexed(
  e: ObjectEntry,
  words: Term[],
  context: Term[],
  near: Near[],
  strict = false,
): boolean {
  if (e.object.kind !== 'table' && e.object.kind !== 'graphql_type') return false;
  let found = false;
  for (const u of e.unindexed) {
    const fit = fieldFit(u.stems, u.field, words, e.stems, context);
    const named = fit.explained.filter((t) => bestSim(t.s, e.stems) === 0);
    const cov = coverage(words, fit.explained, e.stems);
    if (fit.cover * (0.4 + 0.6 * cov) < (strict ? 0.75 : 0.6) || !named.length) continue;
    if (u.field.primaryKey) continue;
    found = true;
    near.push({
      object: e.object.name,
      field: u.field.name,
      note: `${e.object.name}.${u.field.name} fits ${quoted(words)} but no index starts with it, so it cannot be looked up`,
      column: { object: e.object, field: u.field },
    });
  }
  if (!found && words.length && !strict)
    near.push({
      object: e.object.name,
      note: `nothing in ${e.object.name} can be looked up by ${quoted(words)}`,
    });
  return found;
}

/**
 * The goal's chunks without the words that name the object itself.
 */
const chunksFor = (_catalog: Catalog, goal: Goal, e: ObjectEntry) =>
  goal.chunks
    .map((c) => {
      const kept = c
        // "an employee's boss": what the object owns is asked for, wherever it stands.
        .map((t, k) =>
          k > 0 && c[k - 1].owner && bestSim(c[k - 1].s, e.stems) > 0 ? { ...t, asked: true } : t,
        )
        .filter((t, k) => bestSim(t.s, e.stems) === 0 && !modifies(c, k, e));
      // "give the address and the district" on address: a column named as the object is asked for.
      if (!kept.length && c.every((t) => t.region === 'output' && !t.owner) && ownColumn(e, c)) return c;
      return kept;
    })
    .filter((c) => c.length > 0);

/** Whether the object has a column named exactly as the words say it (`address.address`, `city.city`). */
const ownColumn = (e: ObjectEntry, c: Term[]) =>
  e.fields.some((f) => f.scalar && f.stems.length === c.length && f.stems.every((s, k) => s === c[k].s));

/** "film genre", "support rep": a word right before the object's name in the subject qualifies it. */
const modifies = (c: Term[], k: number, e: ObjectEntry) => {
  const next = c[k + 1];
  return Boolean(next && next.i === c[k].i + 1 && c[k].region !== 'output' && bestSim(next.s, e.stems) > 0);
};

function explainedShare(goal: Goal, m: NameMatch, used: Term[]): number {
  if (!goal.terms.length) return 0;
  const own = m.entry.stems;
  let n = 0;
  for (const t of goal.terms) {
    const next = goal.terms.find((x) => x.i === t.i + 1);
    if (
      used.includes(t) ||
      bestSim(t.s, own) > 0 ||
      (next && t.region !== 'output' && bestSim(next.s, own) > 0)
    )
      n++;
  }
  return n / goal.terms.length;
}

const confidenceOf = (p: Candidate['parts']) =>
  round((0.4 * Math.min(1, p.object) + 0.3 * p.filter + 0.3 * p.outputs) * (0.5 + 0.5 * p.explained));

function readCandidate(catalog: Catalog, m: NameMatch, goal: Goal, near: Near[]): Candidate | null {
  const e = m.entry;
  let chunks = chunksFor(catalog, goal, e);
  const filter = chooseFilter(e, goal, chunks, near);
  if (!filter) return null;
  if (!goal.filter) chunks = chunks.filter((c) => !c.some((t) => filter.explained.includes(t)));
  // "copies held by a store": a subject chunk that only names other objects is context.
  const context = chunks.filter(
    (c) =>
      c.every((t) => t.region === 'subject' && !t.asked) &&
      // …unless the object's own name stands in it ("film genre": the film qualifies the genre).
      !goal.chunks.some((g) => g.some((t) => t.i === c[0].i) && g.some((t) => bestSim(t.s, e.stems) > 0)) &&
      c.every((t) => (catalog.byStem.get(t.s) ?? []).some((o) => o !== e)),
  );
  chunks = chunks.filter((c) => !context.includes(c));
  const proj = chooseProjection(catalog, e, chunks, goal.terms, filter.f.field?.name ?? filter.f.arg);
  const outScore = chunks.length ? proj.chunkScores.reduce((a, b) => a + b, 0) / chunks.length : 0.7;
  const parts = {
    object: m.score,
    filter: filter.score,
    outputs: outScore,
    explained: explainedShare(goal, m, [...filter.explained, ...proj.explained, ...context.flat()]),
  };
  const param = paramNameOf(
    filter.f.field ?? argField(filter.f.arg, filter.f.op.args[0].type),
    e.object,
    new Set(),
  );
  const canonical = canonicalFor(
    filter.f.field ?? argField(filter.f.arg, filter.f.op.args[0].type),
    e.object,
    new Set(),
  );
  const projection = proj.outputs.map((o) => ({ path: o.path, as: asName(o.path, proj.outputs) }));
  const returns = proj.outputs.map((o) => {
    const name = o.path.join('.');
    if (proj.defaulted) return name;
    return `${name} (${o.via ? `through ${o.via.step}, ` : ''}the goal says "${o.words.join(' ')}")`;
  });
  const unexplained = goal.chunks
    .flat()
    .filter(
      (t) =>
        !proj.explained.includes(t) &&
        !filter.explained.includes(t) &&
        !context.flat().includes(t) &&
        bestSim(t.s, e.stems) === 0,
    );
  return {
    body: {
      toolName: toolName('find', singular(e.object.name), 'by', filter.f.arg),
      operation: filter.f.op.name,
      inputs: [{ param, arg: filter.f.arg }],
      projection,
    },
    // No lookup named and nothing to return named: the whole binding is a guess at a vague goal.
    confidence: round(confidenceOf(parts) * (filter.score < 0.3 && proj.defaulted ? 0.85 : 1)),
    parts,
    explanation: [
      `Reads ${e.object.name}: the goal names it (${m.by.map((t) => `"${t.w}"`).join(', ')}).`,
      `Filters ${e.object.name}.${filter.f.arg}: ${filter.why}; the caller gives it as ${param}${canonical ? ' (a canonical parameter)' : ''}.`,
      proj.defaulted
        ? `Returns ${returns.join(', ')}: the goal names nothing to return, so the row's label is returned.`
        : `Returns ${returns.join('; ')}.`,
      ...(unexplained.length ? [`Not understood: ${unexplained.map((t) => `"${t.w}"`).join(', ')}.`] : []),
    ],
  };
}

function asName(path: string[], all: { path: string[] }[]): string {
  const leaf = path[path.length - 1];
  const clash = all.filter((o) => o.path[o.path.length - 1] === leaf).length > 1;
  return (clash && path.length > 1 ? `${path[0]}_${leaf}` : leaf)
    .replace(/[^A-Za-z0-9_]+/g, '_')
    .replace(/^([0-9])/, '_$1')
    .slice(0, 64);
}

function writeCandidate(catalog: Catalog, m: NameMatch, goal: Goal, near: Near[]): Candidate | null {
  const e = m.entry;
  const op = goal.intent === 'insert' ? e.insert : e.update;
  if (!op) return null;
  const fieldOf = new Map(e.fields.map((f) => [f.field.name, f]));
  const key = goal.intent === 'update' ? op.args[0].name : null;
  const writable = op.args
    .filter((a) => a.name !== key)
    .map((a) => fieldOf.get(a.name))
    .filter((f): f is FieldEntry => Boolean(f?.scalar && !f.field.generated));
  const chosen: { f: FieldEntry; score: number; words: Term[] }[] = [];
  const chunks = chunksFor(catalog, goal, e);
  const scores: number[] = [];
  const explained: Term[] = [];
  for (const c of chunks) {
    let best: { f: FieldEntry[]; score: number; words: Term[] } | null = null;
    if (c.every((t) => t.s === 'name')) {
      const label = labelFields(e).filter((f) => writable.includes(f));
      if (label.length) best = { f: label, score: 1, words: c };
    }
    for (const f of writable) {
      const fit = fieldFit(f.stems, f.field, c, e.stems);
      const score = fit.cover * coverage(c, fit.explained, e.stems);
      const idOnly = f.stems.every((s) => s === 'id' || bestSim(s, e.stems) === 1);
      if (idOnly && !c.some((t) => t.s === 'id' || bestSim(t.s, ['id']) > 0)) continue;
      if (
        score > 0 &&
        (!best ||
          score > best.score + 1e-9 ||
          (Math.abs(score - best.score) < 1e-9 && f.stems.length < best.f[0].stems.length))
      )
        best = { f: [f], score, words: fit.explained };
    }
    if (!best || best.score < 0.45) {
      scores.push(0);
      continue;
    }
    scores.push(best.score);
    explained.push(...c);
    for (const f of best.f)
      if (!chosen.some((x) => x.f === f)) chosen.push({ f, score: best.score, words: c });
  }
  const blocked = chosen.filter((x) => sensitive(x.f.field));
  if (blocked.length)
    near.push({
      object: e.object.name,
      note: `a skill may not write ${blocked.map((x) => x.f.field.name).join(', ')} (a sensitive class)`,
    });
  const writes = chosen.filter((x) => !sensitive(x.f.field));
  const taken = new Set<string>();
  const inputObjectMap: { field: string; param: string }[] = [];
  let body: BindingBody;
  if (op.verb === 'insert') {
    const missing = op.args.filter((a) => a.required && !writes.some((x) => x.f.field.name === a.name));
    if (missing.length) {
      near.push({
        object: e.object.name,
        note: `a new ${e.object.name} needs ${missing.map((a) => a.name).join(', ')}, which the goal does not name (auto-map writes only what the goal names)`,
      });
      return null;
    }
    for (const x of writes)
      inputObjectMap.push({ field: x.f.field.name, param: paramNameOf(x.f.field, e.object, taken) });
    body = { toolName: toolName('add', singular(e.object.name)), operation: op.name, inputObjectMap };
  } else {
    if (!writes.length) {
      near.push({
        object: e.object.name,
        note: `say which fields of ${e.object.name} to change (e.g. "update a ${singular(e.object.name)}'s email")`,
      });
      return null;
    }
    const keyField = fieldOf.get(key!)!.field;
    const keyParam = paramNameOf(keyField, e.object, taken);
    for (const x of writes)
      inputObjectMap.push({ field: x.f.field.name, param: paramNameOf(x.f.field, e.object, taken) });
    body = {
      toolName: toolName('update', singular(e.object.name), ...writes.slice(0, 2).map((x) => x.f.field.name)),
      operation: op.name,
      inputObjectMap,
      keyColumn: key!,
      keyParam,
    };
  }
  const parts = {
    object: m.score,
    filter: 1,
    outputs: chunks.length ? scores.reduce((a, b) => a + b, 0) / chunks.length : 0,
    explained: explainedShare(goal, m, explained),
  };
  return {
    body,
    confidence: confidenceOf(parts),
    parts,
    explanation: [
      `${op.verb === 'insert' ? 'Adds a row to' : 'Changes a row of'} ${e.object.name}: the goal names it (${m.by.map((t) => `"${t.w}"`).join(', ')}) and says ${goal.intent === 'insert' ? 'to add one' : 'to change one'}.`,
      ...writes.map((x) => `Writes ${x.f.field.name}: the goal says "${x.words.map((t) => t.w).join(' ')}".`),
      ...(key ? [`Picks the row by its key ${key} (${body.keyParam}).`] : []),
      'Nothing else is written. Writes land disabled and need the caller’s confirmation; an operator enables them.',
    ],
  };
}

/** Every candidate binding for the goal, best first, plus what almost fitted and the named objects. */
export function buildCandidates(
  catalog: Catalog,
  goal: Goal,
): { candidates: Candidate[]; near: Near[]; named: NameMatch[] } {
  const near: Near[] = [];
  if (goal.intent === 'delete') {
    near.push({
      object: '-',
      note: 'auto-map binds lookups, inserts and updates; nothing it makes deletes or cancels',
    });
    return { candidates: [], near, named: [] };
  }
  const usable = (e: ObjectEntry) =>
    goal.intent === 'read'
      ? e.filters.length > 0 || e.unindexed.length > 0
      : Boolean(goal.intent === 'insert' ? e.insert : e.update);
  let named = namedObjects(catalog, goal.terms, usable);
  if (!named.length) {
    // "find the caller by phone", "let callers update their phone": the caller is a customer.
    const asker = goal.asker.length ? goal.asker : [];
    const caller = /\bcallers?\b/i.test(goal.text)
      ? [{ s: stem('customer'), w: 'caller', i: -1, region: 'subject' as const }]
      : [];
    named = namedObjects(catalog, [...goal.terms, ...asker, ...caller], usable);
    for (const m of named) m.score *= 0.9;
  }
  const candidates: Candidate[] = [];
  for (const m of named.slice(0, 8)) {
    const c =
      goal.intent === 'read' ? readCandidate(catalog, m, goal, near) : writeCandidate(catalog, m, goal, near);
    if (c) candidates.push(c);
  }
  // The object the goal names best could not take the lookup (no index): the rest are substitutes.
  const top = named[0]?.entry.object.name;
  const missed = near.find((n) => n.object === top && n.column);
  if (missed) {
    for (const c of candidates) {
      if (c.body.operation.startsWith(`${top}.`)) continue;
      c.confidence = round(c.confidence * 0.5);
      c.explanation.push(`${missed.note}; an index on it would fit the goal better.`);
    }
  }
  candidates.sort((a, b) => b.confidence - a.confidence || (a.body.toolName < b.body.toolName ? -1 : 1));
  // Two readings that score alike: the goal does not decide between them.
  if (candidates.length > 1 && candidates[0].confidence - candidates[1].confidence < 0.03) {
    const [a, b] = candidates;
    if (a.body.operation !== b.body.operation) {
      a.confidence = round(a.confidence - 0.1);
      a.explanation.push(`${b.body.operation} fits about as well; check that this is the one meant.`);
    }
  }
  return { candidates, near, named };
}
