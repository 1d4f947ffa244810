/**
 * A goal as auto-map reads it: its intent (from the verb), the phrase naming the lookup (after
 * "by", "from their", "for a … id", "on a given …", "a caller gives their …"), and the other
 * content words grouped into chunks, each chunk one thing the goal names ("the company name", "the
 * phone", "how long it runs"), with where each word stood (the subject, the filter, the outputs).
 */
import { goalWords, type Intent, intentOf, isVerb, STOP, stem } from './lexicon.ts';

export type Region = 'subject' | 'filter' | 'output';

export interface Term {
  /** The stem matched against the schema. */
  s: string;
  /** The word as the goal has it (after key phrases). */
  w: string;
  /** Position among the goal's words. */
  i: number;
  region: Region;
  /** Right after "which"/"what": the thing the question asks for. */
  asked?: boolean;
  /** Followed by 's: it owns what comes next ("the customer's email"). */
  owner?: boolean;
}

export interface Goal {
  text: string;
  intent: Intent;
  /** The lookup phrase's content words, or null when the goal names none. */
  filter: Term[] | null;
  /** Every other content word, in chunks. */
  chunks: Term[][];
  /** Every content word, filter included. */
  terms: Term[];
  /** Words of "let <them> …" (who asks, usually): object names only when nothing else is named. */
  asker: Term[];
}

const DETERMINERS = new Set([
  'their',
  'the',
  'its',
  'a',
  'an',
  'his',
  'her',
  'my',
  'our',
  'your',
  'this',
  'that',
]);
const BOUNDARY = new Set([
  ',',
  ':',
  'by',
  'and',
  'or',
  'with',
  'to',
  'then',
  'tell',
  'give',
  'say',
  'return',
  'show',
  'read',
  'list',
  'who',
  'what',
  'which',
  'when',
  'whether',
  'how',
  'if',
  'for',
  'on',
  'in',
  'plus',
  'including',
  'but',
  'so',
  'from',
  'find',
  'search',
  'get',
  'check',
  'look',
  'see',
]);
const OUTPUT_CUES = new Set([
  'tell',
  'give',
  'say',
  'return',
  'show',
  'with',
  'including',
  'plus',
  'whether',
]);
const QUESTION = new Set(['what', 'which', 'who', 'when', 'how', 'where']);
const READ_RESET = new Set(['find', 'search', 'get', 'check', 'look', 'see', 'list', 'fetch', 'retrieve']);
const SPEAKERS = new Set(['caller', 'callers', 'customer', 'client', 'they', 'he', 'she', 'user', 'guest']);
const SUPPLY = new Set([
  'give',
  'gives',
  'provide',
  'provides',
  'quote',
  'quotes',
  'supply',
  'supplies',
  'read',
  'reads',
  'tell',
  'tells',
  'spell',
  'spells',
]);
const THIRD_PERSON = new Set(['gives', 'provides', 'quotes', 'supplies', 'reads', 'spells']);
const ID_WORDS = new Set(['id', 'number', 'reference', 'ref', 'code', 'no']);
const LET = new Set(['let', 'allow', 'help', 'enable']);
const BE = new Set(['is', 'are', 'was', 'were']);

/** Where the lookup phrase starts (the index of its first word) and how it was cued. */
function filterStart(w: string[]): number | null {
  // "…, employee id given": the key named just before a closing "given" is the lookup.
  for (let i = 1; i < w.length; i++) {
    if (w[i] !== 'given' || (i + 1 < w.length && w[i + 1] !== ',' && w[i + 1] !== ':')) continue;
    let a = i;
    while (a > 0 && w[a - 1] !== ',' && w[a - 1] !== ':') a--;
    if (a < i && ID_WORDS.has(w[i - 1])) return a;
  }
  // The last "by" names the lookup: "copies held by a store, by store id".
  const strong = w.findLastIndex((x) => x === 'by' || x === 'using' || x === 'via');
  if (strong >= 0) return strong + 1;
  for (let i = 0; i < w.length; i++) {
    const next = w[i + 1];
    if (w[i] === 'from' && next && DETERMINERS.has(next)) return i + 1;
    if (w[i] === 'given' && i > 0 && DETERMINERS.has(w[i - 1])) return i + 1;
    // "a caller gives their …", "the member quotes their …": whoever supplies it, it is the lookup.
    const speaker =
      SPEAKERS.has(w[i]) || (THIRD_PERSON.has(next) && !BOUNDARY.has(w[i]) && !DETERMINERS.has(w[i]));
    if (speaker && next && SUPPLY.has(next) && w[i + 2] && DETERMINERS.has(w[i + 2])) return i + 2;
    if (w[i] === 'for' && (i === 0 || w[i - 1] === ',') && next && DETERMINERS.has(next)) {
      let j = i + 1;
      while (j < w.length && w[j] !== ',' && !ID_WORDS.has(w[j])) j++;
      if (j < w.length && ID_WORDS.has(w[j])) return i + 1;
    }
  }
  return null;
}

export function parseGoal(text: string): Goal {
  const raw = goalWords(text);
  // "customer's email": the possessive marks its word as the owner and is then dropped.
  const owners = new Set<number>();
  const w: string[] = [];
  for (const x of raw) {
    if (x === '_s') owners.add(w.length - 1);
    else w.push(x);
  }
  const stems = w.map((x) => (x === 'when' ? 'date' : stem(x)));
  const intent = intentOf(w.filter((x) => x !== ',').map(stem));
  const start = filterStart(w);
  // The lookup phrase: after its cue, articles skipped, up to a boundary or four content words.
  let range: [number, number] | null = null;
  if (start !== null) {
    let a = start;
    while (a < w.length && (DETERMINERS.has(w[a]) || w[a] === 'given')) a++;
    let b = a;
    let n = 0;
    while (b < w.length && !BOUNDARY.has(w[b]) && n < 4) {
      if (!STOP.has(stems[b])) n++;
      b++;
    }
    if (n > 0) range = [a, b];
  }
  const terms: Term[] = [];
  const chunks: Term[][] = [];
  const asker: Term[] = [];
  const filter: Term[] = [];
  let chunk: Term[] = [];
  const close = () => {
    if (chunk.length) chunks.push(chunk);
    chunk = [];
  };
  let region: Region = 'subject';
  let letting = false;
  let clauseStart = true;
  for (let i = 0; i < w.length; i++) {
    const x = w[i];
    const s = stems[i];
    const inFilter = range !== null && i >= range[0] && i < range[1];
    if (x === ':') {
      // "…by id: the name, the price": what follows the colon is what to return.
      close();
      region = 'output';
      clauseStart = false;
      letting = false;
      continue;
    }
    if (x === ',') {
      close();
      clauseStart = true;
      letting = false;
      continue;
    }
    if (LET.has(x)) {
      letting = true;
      continue;
    }
    if (inFilter) {
      close();
      if (!STOP.has(s) || x === 'when') {
        const t: Term = { s, w: x, i, region: 'filter', ...(owners.has(i) ? { owner: true } : {}) };
        filter.push(t);
        terms.push(t);
      }
      continue;
    }
    if (range !== null && i === range[1]) close();
    if (READ_RESET.has(x)) {
      close();
      region = 'subject';
      letting = false;
      clauseStart = true;
      continue;
    } else if (OUTPUT_CUES.has(x) || (QUESTION.has(x) && !clauseStart)) {
      close();
      region = 'output';
      if (OUTPUT_CUES.has(x)) {
        clauseStart = false;
        continue;
      }
    } else if (BOUNDARY.has(x)) close();
    // "which supplier makes it?", "who is the support rep": a question opening a clause asks for
    // the noun after it (articles and "is" between).
    let q = i - 1;
    while (q >= 0 && q >= i - 4 && (DETERMINERS.has(w[q]) || BE.has(w[q]))) q--;
    const asked = q >= 0 && QUESTION.has(w[q]) && (q === 0 || w[q - 1] === ',');
    clauseStart = false;
    if (letting && (isVerb(s) || intentOf([s]) !== 'read' || READ_RESET.has(x))) letting = false;
    if ((STOP.has(s) && x !== 'when') || isVerb(s)) continue;
    if (/^[0-9]+$/.test(x)) continue;
    const t: Term = {
      s,
      w: x,
      i,
      region,
      ...(asked ? { asked: true } : {}),
      ...(owners.has(i) ? { owner: true } : {}),
    };
    if (letting) {
      asker.push(t);
      continue;
    }
    terms.push(t);
    chunk.push(t);
  }
  close();
  // "rename a category": the name is what changes.
  if (w.some((x) => x === 'rename' || x === 'renames') && !terms.some((t) => t.s === 'name')) {
    const t: Term = { s: 'name', w: 'name', i: w.length, region: 'output' };
    terms.push(t);
    chunks.push([t]);
  }
  return { text, intent, filter: range && filter.length ? filter : null, chunks, terms, asker };
}
