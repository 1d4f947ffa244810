/**
 * Auto-map's outputs: each chunk of the goal ("the company name", "which country it is in", "how
 * long it runs") becomes the one field that best explains it — on the object, or one many-to-one
 * hop away ("the artist's name" → artist.name; "the track" → the track's name). A name alone
 * ("their name") is the row's label: a person's first and last name, a `name`/`title` column.
 * Nothing is added that the goal did not name; when it names nothing, the row's label (without
 * the filter column) is the small default.
 */
import type { Catalog, FieldEntry, HopEntry, ObjectEntry } from './catalog.ts';
import type { Term } from './goal.ts';
import { similarity, stem } from './lexicon.ts';
import { bestSim, coverage, fieldFit } from './match.ts';

export interface Output {
  path: string[];
  /** For the explanation: the words it answers. */
  words: string[];
  via?: HopEntry;
  score: number;
  /** The row a hop points at, by its label ("the track", "which supplier"): no column named. */
  label?: boolean;
}

const NAME_WORDS = new Set(['name', 'label'].map(stem));
const LABEL_WORDS = new Set(['name', 'title'].map(stem));
const DESCRIPTION_WORDS = new Set(['description', 'desc'].map(stem));

/** The fields that label a row: a person's names, `name`/`title`/`<object>_name`, a column named as the object. */
export function labelFields(e: ObjectEntry): FieldEntry[] {
  const scalar = e.fields.filter((f) => f.scalar && !f.field.deprecated);
  const person = scalar.filter((f) => f.field.pii === 'person_name');
  const firstLast = person.filter((f) => f.stems.includes('first') || f.stems.includes('last'));
  if (firstLast.length >= 2) return firstLast.slice(0, 2);
  const rank = (f: FieldEntry) => {
    const last = f.stems[f.stems.length - 1];
    if (f.stems.length === 1 && LABEL_WORDS.has(last)) return 4;
    if (f.stems.length && f.stems.every((s) => bestSim(s, e.stems) === 1)) return 4;
    if (LABEL_WORDS.has(last) && f.stems.slice(0, -1).every((s) => bestSim(s, e.stems) === 1)) return 3;
    if (f.stems.length === 2 && LABEL_WORDS.has(last) && f.field.type === 'string' && !f.field.pii) return 2;
    // `region_description`, `customer_desc`: a row whose only words are its own description.
    if (
      DESCRIPTION_WORDS.has(last) &&
      f.stems.length > 1 &&
      f.stems.slice(0, -1).every((s) => bestSim(s, e.stems) === 1)
    )
      return 1.5;
    if (f.field.pii === 'person_name') return 1;
    return 0;
  };
  const ranked = scalar
    .map((f) => ({ f, r: rank(f) }))
    .filter((x) => x.r > 0)
    .sort((a, b) => b.r - a.r || a.f.stems.length - b.f.stems.length);
  return ranked.length ? [ranked[0].f] : [];
}

const SUMMARY = [
  ['status', 'state'],
  ['number', 'reference', 'code'],
  ['total', 'amount', 'price'],
  ['date'],
].map((g) => g.map(stem));

/** No label: up to three fields that summarize a row (its status, its number, its total, its date). */
function summaryFields(e: ObjectEntry, exclude: Set<string>): FieldEntry[] {
  const keys = new Set(e.hops.flatMap((h) => (h.fk ? [h.fk] : [])));
  const out: FieldEntry[] = [];
  for (const group of SUMMARY) {
    const f = e.fields.find(
      (x) =>
        x.scalar &&
        !x.field.primaryKey &&
        !keys.has(x.field.name) &&
        !exclude.has(x.field.name) &&
        !out.includes(x) &&
        !/update|modif/i.test(x.field.name) &&
        group.includes(x.stems[x.stems.length - 1]),
    );
    if (f) out.push(f);
    if (out.length === 3) break;
  }
  return out;
}

interface Choice {
  outputs: Output[];
  score: number;
  explained: Term[];
}

/** The best reading of one chunk on an object: own fields, one hop, or the row's label. */
export function resolveChunk(
  catalog: Catalog,
  e: ObjectEntry,
  chunk: Term[],
  context: Term[],
  exclude: Set<string>,
): Choice | null {
  const own = e.stems;
  const words = chunk.filter((t) => !(bestSim(t.s, own) > 0 && chunk.length > 1));
  if (!words.length) return null;
  let best: Choice | null = null;
  const consider = (c: Choice) => {
    if (
      !best ||
      c.score > best.score + 1e-9 ||
      (Math.abs(c.score - best.score) < 1e-9 && c.outputs.length < best.outputs.length)
    )
      best = c;
  };
  // The row's label, for "its name" / "what it is called".
  if (words.every((t) => NAME_WORDS.has(t.s))) {
    const label = labelFields(e).filter((f) => !exclude.has(f.field.name));
    if (label.length)
      consider({
        outputs: label.map((f) => ({ path: [f.field.name], words: words.map((t) => t.w), score: 1 })),
        score: 1,
        explained: words,
      });
  }
  const labelled = new Set(
    e.hops.filter((h) => h.fk && labelFields(catalog.byName.get(h.target) ?? e).length).map((h) => h.fk!),
  );
  for (const f of e.fields) {
    if (!f.scalar || f.field.deprecated || exclude.has(f.field.name)) continue;
    // A foreign key named ("the track") means the row it points at: read through the hop below.
    if (labelled.has(f.field.name)) continue;
    const fit = fieldFit(f.stems, f.field, words, own, context, f.commentStems);
    if (fit.cover <= 0) continue;
    const cov = coverage(words, fit.explained, own);
    const score = fit.cover * cov;
    if (score > 0)
      consider({
        outputs: [{ path: [f.field.name], words: fit.explained.map((t) => t.w), score }],
        score,
        explained: fit.explained,
      });
  }
  for (const h of e.hops) {
    const target = catalog.byName.get(h.target);
    if (!target) continue;
    const roleWords = words.filter((t) => bestSim(t.s, h.roleStems) > 0 || bestSim(t.s, h.targetStems) > 0);
    const rest = words.filter((t) => !roleWords.includes(t));
    // Unnamed hops still answer what the object lacks ("a customer's phone" → address.phone), for less.
    // How fully the words name the role (`payment terms` is not named by "paid" alone).
    const named = (stemsOf: string[]) =>
      stemsOf.reduce((sum, x) => sum + Math.max(0, ...roleWords.map((t) => similarity(t.s, x))), 0) /
      Math.max(1, stemsOf.length);
    // `manager_staff` → staff: "the manager" says the role's own word outright; the target's is implied.
    const roleOwn = h.roleStems.filter((x) => !h.targetStems.includes(x));
    const saysRole =
      roleOwn.length > 0 &&
      roleOwn.length < h.roleStems.length &&
      roleOwn.every((x) => roleWords.some((t) => t.s === x));
    const role = roleWords.length
      ? saysRole
        ? 1
        : Math.max(named(h.roleStems), named(h.targetStems))
      : 0.75;
    if (roleWords.length) {
      // "the track", "which supplier", "which country it is in": the row it points at, by its label (or the key itself).
      const label = labelFields(target);
      const said = words.filter((t) => roleWords.includes(t) || NAME_WORDS.has(t.s));
      const share = said.length / words.length;
      const outputs: Output[] = label.length
        ? label.map((f) => ({
            path: [h.step, f.field.name],
            words: said.map((t) => t.w),
            via: h,
            score: 0.9,
            label: true,
          }))
        : h.fk && !exclude.has(h.fk)
          ? [{ path: [h.fk], words: said.map((t) => t.w), score: 0.85 }]
          : [];
      if (outputs.length) consider({ outputs, score: 0.9 * role * share, explained: said });
      if (share === 1) continue;
    }
    const targetLabel = labelFields(target);
    for (const f of target.fields) {
      if (!f.scalar || f.field.deprecated) continue;
      // "which company delivers it": the company's label, `company_name`, needs no "name".
      const free = targetLabel.includes(f) ? [...target.stems, ...LABEL_WORDS] : target.stems;
      const fit = fieldFit(f.stems, f.field, rest, free, [], f.commentStems);
      if (fit.cover <= 0) continue;
      const explained = [...roleWords, ...fit.explained];
      const cov = coverage(words, explained, own);
      const score = 0.92 * fit.cover * cov * role;
      if (score > 0)
        consider({
          outputs: [{ path: [h.step, f.field.name], words: explained.map((t) => t.w), via: h, score }],
          score,
          explained,
        });
    }
  }
  return best;
}

export interface Projection {
  outputs: Output[];
  /** Per chunk: how well it was explained (0 when not at all). */
  chunkScores: number[];
  explained: Term[];
  /** True when the goal named nothing to return and the default label was used. */
  defaulted: boolean;
}

/** The outputs for a read: one per chunk the object can answer; the label when none is named. */
export function chooseProjection(
  catalog: Catalog,
  e: ObjectEntry,
  chunks: Term[][],
  goalTerms: Term[],
  filterField: string | null,
): Projection {
  const exclude = new Set<string>(filterField ? [filterField] : []);
  const results = chunks.map((c) =>
    resolveChunk(catalog, e, c, goalTerms, c.some((t) => t.region === 'output') ? new Set() : exclude),
  );
  const chunkScores = results.map((r) => (r && r.score >= 0.4 ? r.score : 0));
  const explained = results.flatMap((r, i) => (chunkScores[i] ? r!.explained : []));
  // A bare "the manager" (a hop's label) is already answered by "the manager's last name".
  // (Only the label reading: "the manager's last name" through the hop names its column.)
  const generic = (r: Choice) => r.outputs.every((o) => o.via && o.label);
  const viaTaken = new Set(
    results.flatMap((r, i) =>
      r && chunkScores[i] && !generic(r) ? r.outputs.flatMap((o) => (o.via ? [o.via.step] : [])) : [],
    ),
  );
  const outputs: Output[] = [];
  const taken = new Set<string>();
  // "a client's invoices", "the albums of a band": a row named in the subject is context, not an output.
  // Understood, but not returned: the chunk counts as explained.
  const context = new Set<number>();
  results.forEach((r, i) => {
    if (r && generic(r) && chunks[i].every((t) => t.region === 'subject' && !t.asked)) context.add(i);
  });
  results.forEach((r, i) => {
    if (!r || !chunkScores[i] || context.has(i)) return;
    if (generic(r) && viaTaken.has(r.outputs[0].via!.step)) return;
    for (const o of r.outputs) {
      const key = o.path.join('.');
      if (taken.has(key)) continue;
      taken.add(key);
      outputs.push(o);
    }
  });
  if (outputs.length) return { outputs, chunkScores, explained, defaulted: false };
  let label = labelFields(e).filter((f) => !exclude.has(f.field.name));
  if (!label.length) label = summaryFields(e, exclude);
  const def: Output[] = label.map((f) => ({ path: [f.field.name], words: [], score: 0.5 }));
  // A link table's row is the rows it links: the label of each one the lookup did not give.
  if (!def.length && e.link)
    for (const h of e.hops) {
      const target = catalog.byName.get(h.target);
      if (!target || !h.fk || exclude.has(h.fk)) continue;
      for (const f of labelFields(target))
        def.push({ path: [h.step, f.field.name], words: [], via: h, score: 0.5 });
    }
  if (!def.length && filterField) def.push({ path: [filterField], words: [], score: 0.3 });
  return { outputs: def, chunkScores, explained, defaulted: true };
}
