/**
 * The small, fixed vocabulary auto-map reasons with: tokens, a crude stemmer applied alike to goals
 * and schema names (so its mistakes cancel out), synonym groups, stop words and intent verbs. Fixed
 * data keeps auto-map offline and deterministic.
 */

/** `SupportRepId`, `billing_address2`, `e-mail` → lower-case words. */
export function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .replace(/e-mail/g, 'email')
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

const IRREGULAR: Record<string, string> = {
  people: 'person',
  children: 'child',
  men: 'man',
  women: 'woman',
  data: 'datum',
  statuses: 'status',
  addresses: 'address',
};

/** A crude suffix stripper: `categories` → `category`, `booking` → `book`, `shipped` → `ship`. */
export function stem(word: string): string {
  let w = IRREGULAR[word] ?? word;
  if (w.length <= 3) return w;
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (/(ss|us|is)$/.test(w)) return w;
  else if (/(x|z|ch|sh|ss)es$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith('s')) w = w.slice(0, -1);
  if (w.endsWith('ing') && w.length > 5) w = w.slice(0, -3);
  else if (w.endsWith('ed') && w.length > 4) w = w.slice(0, -2);
  // `shipp` → `ship`, but not `address`-like double s.
  if (/([^aeiouls])\1$/.test(w)) w = w.slice(0, -1);
  return w;
}

export const stems = (text: string) => words(text).map(stem);

// Synonym groups, written as stems of their words.
const GROUPS: string[][] = [
  [
    'customer',
    'client',
    'caller',
    'patron',
    'buyer',
    'shopper',
    'member',
    'user',
    'account',
    'guest',
    'consumer',
  ],
  ['order', 'purchase', 'invoice', 'sale'],
  ['phone', 'telephone', 'mobile', 'cell', 'tel'],
  ['email', 'mail'],
  ['address', 'street', 'location'],
  ['zip', 'postal', 'postcode'],
  ['appointment', 'book', 'reservation', 'visit', 'slot'],
  ['film', 'movie', 'video', 'dvd'],
  ['track', 'song', 'tune'],
  ['artist', 'band', 'musician'],
  ['employee', 'staff', 'worker', 'rep'],
  ['product', 'item', 'good', 'article'],
  ['status', 'state', 'progress'],
  ['rental', 'rent', 'loan', 'hire'],
  ['payment', 'charge', 'transaction'],
  ['price', 'cost', 'amount', 'rate', 'fee', 'total'],
  ['supplier', 'vendor'],
  ['shipper', 'carrier', 'courier'],
  ['ship', 'deliver', 'dispatch'],
  ['category', 'genre', 'type', 'kind'],
  ['name', 'surname'],
  ['note', 'comment', 'remark', 'message'],
  ['date', 'day'],
  ['quantity', 'qty', 'count'],
];

const SYNONYMS = new Map<string, Set<string>>();
for (const group of GROUPS) {
  const set = new Set(group.map(stem));
  for (const w of set) SYNONYMS.set(w, new Set([...(SYNONYMS.get(w) ?? []), ...set]));
}

/** 1 for the same stem, 0.7 for a synonym, else 0. */
export function similarity(a: string, b: string): number {
  if (a === b) return 1;
  return SYNONYMS.get(a)?.has(b) ? 0.7 : 0;
}

export const STOP = new Set(
  (
    'a an the their his her its our my your them they it this that these those of for to in on at by with from and or ' +
    'let lets allow allows callers caller can could should would will be is are was were been being do does did have has ' +
    'me us we you i who what which when where how whether if so up out via using use about into onto per each any some ' +
    'all own please want wants need needs give gives new return returns back detail details info information ' +
    'also just only then there too'
  ).split(' '),
);

const INSERT_VERBS = new Set(
  [
    'add',
    'create',
    'register',
    'book',
    'enrol',
    'enroll',
    'insert',
    'record',
    'log',
    'save',
    'submit',
    'place',
    'sign',
    'schedule',
    'make',
    'open',
  ].map(stem),
);
const UPDATE_VERBS = new Set(
  [
    'update',
    'change',
    'edit',
    'modify',
    'correct',
    'fix',
    'set',
    'reschedule',
    'move',
    'amend',
    'replace',
    'rename',
  ].map(stem),
);
const READ_VERBS = new Set(
  [
    'check',
    'find',
    'look',
    'lookup',
    'get',
    'see',
    'search',
    'show',
    'tell',
    'read',
    'know',
    'retrieve',
    'fetch',
    'list',
    'view',
    'track',
    'confirm',
    'verify',
  ].map(stem),
);

export type Intent = 'read' | 'insert' | 'update';

/** The first intent verb in the goal decides; reads by default. */
export function intentOf(goalStems: string[]): Intent {
  for (const w of goalStems) {
    if (UPDATE_VERBS.has(w)) return 'update';
    if (INSERT_VERBS.has(w)) return 'insert';
    if (READ_VERBS.has(w)) return 'read';
  }
  return 'read';
}

/** Verb stems are not nouns to match against the schema (except `book`, which is both). */
export const isVerb = (w: string) =>
  (INSERT_VERBS.has(w) || UPDATE_VERBS.has(w) || READ_VERBS.has(w)) &&
  w !== 'book' &&
  w !== 'order' &&
  w !== 'track' &&
  w !== 'record';

const ARTICLES = new Set(['their', 'the', 'his', 'her', 'its', 'a', 'an', 'your', 'my', 'our']);

/** Where the phrase naming the filter sits: the words after "by" / "using" / "via" (up to three). */
export function filterRange(goalWords: string[]): [number, number] | null {
  const i = goalWords.findIndex((w) => w === 'by' || w === 'using' || w === 'via');
  if (i < 0) return null;
  let start = i + 1;
  while (start < goalWords.length && ARTICLES.has(goalWords[start])) start++;
  let end = start;
  while (end < goalWords.length && end - start < 3 && !STOP.has(goalWords[end])) end++;
  return end > start ? [start, end] : null;
}
