/**
 * The fixed vocabulary auto-map reasons with: tokens, a light stemmer applied alike to goals and
 * schema names (so its mistakes cancel out), a curated domain lexicon (the everyday words operators
 * type for the columns commerce, booking, media, support and HR schemas have), key phrases, stop
 * words and intent verbs. Fixed data keeps auto-map offline and deterministic.
 */

/** `SupportRepId`, `billing_address2`, `e-mail` → lower-case words. */
export function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .replace(/e-mail/g, 'email')
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 1 || /[0-9]/.test(w))
    .flatMap((w, i, all) => joinCompound(w, all[i + 1], all[i - 1]));
}

/**
 * Compounds that schemas write in two words and people in one (`postal_code`, `zip_code` and
 * "postcode"): one word on both sides, so the phrase is never half-explained by its "code".
 */
const COMPOUNDS: Record<string, string> = { postal: 'postcode', post: 'postcode', zip: 'postcode' };
function joinCompound(w: string, next: string | undefined, prev: string | undefined): string[] {
  if (w === 'code' && prev && COMPOUNDS[prev]) return [];
  if (next === 'code' && COMPOUNDS[w]) return [COMPOUNDS[w]];
  if (w === 'zipcode') return ['postcode'];
  return [w];
}

const IRREGULAR: Record<string, string> = {
  people: 'person',
  children: 'child',
  men: 'man',
  women: 'woman',
  data: 'datum',
  statuses: 'status',
  addresses: 'address',
  paid: 'pay',
  bought: 'buy',
  sold: 'sell',
  sent: 'send',
  made: 'make',
  wrote: 'write',
  written: 'write',
  shipping: 'ship',
  fulfil: 'fulfill',
  fulfils: 'fulfill',
  fulfilment: 'fulfillment',
  colour: 'color',
  favourite: 'favorite',
  // "rated R" is the rating, not a rate.
  rated: 'rating',
};

const DOUBLED = /([b-df-hj-km-np-tv-z])\1$/;

/**
 * A light suffix stripper: `categories` → `category`, `booking` → `book`, `shipped` → `ship`,
 * `replacement` → `replac`, `payment` → `pay`. Only letters are touched: `t600` stays `t600`.
 */
export function stem(word: string): string {
  let w = IRREGULAR[word] ?? word;
  if (w.length <= 3 || /[0-9]/.test(w)) return w;
  let stripped = false;
  let ed = false;
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (/(ss|us|is)$/.test(w)) return w;
  else if (/(x|z|ch|sh|ss)es$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith('s')) w = w.slice(0, -1);
  if (w.endsWith('ing') && w.length > 5) {
    w = w.slice(0, -3);
    stripped = true;
  } else if (w.endsWith('ed') && w.length > 4) {
    w = w.slice(0, -2);
    stripped = true;
    ed = true;
  } else if (w.endsWith('ment') && w.length > 7) {
    w = w.slice(0, -4);
  }
  // `shipp` → `ship` after a suffix came off; a word's own double letter (`staff`) stays.
  if (stripped && DOUBLED.test(w)) w = w.slice(0, -1);
  // `hired` → `hire`, `named` → `name`, `dated` → `date`: a short stem that lost its silent e.
  else if (ed && w.length === 3 && /^[^aeiou][aeiou][^aeiouwxy]$/.test(w)) w = `${w}e`;
  if (w.length > 4 && w.endsWith('e')) w = w.slice(0, -1);
  if (w.length > 4 && w.endsWith('ll')) w = w.slice(0, -1);
  return IRREGULAR[w] ?? w;
}

export const stems = (text: string) => words(text).map(stem);

/**
 * Synonym groups of the domain lexicon (plain words; stemmed below). A goal word and a schema word
 * in one group match at SYNONYM weight.
 */
const GROUPS: string[][] = [
  // people and parties
  [
    'customer',
    'client',
    'patron',
    'buyer',
    'shopper',
    'consumer',
    'guest',
    'account',
    'member',
    'subscriber',
  ],
  ['employee', 'staff', 'worker', 'colleague', 'rep', 'representative', 'personnel'],
  ['manager', 'boss', 'supervisor', 'report', 'head'],
  ['supplier', 'vendor', 'provider', 'manufacturer', 'maker', 'brand'],
  ['shipper', 'carrier', 'courier', 'shipping_company', 'delivery_company', 'haulier'],
  ['company', 'business', 'firm', 'organization', 'organisation', 'employer'],
  ['artist', 'band', 'musician', 'singer', 'performer', 'group'],
  ['actor', 'actress', 'cast', 'star'],
  ['composer', 'compose', 'songwriter', 'author', 'write'],
  // things sold, rented, played
  ['product', 'item', 'article', 'good', 'merchandise', 'ware'],
  ['film', 'movie', 'dvd', 'video', 'picture'],
  ['track', 'song', 'tune', 'recording'],
  ['album', 'lp'],
  ['genre', 'category', 'style'],
  ['inventory', 'stock', 'copy', 'copies'],
  ['collection', 'range'],
  ['variant', 'version', 'option'],
  // transactions
  ['order', 'purchase'],
  ['invoice', 'bill', 'receipt', 'statement'],
  ['pay', 'payment', 'charge', 'transaction'],
  ['rental', 'rent', 'hire', 'loan', 'borrow'],
  ['line', 'detail', 'line_item'],
  ['appointment', 'booking', 'reservation', 'visit', 'slot'],
  ['ship', 'deliver', 'delivery', 'dispatch', 'send', 'destination'],
  ['fulfill', 'fulfillment'],
  ['return', 'back', 'due'],
  ['require', 'deadline'],
  // amounts and quantities
  ['price', 'cost', 'rate', 'fee', 'tariff'],
  ['amount', 'total', 'sum', 'value'],
  ['quantity', 'qty', 'count', 'number', 'many', 'units'],
  ['stock', 'on_hand', 'available', 'inventory'],
  ['discount', 'rebate', 'reduction', 'markdown'],
  ['freight', 'postage', 'shipping_cost'],
  ['length', 'duration', 'long', 'runtime', 'millisecond', 'minute', 'playtime', 'period'],
  ['weight', 'heavy'],
  ['byte', 'size', 'big', 'filesize'],
  ['media', 'format', 'medium'],
  ['birth', 'born', 'birthday', 'dob'],
  // contact details
  ['phone', 'telephone', 'mobile', 'cell', 'tel'],
  ['email', 'mail'],
  ['address', 'street', 'postal_address'],
  ['postcode', 'postal', 'zip'],
  ['city', 'town'],
  ['country', 'nation'],
  ['region', 'state', 'province', 'county', 'area'],
  ['extension', 'ext'],
  ['fax', 'facsimile'],
  ['url', 'link', 'website', 'homepage', 'web', 'site'],
  // descriptions and labels
  ['name', 'label'],
  ['title', 'heading', 'headline'],
  ['description', 'desc', 'summary', 'blurb', 'about'],
  ['note', 'comment', 'remark', 'memo', 'instruction'],
  ['status', 'progress', 'stage', 'condition'],
  ['rating', 'rated', 'certificate', 'classification'],
  ['date', 'day', 'time'],
  ['year', 'release', 'released'],
  ['id', 'number', 'reference', 'ref', 'identifier', 'code', 'no'],
  ['handle', 'slug'],
  ['active', 'enabled', 'open', 'live'],
  ['track', 'tracked', 'monitor'],
  ['language', 'tongue', 'spoken'],
  ['territory', 'patch', 'district'],
  ['username', 'login', 'user_name'],
];

/** Key phrases rewritten to the lexicon's words before matching (longest first). */
const PHRASES: [string, string][] = [
  ['quantity on hand', 'stock'],
  ['units in stock', 'stock'],
  ['stock level', 'stock'],
  ['in stock', 'stock'],
  ['on order', 'order'],
  ['on hand', 'stock'],
  ['family name', 'last name'],
  ['surname', 'last name'],
  ['given name', 'first name'],
  ['forename', 'first name'],
  ['christian name', 'first name'],
  ['phone number', 'phone'],
  ['telephone number', 'phone'],
  ['mobile number', 'phone'],
  ['cell number', 'phone'],
  ['fax number', 'fax'],
  ['email address', 'email'],
  ['mail address', 'email'],
  ['zip code', 'postcode'],
  ['post code', 'postcode'],
  ['postal code', 'postcode'],
  ['zipcode', 'postcode'],
  ['full name', 'name'],
  ['whole name', 'name'],
  ['complete name', 'name'],
  ['called', 'name'],
  ['on file', ''],
  ['running time', 'length'],
  ['run time', 'length'],
  ['playing time', 'length'],
  ['play time', 'length'],
  ['needed by', 'required date'],
  ['need it by', 'required date'],
  ['needs it by', 'required date'],
  ['need them by', 'required date'],
  ['wanted by', 'required date'],
  ['required by', 'required date'],
  ['due by', 'required date'],
  ['due date', 'required date'],
  ['how long', 'length'],
  ['how many', 'number'],
  ['came out', 'release'],
  ['come out', 'release'],
  ['came back', 'returned'],
  ['come back', 'returned'],
  ['due back', 'returned'],
  ['brought back', 'returned'],
  ['job title', 'title'],
  ['sales rep', 'rep'],
  ['sales representative', 'rep'],
  ['account manager', 'rep'],
  ['date of birth', 'birth date'],
  ['file size', 'size'],
  ['postal address', 'address'],
  ['street address', 'address'],
  ['mailing address', 'address'],
  ['full address', 'address'],
  ['staff member', 'staff'],
  ['team member', 'staff'],
  ['contact person', 'contact name'],
  ['line items', 'line'],
  ['line item', 'line'],
  ['order lines', 'line'],
  ['order line', 'line'],
  ['delivery company', 'shipper'],
  ['shipping company', 'shipper'],
  ['delivery firm', 'shipper'],
  ['age rating', 'rating'],
  ['sign up', 'register'],
  ['look up', 'find'],
  ['pull up', 'find'],
  ['read out', 'tell'],
  ['give back', 'give'],
  ['e mail', 'email'],
];

export const SYNONYM = 0.8;

const SYNONYMS = new Map<string, Set<string>>();
for (const group of GROUPS) {
  // Multi-word entries (`on_hand`) are reached through PHRASES, not word by word.
  const set = new Set(group.filter((w) => !w.includes('_')).map(stem));
  for (const w of set) SYNONYMS.set(w, new Set([...(SYNONYMS.get(w) ?? []), ...set]));
}

/** 1 for the same stem, SYNONYM for words of one lexicon group, else 0. */
export function similarity(a: string, b: string): number {
  if (a === b) return 1;
  return SYNONYMS.get(a)?.has(b) ? SYNONYM : 0;
}

/** Every stem that matches `s` (itself and its lexicon group). */
export function related(s: string): Iterable<string> {
  return SYNONYMS.get(s) ?? [s];
}

/** Words that carry no meaning for matching, in goals and in schema names alike. */
export const STOP = new Set(
  (
    'a an the their his her its our my your them they it this that these those of for to in on at by with from and or ' +
    'let lets allow allows help can could should would will be is are was were been being do does did have has had ' +
    'me us we you i he she who what which when where how whether if so up out via using use about into onto per each any some ' +
    'all own please want wants need needs give gives new back detail details info information ' +
    'also just only then there too record records one ones much given certain particular specific say says tell ' +
    'read show list find get check see search look know fetch retrieve view lookup pull confirm verify them thing ' +
    'whose whom him hers theirs mine yours make sure currently current right now just ask asks asked someone ' +
    'callers caller agent agents belong belongs belonged after spelling spell typo held hold holds keep keeps kept contain contains'
  )
    .split(' ')
    .map(stem),
);

/** Words a goal uses to say it reads or writes. */
export const INSERT_VERBS = new Set(
  [
    'add',
    'create',
    'register',
    'enrol',
    'enroll',
    'insert',
    'log',
    'save',
    'submit',
    'open',
    'book',
    'record',
  ].map(stem),
);
export const UPDATE_VERBS = new Set(
  [
    'update',
    'change',
    'edit',
    'modify',
    'correct',
    'fix',
    'set',
    'amend',
    'rename',
    'adjust',
    'reschedule',
  ].map(stem),
);
export const DELETE_VERBS = new Set(
  ['delete', 'remove', 'cancel', 'erase', 'drop', 'unsubscribe', 'purge', 'deactivate'].map(stem),
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
    'confirm',
    'verify',
    'what',
    'which',
    'who',
    'how',
    'when',
    'where',
  ].map(stem),
);

export type Intent = 'read' | 'insert' | 'update' | 'delete';

/** The first intent verb in the goal decides; reads by default. */
export function intentOf(goalStems: string[]): Intent {
  for (const w of goalStems) {
    if (UPDATE_VERBS.has(w)) return 'update';
    if (DELETE_VERBS.has(w)) return 'delete';
    if (INSERT_VERBS.has(w)) return 'insert';
    if (READ_VERBS.has(w)) return 'read';
  }
  return 'read';
}

/** Intent verbs are not nouns to match against the schema (except those that are both). */
export const isVerb = (w: string) =>
  (INSERT_VERBS.has(w) || UPDATE_VERBS.has(w) || DELETE_VERBS.has(w)) &&
  !['book', 'order', 'record', 'log', 'set', 'open'].includes(w);

/** Lower-case words of a goal with its key phrases rewritten; punctuation kept as `,`. */
export function goalWords(text: string): string[] {
  const raw = text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .replace(/e-mail/g, 'email')
    .replace(/(\w)'s\b/g, '$1 _s')
    .replace(/:/g, ' : ')
    .replace(/[,;?!.()]+/g, ' , ')
    .split(/[^a-z0-9,:_]+/)
    .filter((w) => w === ',' || w === ':' || w === '_s' || w === 'a' || w.length > 1 || /[0-9]/.test(w));
  const out: string[] = [];
  for (let i = 0; i < raw.length; ) {
    let hit: [string, string] | undefined;
    for (const p of PHRASES) {
      const parts = p[0].split(' ');
      if (parts.every((x, k) => raw[i + k] === x)) {
        if (!hit || parts.length > hit[0].split(' ').length) hit = p;
      }
    }
    if (hit) {
      if (hit[1]) out.push(...hit[1].split(' '));
      i += hit[0].split(' ').length;
    } else out.push(raw[i++]);
  }
  return deadlines(out);
}

const WANTING = new Set([
  'need',
  'needs',
  'needed',
  'want',
  'wants',
  'wanted',
  'expect',
  'expects',
  'expected',
]);

/**
 * "when do they need the order (delivered) by?": a "by" that ends its clause after a verb of
 * wanting is a deadline, the date the thing is required by (not who delivers it).
 */
const AMOUNT_END = new Set([',', ':', 'and', 'or', 'paid', 'they', 'he', 'she', 'we']);

function deadlines(w: string[]): string[] {
  const out = [...w];
  // "tell me how much and when": a bare "how much" asks for the amount (not "how much is the freight").
  for (let i = out.length - 2; i >= 0; i--)
    if (out[i] === 'how' && out[i + 1] === 'much' && (i + 2 === out.length || AMOUNT_END.has(out[i + 2])))
      out.splice(i, 2, 'amount');
  for (let i = out.length - 1; i > 0; i--) {
    if (out[i] !== 'by' || (i + 1 < out.length && out[i + 1] !== ',' && out[i + 1] !== ':')) continue;
    let j = i - 1;
    while (j >= 0 && out[j] !== ',' && out[j] !== ':' && !WANTING.has(out[j])) j--;
    if (j < 0 || !WANTING.has(out[j])) continue;
    // The participle before "by" ("delivered by", "shipped by") says how, the deadline says when.
    const from = i - 1 > j && out[i - 1].endsWith('ed') ? i - 1 : i;
    out.splice(from, i + 1 - from, 'required', 'date');
  }
  return out;
}
