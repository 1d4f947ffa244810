/** Time helpers for the Calendar fake: RFC 3339 parsing and rendering in an IANA zone. */

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Parses an RFC 3339 timestamp that carries an offset (Google refuses bare local times here). */
export function parseRfc3339(value: string): number {
  if (!RFC3339.test(value)) return Number.NaN;
  return Date.parse(value);
}

/** Minutes east of UTC that `timeZone` observes at instant `ms`. */
export function zoneOffsetMinutes(ms: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return Math.round((wall - Math.floor(ms / 1000) * 1000) / 60_000);
}

/** Interprets a wall-clock time ("2026-03-02T09:00:00") in `timeZone`; NaN when malformed. */
export function localToUtc(local: string, timeZone: string): number {
  const m = LOCAL.exec(local);
  if (!m) return Number.NaN;
  const wall = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] ?? 0));
  // Two passes settle the offset across DST transitions.
  let guess = wall - zoneOffsetMinutes(wall, timeZone) * 60_000;
  guess = wall - zoneOffsetMinutes(guess, timeZone) * 60_000;
  return guess;
}

/** Midnight of a calendar date ("2026-03-02") in `timeZone`. */
export function dateToUtc(date: string, timeZone: string): number {
  if (!DATE.test(date)) return Number.NaN;
  return localToUtc(`${date}T00:00:00`, timeZone);
}

export function hasOffset(value: string): boolean {
  return RFC3339.test(value);
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Renders `ms` as RFC 3339 in `timeZone`, with `Z` for UTC like Google does. */
export function formatInZone(ms: number, timeZone: string): string {
  const offset = zoneOffsetMinutes(ms, timeZone);
  const d = new Date(ms + offset * 60_000);
  const wall = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  if (offset === 0) return `${wall}Z`;
  const sign = offset > 0 ? '+' : '-';
  const abs = Math.abs(offset);
  return `${wall}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** UTC rendering without milliseconds, as freeBusy answers. */
export function formatUtc(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
