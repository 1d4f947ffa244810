/** events.list filtering/ordering and freeBusy computation, with Google's validation errors. */
import { ApiError } from './errors.ts';
import type { Calendar, CalendarEvent } from './state.ts';
import { formatInZone, parseRfc3339 } from './time.ts';

export type Query = Record<string, unknown>;

const list = (v: unknown): string[] =>
  Array.isArray(v) ? v.map(String) : v === undefined ? [] : [String(v)];
const one = (v: unknown): string | undefined => list(v)[0];

/** Parses an RFC 3339 query bound; Google answers a bare "Bad Request" to one without an offset. */
export function timeBound(value: unknown): number | undefined {
  const s = one(value);
  if (s === undefined) return undefined;
  const ms = parseRfc3339(s);
  if (Number.isNaN(ms)) throw new ApiError(400, 'Bad Request', 'badRequest');
  return ms;
}

function propertyFilter(values: string[]): [string, string][] {
  return values.map((v) => {
    const i = v.indexOf('=');
    if (i <= 0) throw new ApiError(400, 'Invalid extended property value', 'invalid');
    return [v.slice(0, i), v.slice(i + 1)];
  });
}

function haystack(ev: CalendarEvent): string {
  const parts = [ev.summary, ev.description, ev.location];
  for (const a of ev.attendees ?? []) parts.push(a.email, a.displayName);
  return parts.filter(Boolean).join(' ').toLowerCase();
}

/** Filters and orders a calendar's events as events.list does (no recurrence: events are single). */
export function queryEvents(cal: Calendar, q: Query): CalendarEvent[] {
  const timeMin = timeBound(q.timeMin);
  const timeMax = timeBound(q.timeMax);
  const updatedMin = timeBound(q.updatedMin);
  if (timeMin !== undefined && timeMax !== undefined && timeMin > timeMax) {
    throw new ApiError(400, 'The specified time range is empty.', 'timeRangeEmpty');
  }
  const orderBy = one(q.orderBy);
  if (orderBy !== undefined && orderBy !== 'startTime' && orderBy !== 'updated') {
    throw new ApiError(400, 'Invalid Value', 'invalid', { location: 'orderBy', locationType: 'parameter' });
  }
  if (orderBy === 'startTime' && one(q.singleEvents) !== 'true') {
    throw new ApiError(
      400,
      'The requested ordering is not available for the particular query.',
      'badRequest',
    );
  }
  const privateProps = propertyFilter(list(q.privateExtendedProperty));
  const sharedProps = propertyFilter(list(q.sharedExtendedProperty));
  const terms = (one(q.q) ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const iCalUID = one(q.iCalUID);
  const showDeleted = one(q.showDeleted) === 'true';

  const out = [...cal.events.values()].filter((ev) => {
    if (ev.status === 'cancelled' && !showDeleted) return false;
    if (timeMin !== undefined && ev.endMs <= timeMin) return false;
    if (timeMax !== undefined && ev.startMs >= timeMax) return false;
    if (updatedMin !== undefined && ev.updatedMs < updatedMin) return false;
    if (iCalUID !== undefined && ev.iCalUID !== iCalUID) return false;
    if (privateProps.some(([k, v]) => ev.extendedProperties?.private?.[k] !== v)) return false;
    if (sharedProps.some(([k, v]) => ev.extendedProperties?.shared?.[k] !== v)) return false;
    if (terms.length) {
      const text = haystack(ev);
      if (!terms.every((t) => text.includes(t))) return false;
    }
    return true;
  });
  if (orderBy === 'startTime') out.sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs);
  if (orderBy === 'updated') out.sort((a, b) => a.updatedMs - b.updatedMs);
  return out;
}

/** Opaque page tokens: an offset Google-style clients pass back untouched. */
export function paginate<T>(items: T[], q: Query, defaultSize: number, maxSize: number) {
  const raw = one(q.maxResults) ?? one(q.pageSize);
  let size = defaultSize;
  if (raw !== undefined) {
    size = Number(raw);
    if (!Number.isInteger(size) || size < 1) throw new ApiError(400, 'Invalid Value', 'invalid');
    size = Math.min(size, maxSize);
  }
  let offset = 0;
  const token = one(q.pageToken);
  if (token) {
    const parsed = Number(Buffer.from(token, 'base64url').toString().replace(/^o:/, ''));
    if (!Number.isInteger(parsed) || parsed < 0) throw new ApiError(400, 'Invalid Value', 'invalid');
    offset = parsed;
  }
  const page = items.slice(offset, offset + size);
  const next =
    offset + size < items.length ? Buffer.from(`o:${offset + size}`).toString('base64url') : undefined;
  return { page, nextPageToken: next };
}

/** Busy intervals (rendered in `timeZone`, UTC by default as Google does) of opaque, non-cancelled events, clipped to the window and merged. */
export function busyIntervals(cal: Calendar, minMs: number, maxMs: number, timeZone = 'UTC') {
  const spans = [...cal.events.values()]
    .filter((e) => e.status !== 'cancelled' && e.transparency !== 'transparent')
    .filter((e) => e.endMs > minMs && e.startMs < maxMs && e.endMs > e.startMs)
    .map((e) => [Math.max(e.startMs, minMs), Math.min(e.endMs, maxMs)] as [number, number])
    .sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const span of spans) {
    const last = merged[merged.length - 1];
    if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
    else merged.push(span);
  }
  return merged.map(([s, e]) => ({ start: formatInZone(s, timeZone), end: formatInZone(e, timeZone) }));
}
