/**
 * PII classification of discovered fields from their names, types and comments. It feeds the write
 * guard of SPEC §7 (sensitive classes are refused as write targets), so it leans towards catching a
 * real PII column, while a type that cannot hold the value (a boolean `email_verified`, an integer
 * `address_id`, a timestamp `password_changed_at`) rules a class out.
 */

import { lruCache } from '../cache-limits.ts';
import type { FieldType, PiiClass } from './types.ts';

export interface PiiCandidate {
  name: string;
  type: FieldType;
  comment?: string | null;
  /** The table the column belongs to: a bare `name` column is a person's name only in a person-like table. */
  objectName?: string;
}

/** Splits `SupportRepId`, `billing_address2`, `e-mail` into lower-case words. */
export function nameTokens(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([a-zA-Z])(\d)/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

interface Rule {
  pii: PiiClass;
  types: FieldType[];
  /** Any of these token sequences inside the name. */
  names: string[][];
  /** Words in the comment that mark the class. */
  comment: RegExp;
}

const TEXT: FieldType[] = ['string'];
const TEXT_OR_NUMBER: FieldType[] = ['string', 'integer', 'number'];
const SECRET: FieldType[] = ['string', 'binary'];

/** `'first name|surname'` → [['first', 'name'], ['surname']]. */
const seq = (names: string) => names.split('|').map((n) => n.split(' '));

// Order matters: the first match wins, most sensitive first (a `card_holder_name` is a name, but a
// `password_email_token` is a credential).
const RULES: Rule[] = [
  {
    pii: 'credential',
    types: SECRET,
    names: seq(
      'password|passwd|pwd|passphrase|pass hash|secret|api key|apikey|token|private key|pin code|pin hash|otp|totp|mfa secret|salt|credential|credentials',
    ),
    comment: /\b(password|secret|api key|access token|credential)s?\b/i,
  },
  {
    pii: 'payment_card',
    types: TEXT_OR_NUMBER,
    names: seq(
      'card number|cardnumber|card no|card num|credit card|creditcard|debit card|cc number|cc num|ccn|pan|cvv|cvc|cvv 2|card cvv|card expiry|iban',
    ),
    // Acronyms only in capitals: 'pan' or 'cvc' in lower case is too often an ordinary word.
    comment: /\b(?:[Cc]redit [Cc]ard|[Cc]ard [Nn]umber|[Dd]ebit [Cc]ard|PAN|CVV|CVC|IBAN)\b/,
  },
  {
    pii: 'government_id',
    types: TEXT_OR_NUMBER,
    names: seq(
      'ssn|social security|social security number|national id|national insurance|nino|passport|passport number|passport no|tax id|taxid|tax number|tin|itin|driver license|drivers license|driving licence|driver licence|license number|licence number|id card number|personal id|nif|cpf|aadhaar',
    ),
    comment: /\b(social security|SSN|passport|national id|tax id|driver'?s? licen[cs]e)\b/i,
  },
  {
    pii: 'email',
    types: TEXT,
    names: seq('email|e mail|mail|email address|mail address'),
    comment: /\be-?mail\b/i,
  },
  {
    pii: 'phone',
    types: TEXT_OR_NUMBER,
    names: seq('phone|telephone|tel|mobile|cell|cellphone|fax|msisdn|phone number'),
    comment: /\b(phone|telephone|mobile number|fax)\b/i,
  },
  {
    pii: 'date_of_birth',
    types: ['date', 'datetime', 'string'],
    names: seq('dob|birth|birthdate|birthday|date of birth|born'),
    comment: /\b(date of birth|birth ?date|birthday|DOB)\b/i,
  },
  {
    pii: 'address',
    types: TEXT_OR_NUMBER,
    names: seq(
      'address|addr|address 1|address 2|address line|street|street address|postal code|postcode|post code|zip|zip code|zipcode',
    ),
    comment: /\b(street address|postal address|home address|postal code|zip code)\b/i,
  },
  {
    pii: 'person_name',
    types: TEXT,
    names: seq(
      'first name|firstname|last name|lastname|middle name|full name|fullname|surname|given name|family name|forename|maiden name|contact name|customer name|holder name|cardholder name|patient name|employee name|guest name|person name|legal name',
    ),
    comment: /\b(first name|last name|full name|surname|person'?s name|customer name)\b/i,
  },
];

const wordSet = (text: string) => new Set(text.split(' '));

// Words that turn a PII-looking name into a fact about the value (a flag, a count, a kind, a
// timestamp) rather than the value itself.
const META_WORDS = wordSet(
  'verified confirmed validated opt optin opted subscribed unsubscribed consent status count ' +
    'type kind format template sent bounced enabled required policy expires expiry expiration ' +
    'changed updated reset length hint strength attempts domain provider country prefix ' +
    'extension ext ip mac url web place',
);

// Where a metadata word is part of the value's name, it must not disqualify it.
const META_EXEMPT: Partial<Record<PiiClass, Set<string>>> = {
  credential: new Set(['reset']), // `reset_token` is a live credential
  payment_card: new Set(['expiry']),
};

// Tables whose bare `name` column names a person.
const PERSON_TABLES = wordSet(
  'customer customers client clients user users person persons people employee employees ' +
    'staff contact contacts patient patients member members guest guests student students ' +
    'author authors actor actors driver drivers owner owners',
);

// Needles indexed by their first word: a name is checked against the few rules its words can start.
const NEEDLES_BY_WORD = new Map<string, { rule: Rule; needle: string[] }[]>();
for (const rule of RULES) {
  for (const needle of rule.names) {
    NEEDLES_BY_WORD.set(needle[0], [...(NEEDLES_BY_WORD.get(needle[0]) ?? []), { rule, needle }]);
  }
}

function isKeyReference(tokens: string[], type: FieldType): boolean {
  // `address_id`, `customer_email_id`: a key pointing at the PII, not the PII.
  const last = tokens[tokens.length - 1];
  return (last === 'id' || last === 'key' || last === 'fk') && type !== 'string';
}

/** The first rule (in RULES order) whose words appear in the name and whose types allow `type`. */
function classifyName(tokens: string[], type: FieldType): PiiClass | null {
  const meta = tokens.filter((t) => META_WORDS.has(t));
  let best = -1;
  tokens.forEach((word, i) => {
    for (const { rule, needle } of NEEDLES_BY_WORD.get(word) ?? []) {
      const order = RULES.indexOf(rule);
      if (best !== -1 && order >= best) continue;
      if (!rule.types.includes(type) || !needle.every((w, j) => tokens[i + j] === w)) continue;
      const exempt = META_EXEMPT[rule.pii];
      if (meta.some((t) => !exempt?.has(t))) continue;
      best = order;
    }
  });
  return best === -1 ? null : RULES[best].pii;
}

// Column names repeat across tables (`id`, `name`, `created_at`): classify each name and type once.
// lru-cache holds no null: a field with no PII class is cached as false.
const byName = lruCache<string, PiiClass | false>('piiByName');

function classifyByName(name: string, type: FieldType): PiiClass | null {
  const key = `${type}\u0000${name}`;
  let pii = byName.get(key);
  if (pii === undefined) {
    const tokens = nameTokens(name);
    pii = (tokens.length === 0 || isKeyReference(tokens, type) ? null : classifyName(tokens, type)) ?? false;
    byName.set(key, pii);
  }
  return pii || null;
}

/** The PII class of a field, or null. */
export function classifyPii(field: PiiCandidate): PiiClass | null {
  const pii = classifyByName(field.name, field.type);
  if (pii) return pii;
  if (field.type === 'string' && field.objectName && /^name$/i.test(field.name)) {
    const objectTokens = nameTokens(field.objectName.split('.').pop()!);
    if (objectTokens.some((t) => PERSON_TABLES.has(t))) return 'person_name';
  }
  if (field.comment) {
    for (const rule of RULES) {
      if (rule.types.includes(field.type) && rule.comment.test(field.comment)) return rule.pii;
    }
  }
  return null;
}
