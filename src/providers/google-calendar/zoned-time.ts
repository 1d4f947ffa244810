/**
 * Wall-clock time in an IANA zone with Intl only: offsets, local → instant across DST changes, and
 * the renderings callers hear. Every instant leaves here with an explicit offset.
 */

import type { LRUCache } from 'lru-cache';
import { lruCache } from '../../cache-limits.ts';
import { AppError } from '../../errors.ts';

export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

export interface LocalParts extends LocalDate {
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
}

/**
 * Intl is the source of truth for offsets but costs microseconds per call, and a day of slots needs
 * hundreds of conversions. Offsets only change at transitions, which tzdata places on 15-minute
 * boundaries, so one Intl lookup per zone and quarter hour is exact; the rest is arithmetic.
 */
const QUARTER_HOUR = 15 * 60_000;
const offsetCache = lruCache<string, LRUCache<number, number>>('zoneOffsetZones');
const formatters = new Map<string, Intl.DateTimeFormat>();
const abbreviations = lruCache<string, string>('zoneAbbreviations');

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      timeZoneName: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isTimeZone(timeZone: string): boolean {
  if (typeof timeZone !== 'string' || timeZone.length === 0 || timeZone.length > 64) return false;
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** One Intl call: the offset at `ms` and the zone's short name for it ("EDT", or "GMT+1"). */
function lookup(ms: number, timeZone: string): number {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) parts[p.type] = p.value;
  const wall = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute, +parts.second);
  const offset = Math.round((wall - Math.floor(ms / 1000) * 1000) / 60_000);
  abbreviations.set(`${timeZone}\u0000${offset}`, parts.timeZoneName ?? '');
  return offset;
}

/** Minutes east of UTC observed in `timeZone` at instant `ms`. */
export function offsetMinutes(ms: number, timeZone: string): number {
  let zone = offsetCache.get(timeZone);
  if (!zone) {
    zone = lruCache<number, number>('zoneOffsetBuckets');
    offsetCache.set(timeZone, zone);
  }
  const bucket = Math.floor(ms / QUARTER_HOUR);
  let offset = zone.get(bucket);
  if (offset === undefined) {
    offset = lookup(bucket * QUARTER_HOUR, timeZone);
    zone.set(bucket, offset);
  }
  return offset;
}

export function localParts(ms: number, timeZone: string): LocalParts {
  const d = new Date(ms + offsetMinutes(ms, timeZone) * 60_000);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    weekday: d.getUTCDay(),
  };
}

/**
 * The instant a wall-clock time names in `timeZone`. In the hour a DST change repeats, the earlier
 * instant wins; a time the change skips (02:30 on a spring-forward night) moves forward by the gap,
 * as Google Calendar does.
 */
export function wallToUtc(d: LocalDate, hour: number, minute: number, timeZone: string, second = 0): number {
  const wall = Date.UTC(d.year, d.month - 1, d.day, hour, minute, second);
  const before = offsetMinutes(wall - 86_400_000, timeZone);
  const after = offsetMinutes(wall + 86_400_000, timeZone);
  const first = wall - before * 60_000;
  const later = wall - after * 60_000;
  const valid = [first, later].filter((t) => wall - offsetMinutes(t, timeZone) * 60_000 === t);
  if (valid.length) return Math.min(...valid);
  return first;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export const formatDate = (d: LocalDate) => `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}`;

/** RFC 3339 with the zone's offset at that instant (never `Z`, so no one mistakes it for local time). */
export function isoWithOffset(ms: number, timeZone: string): string {
  const offset = offsetMinutes(ms, timeZone);
  const d = new Date(ms + offset * 60_000);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/**
 * What a caller hears: "Tuesday, March 10, 2026 at 9:00 AM EDT". Built by hand with plain spaces
 * (ICU puts a narrow no-break space before AM/PM, which some speech engines stumble on).
 */
export function humanLocal(ms: number, timeZone: string): string {
  const offset = offsetMinutes(ms, timeZone);
  const d = new Date(ms + offset * 60_000);
  const h = d.getUTCHours();
  const clock = `${h % 12 === 0 ? 12 : h % 12}:${pad(d.getUTCMinutes())} ${h < 12 ? 'AM' : 'PM'}`;
  const key = `${timeZone}\u0000${offset}`;
  if (!abbreviations.has(key)) lookup(ms, timeZone);
  const zone = abbreviations.get(key) ?? '';
  const date = `${DAY_NAMES[d.getUTCDay()]}, ${MONTH_NAMES[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}`;
  return `${date} at ${clock}${zone ? ` ${zone}` : ''}`;
}

export function addDays(d: LocalDate, days: number): LocalDate {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + days));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

export const weekdayOf = (d: LocalDate) => new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay();

export const compareDates = (a: LocalDate, b: LocalDate) =>
  a.year - b.year || a.month - b.month || a.day - b.day;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

function checkedDate(y: number, m: number, d: number): LocalDate | null {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d
    ? { year: y, month: m, day: d }
    : null;
}

/** A calendar date `YYYY-MM-DD`, or a validation_error naming the parameter. */
export function parseDateParam(value: string, field: string): LocalDate {
  const m = DATE.exec(value.trim());
  const d = m && checkedDate(+m[1], +m[2], +m[3]);
  if (!d) throw badTime(field, 'must be a date like 2026-03-10');
  return d;
}

/**
 * A caller's time: ISO 8601 with an offset is taken as that instant; without one it is read as wall
 * time in the business's zone (what a caller means by "3 pm").
 */
export function parseTimeParam(
  value: string,
  field: string,
  timeZone: string,
): { ms: number; hadOffset: boolean } {
  const m = DATETIME.exec(value.trim());
  const date = m && checkedDate(+m[1], +m[2], +m[3]);
  const hour = m ? +m[4] : 0;
  const minute = m ? +m[5] : 0;
  const second = m?.[6] ? +m[6] : 0;
  if (!m || !date || hour > 23 || minute > 59 || second > 59) {
    throw badTime(
      field,
      'must be an ISO 8601 time like 2026-03-10T15:00:00-04:00 (or without offset, in the business time zone)',
    );
  }
  const zone = m[7];
  if (!zone) return { ms: wallToUtc(date, hour, minute, timeZone, second), hadOffset: false };
  const wall = Date.UTC(date.year, date.month - 1, date.day, hour, minute, second);
  if (zone.toUpperCase() === 'Z') return { ms: wall, hadOffset: true };
  const digits = zone.slice(1).replace(':', '');
  const offset =
    (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0)) * (zone[0] === '-' ? -1 : 1);
  if (Math.abs(offset) > 18 * 60) throw badTime(field, 'has an offset beyond ±18:00');
  return { ms: wall - offset * 60_000, hadOffset: true };
}

const badTime = (field: string, message: string) =>
  new AppError('validation_error', `${field} ${message}`, { errors: [{ field, message }] });
