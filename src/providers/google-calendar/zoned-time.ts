/**
 * Wall-clock time in an IANA zone with Intl only: offsets, local → instant across DST changes, and
 * the renderings callers hear. Every instant leaves here with an explicit offset.
 */
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

const partsFormatters = new Map<string, Intl.DateTimeFormat>();
const humanFormatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = partsFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    partsFormatters.set(timeZone, f);
  }
  return f;
}

export function isTimeZone(timeZone: string): boolean {
  if (typeof timeZone !== 'string' || timeZone.length === 0 || timeZone.length > 64) return false;
  try {
    partsFormatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

export function localParts(ms: number, timeZone: string): LocalParts {
  const out: Record<string, number> = {};
  for (const p of partsFormatter(timeZone).formatToParts(new Date(ms))) {
    if (p.type === 'weekday') out.weekday = WEEKDAYS[p.value];
    else if (p.type !== 'literal') out[p.type] = Number(p.value);
  }
  return out as unknown as LocalParts;
}

/** Minutes east of UTC observed in `timeZone` at instant `ms`. */
export function offsetMinutes(ms: number, timeZone: string): number {
  const p = localParts(ms, timeZone);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((wall - Math.floor(ms / 1000) * 1000) / 60_000);
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
  const candidates = [wall - before * 60_000, wall - after * 60_000];
  const valid = candidates.filter((t) => wall - offsetMinutes(t, timeZone) * 60_000 === t);
  if (valid.length) return Math.min(...valid);
  return candidates[0];
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export const formatDate = (d: LocalDate) => `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}`;

/** RFC 3339 with the zone's offset at that instant (never `Z`, so no one mistakes it for local time). */
export function isoWithOffset(ms: number, timeZone: string): string {
  const p = localParts(ms, timeZone);
  const offset = offsetMinutes(ms, timeZone);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${formatDate(p)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** What a caller hears: "Tuesday, March 10, 2026 at 9:00 AM EDT". */
export function humanLocal(ms: number, timeZone: string): string {
  let f = humanFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'long',
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      timeZoneName: 'short',
    });
    humanFormatters.set(timeZone, f);
  }
  return f.format(new Date(ms));
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
