/**
 * A column's type from the values people typed (as displayed): the narrowest type every non-empty
 * sample fits, string when they disagree or there are none. Codes with leading zeros (zip codes,
 * SKUs) stay strings so they never lose their zeros. PII comes from the header's name first, then
 * from the values themselves (a column of email addresses is email whatever it is called).
 */
import { classifyPii } from '../pii.ts';
import type { FieldType, PiiClass } from '../types.ts';

const INTEGER = /^[+-]?(0|[1-9]\d{0,14}|[1-9]\d{0,2}(,\d{3}){1,4})$/;
const NUMBER = /^[+-]?[$€£¥]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?%?$/;
const BOOLEAN = /^(true|false)$/i;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const US_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
const DATETIME =
  /^(\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?|\d{1,2}\/\d{1,2}\/\d{4},? \d{1,2}:\d{2}(:\d{2})?( ?[AP]M)?)$/i;
const TIME = /^\d{1,2}:\d{2}(:\d{2})?( ?[AP]M)?$/i;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[\d\s().-]{7,22}$/;

const validDate = (y: number, m: number, d: number) => {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
};

function isDate(s: string): boolean {
  let m = ISO_DATE.exec(s);
  if (m) return validDate(+m[1], +m[2], +m[3]);
  m = US_DATE.exec(s);
  return Boolean(m && validDate(+m[3], +m[1], +m[2]));
}

const isNumber = (s: string) => /\d/.test(s) && NUMBER.test(s) && !/^[+-]?[$€£¥]?0\d/.test(s);
const isPhone = (s: string) => PHONE.test(s) && s.replace(/\D/g, '').length >= 7 && /[\s().+-]/.test(s);

/** Tried narrowest first; each accepts everything the ones before it accept within its family. */
const CANDIDATES: { type: FieldType; test: (s: string) => boolean }[] = [
  { type: 'boolean', test: (s) => BOOLEAN.test(s) },
  { type: 'integer', test: (s) => INTEGER.test(s) },
  { type: 'number', test: (s) => INTEGER.test(s) || isNumber(s) },
  { type: 'date', test: isDate },
  { type: 'datetime', test: (s) => isDate(s) || DATETIME.test(s) },
  { type: 'time', test: (s) => TIME.test(s) },
];

export interface Inferred {
  type: FieldType;
  pii: PiiClass | null;
}

/** `context` names the sheet (spreadsheet and tab title): a bare `Name` column of a customer list is a person's name. */
export function inferColumn(header: string, samples: unknown[], context?: string): Inferred {
  const values = samples
    .map((v) => (v === null || v === undefined ? '' : String(v).trim()))
    .filter((v) => v !== '');
  let type: FieldType = 'string';
  if (values.length) {
    type = CANDIDATES.find((c) => values.every(c.test))?.type ?? 'string';
    // A column of only dates is `date`; `datetime` needs at least one time of day in it.
    if (type === 'datetime' && values.every(isDate)) type = 'date';
  }
  let pii = header ? classifyPii({ name: header, type, objectName: context }) : null;
  // Phone numbers, card numbers and ids are identifiers, not quantities: keep their digits as typed.
  if (pii && (type === 'integer' || type === 'number')) type = 'string';
  if (!pii && type === 'string' && values.length) {
    if (values.every((v) => EMAIL.test(v))) pii = 'email';
    else if (values.every(isPhone)) pii = 'phone';
  }
  return { type, pii };
}
