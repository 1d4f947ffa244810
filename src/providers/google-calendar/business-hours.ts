/**
 * Opening hours as operators write them: `Mon-Fri 09:00-17:00; Sat 10:00-14:00` (segments split by
 * `;` or newlines, several ranges per segment, `9am-5pm` allowed), or JSON such as
 * `{ "mon": ["09:00-12:00", "13:00-17:00"], "sat": "10:00-14:00" }`. Parsed once per distinct value.
 */

import { lruCache } from '../../cache-limits.ts';
import { AppError } from '../../errors.ts';

/** Index 0 = Sunday; each day's open ranges in minutes after local midnight, sorted and merged. */
export type WeeklyHours = [number, number][][];

export const DEFAULT_BUSINESS_HOURS = 'Mon-Fri 09:00-17:00';

const DAY_NAMES: Record<string, number> = {
  sun: 0,
  sunday: 0,
  mon: 1,
  monday: 1,
  tue: 2,
  tues: 2,
  tuesday: 2,
  wed: 3,
  wednesday: 3,
  thu: 4,
  thur: 4,
  thurs: 4,
  thursday: 4,
  fri: 5,
  friday: 5,
  sat: 6,
  saturday: 6,
};

const FIELD = 'executionConfig.business_hours';
const invalid = (message: string) =>
  new AppError('validation_error', `business_hours ${message}`, { errors: [{ field: FIELD, message }] });

function day(name: string): number {
  const d = DAY_NAMES[name.trim().toLowerCase()];
  if (d === undefined) throw invalid(`names an unknown day "${name.trim().slice(0, 20)}"`);
  return d;
}

/** `Mon-Fri`, `Mon,Wed,Fri`, `Sat`, `daily` → weekday numbers. */
function days(spec: string): number[] {
  const s = spec.trim().toLowerCase();
  if (s === 'daily' || s === 'every day' || s === 'everyday' || s === 'all') return [0, 1, 2, 3, 4, 5, 6];
  const out: number[] = [];
  for (const part of s.split(',')) {
    const [a, b] = part.split('-');
    if (b === undefined) out.push(day(a));
    else
      for (let d = day(a), end = day(b), n = 0; n < 7; d = (d + 1) % 7, n++) {
        out.push(d);
        if (d === end) break;
      }
  }
  return out;
}

const CLOCK = /^(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$/i;

function minutes(text: string): number {
  const m = CLOCK.exec(text.trim());
  if (!m) throw invalid(`has an unreadable time "${text.trim().slice(0, 20)}"`);
  let h = Number(m[1]);
  const min = Number(m[2] ?? 0);
  const suffix = m[3]?.toLowerCase();
  if (suffix) {
    if (h < 1 || h > 12) throw invalid(`has an unreadable time "${text.trim()}"`);
    h = (h % 12) + (suffix === 'pm' ? 12 : 0);
  }
  if (h > 24 || min > 59 || (h === 24 && min > 0)) throw invalid(`has an unreadable time "${text.trim()}"`);
  return h * 60 + min;
}

function range(text: string): [number, number] {
  const [a, b, extra] = text.split('-');
  if (b === undefined || extra !== undefined)
    throw invalid(`has a range "${text.slice(0, 30)}" that is not like 09:00-17:00`);
  const start = minutes(a);
  const end = minutes(b);
  if (end <= start)
    throw invalid(`has a range "${text}" that ends before it starts (overnight hours are not supported)`);
  return [start, end];
}

function merge(ranges: [number, number][]): [number, number][] {
  const sorted = [...ranges].sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
}

function fromText(text: string): WeeklyHours {
  const week: [number, number][][] = [[], [], [], [], [], [], []];
  for (const segment of text
    .split(/[;\n]+/)
    .map((s) => s.trim())
    .filter(Boolean)) {
    // Days come first, up to the first digit: `Mon-Fri 9:00-17:00 13:00-18:00`.
    const at = segment.search(/\d/);
    if (at <= 0) {
      if (/closed/i.test(segment)) continue;
      throw invalid(`segment "${segment.slice(0, 40)}" needs days then hours, like "Mon-Fri 09:00-17:00"`);
    }
    const rest = segment.slice(at).trim();
    if (/closed/i.test(rest)) continue;
    const ranges = rest
      .replace(/\s*-\s*/g, '-')
      .split(/[\s,]+/)
      .filter(Boolean)
      .map(range);
    for (const d of days(segment.slice(0, at))) week[d].push(...ranges);
  }
  return week.map(merge);
}

function fromObject(obj: Record<string, unknown>): WeeklyHours {
  const week: [number, number][][] = [[], [], [], [], [], [], []];
  for (const [key, value] of Object.entries(obj)) {
    const targets = days(key);
    const items = value === null || value === false ? [] : Array.isArray(value) ? value : [value];
    for (const item of items) {
      let r: [number, number];
      if (typeof item === 'string') {
        if (/closed/i.test(item)) continue;
        r = range(item.replace(/\s+/g, ''));
      } else if (Array.isArray(item) && item.length === 2 && item.every((x) => typeof x === 'string')) {
        r = range(`${item[0]}-${item[1]}`);
      } else throw invalid(`has an unreadable value for "${key.slice(0, 20)}"`);
      for (const d of targets) week[d].push(r);
    }
  }
  return week.map(merge);
}

const cache = lruCache<string, WeeklyHours>('businessHours');

/** Parses a business_hours setting (text or JSON, or a JSON string); unset means Mon-Fri 9-5. */
export function parseBusinessHours(value: unknown): WeeklyHours {
  const v = value === undefined || value === null || value === '' ? DEFAULT_BUSINESS_HOURS : value;
  const key = typeof v === 'string' ? v : JSON.stringify(v);
  const hit = cache.get(key);
  if (hit) return hit;
  let parsed: WeeklyHours;
  if (typeof v === 'string') {
    const trimmed = v.trim();
    parsed = trimmed.startsWith('{') ? fromObject(parseJson(trimmed)) : fromText(trimmed);
  } else if (typeof v === 'object' && !Array.isArray(v)) parsed = fromObject(v as Record<string, unknown>);
  else throw invalid('must be text like "Mon-Fri 09:00-17:00" or an object of day → ranges');
  cache.set(key, parsed);
  return parsed;
}

function parseJson(text: string): Record<string, unknown> {
  try {
    const v = JSON.parse(text);
    if (v && typeof v === 'object' && !Array.isArray(v)) return v;
  } catch {}
  throw invalid('is not valid JSON');
}

const DAY_LABELS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const clock = (m: number) =>
  `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** `Mon 09:00-17:00; …` for results and error messages. */
export function describeHours(week: WeeklyHours): string {
  const parts = week
    .map((ranges, d) => ({ d, text: ranges.map(([a, b]) => `${clock(a)}-${clock(b)}`).join(' ') }))
    .filter((x) => x.text)
    .map((x) => `${DAY_LABELS[x.d]} ${x.text}`);
  return parts.length ? parts.join('; ') : 'closed every day';
}
