/** The Calendar event model: validation on insert/patch, Google's resource shape, list filtering. */
import { ApiError } from './errors.ts';
import { eventId, isValidEventId } from './ids.ts';
import type { Attendee, Calendar, CalendarEvent, EventTime } from './state.ts';
import { dateToUtc, formatInZone, hasOffset, isValidTimeZone, localToUtc, parseRfc3339 } from './time.ts';

/** The writable part of an event, as clients send it. */
export interface EventInput {
  id?: string;
  status?: CalendarEvent['status'];
  summary?: string;
  description?: string;
  location?: string;
  start?: EventTime;
  end?: EventTime;
  attendees?: Attendee[];
  extendedProperties?: CalendarEvent['extendedProperties'];
  transparency?: CalendarEvent['transparency'];
  visibility?: string;
  colorId?: string;
  reminders?: unknown;
  iCalUID?: string;
}

function instant(t: EventTime | undefined, which: 'start' | 'end', calendarTz: string): number {
  if (!t || (!t.dateTime && !t.date)) throw new ApiError(400, `Missing ${which} time.`, 'required');
  if (t.timeZone && !isValidTimeZone(t.timeZone)) {
    throw new ApiError(400, `Invalid time zone definition for ${which} time.`, 'invalid');
  }
  if (t.date) {
    const ms = dateToUtc(t.date, t.timeZone ?? calendarTz);
    if (Number.isNaN(ms))
      throw new ApiError(400, `Invalid value for: Invalid format: "${t.date}"`, 'invalid');
    return ms;
  }
  const dt = t.dateTime!;
  if (hasOffset(dt)) return parseRfc3339(dt);
  // A wall-clock time means nothing without a zone; Google refuses rather than guessing.
  if (!t.timeZone) throw new ApiError(400, `Missing time zone definition for ${which} time.`, 'required');
  const ms = localToUtc(dt, t.timeZone);
  if (Number.isNaN(ms)) throw new ApiError(400, `Invalid value for: Invalid format: "${dt}"`, 'invalid');
  return ms;
}

function cleanTime(t: EventTime): EventTime {
  const out: EventTime = {};
  if (t.date) out.date = t.date;
  else if (t.dateTime) out.dateTime = t.dateTime;
  if (t.timeZone) out.timeZone = t.timeZone;
  return out;
}

function stringMap(m: unknown): Record<string, string> | undefined {
  if (!m || typeof m !== 'object') return undefined;
  return Object.fromEntries(Object.entries(m).map(([k, v]) => [k, String(v)]));
}

function applyInput(ev: CalendarEvent, input: EventInput, cal: Calendar): void {
  const startMs = instant(input.start, 'start', cal.timeZone);
  const endMs = instant(input.end, 'end', cal.timeZone);
  if (endMs < startMs) throw new ApiError(400, 'The specified time range is empty.', 'timeRangeEmpty');
  if (input.attendees?.some((a) => !a?.email)) throw new ApiError(400, 'Missing attendee email.', 'required');
  Object.assign(ev, {
    status: input.status ?? 'confirmed',
    summary: input.summary,
    description: input.description,
    location: input.location,
    start: cleanTime(input.start!),
    end: cleanTime(input.end!),
    startMs,
    endMs,
    attendees: input.attendees?.map((a) => ({ ...a, responseStatus: a.responseStatus ?? 'needsAction' })),
    extendedProperties: input.extendedProperties && {
      private: stringMap(input.extendedProperties.private),
      shared: stringMap(input.extendedProperties.shared),
    },
    transparency: input.transparency,
    visibility: input.visibility,
    colorId: input.colorId,
    reminders: input.reminders,
  });
}

const DUPLICATE = 'The requested identifier already exists.';

/** events.insert: honours a client id (the idempotency hook) and refuses reuse with 409 duplicate. */
export function insertEvent(cal: Calendar, input: EventInput, creator: string, nowMs: number): CalendarEvent {
  if (input.id !== undefined && !isValidEventId(input.id)) {
    throw new ApiError(400, 'Invalid resource id value.', 'invalid');
  }
  // Cancelled events keep their id, so a retried insert after a delete is still a duplicate.
  if (input.id && cal.events.has(input.id)) throw new ApiError(409, DUPLICATE, 'duplicate');
  if (input.iCalUID && [...cal.events.values()].some((e) => e.iCalUID === input.iCalUID)) {
    throw new ApiError(409, DUPLICATE, 'duplicate');
  }
  const id = input.id ?? eventId();
  const ev = {
    id,
    calendarId: cal.id,
    iCalUID: input.iCalUID ?? `${id}@google.com`,
    sequence: 0,
    creator,
    createdMs: nowMs,
    updatedMs: nowMs,
  } as CalendarEvent;
  applyInput(ev, input, cal);
  cal.events.set(id, ev);
  return ev;
}

const isPlain = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && !Array.isArray(v);

// The fake runs inside the demo server, so a PATCH body must never reach Object.prototype.
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function merge(target: Record<string, unknown>, patch: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(patch)) {
    if (UNSAFE_KEYS.has(k)) continue;
    if (v === null) delete target[k];
    else if (isPlain(v) && isPlain(target[k])) merge(target[k] as Record<string, unknown>, v);
    else target[k] = v;
  }
}

export function toInput(ev: CalendarEvent): EventInput {
  return structuredClone({
    status: ev.status,
    summary: ev.summary,
    description: ev.description,
    location: ev.location,
    start: ev.start,
    end: ev.end,
    attendees: ev.attendees,
    extendedProperties: ev.extendedProperties,
    transparency: ev.transparency,
    visibility: ev.visibility,
    colorId: ev.colorId,
    reminders: ev.reminders,
  });
}

/** events.patch semantics: nested objects merge, arrays and scalars replace, null clears. */
export function patchEvent(
  cal: Calendar,
  ev: CalendarEvent,
  patch: Record<string, unknown>,
  nowMs: number,
): void {
  const { id: _id, iCalUID: _uid, ...rest } = patch;
  const next = toInput(ev) as Record<string, unknown>;
  for (const which of ['start', 'end'] as const) {
    const t = rest[which];
    // A new date or dateTime replaces the old one rather than leaving both set.
    if (isPlain(t) && (t.date || t.dateTime)) {
      next[which] = { ...t };
      delete rest[which];
    }
  }
  merge(next, rest);
  const before = [ev.startMs, ev.endMs];
  applyInput(ev, next as EventInput, cal);
  if (before[0] !== ev.startMs || before[1] !== ev.endMs) ev.sequence++;
  ev.updatedMs = nowMs;
}

function renderTime(t: EventTime, ms: number, tz: string): EventTime {
  if (t.date) return { date: t.date };
  return t.timeZone
    ? { dateTime: formatInZone(ms, tz), timeZone: t.timeZone }
    : { dateTime: formatInZone(ms, tz) };
}

/** Google's event resource, times rendered in `tz` (the request's timeZone or the calendar's). */
export function serializeEvent(ev: CalendarEvent, cal: Calendar, viewer: string, tz = cal.timeZone) {
  const eid = Buffer.from(`${ev.id} ${cal.id}`).toString('base64').replace(/=+$/, '');
  const out: Record<string, unknown> = {
    kind: 'calendar#event',
    etag: `"${ev.updatedMs}000"`,
    id: ev.id,
    status: ev.status,
    htmlLink: `https://www.google.com/calendar/event?eid=${eid}`,
    created: new Date(ev.createdMs).toISOString(),
    updated: new Date(ev.updatedMs).toISOString(),
  };
  for (const k of ['summary', 'description', 'location', 'colorId'] as const)
    if (ev[k] !== undefined) out[k] = ev[k];
  out.creator = { email: ev.creator, ...(ev.creator === viewer ? { self: true } : {}) };
  out.organizer = {
    email: cal.id,
    ...(cal.id !== cal.owner ? { displayName: cal.summary } : {}),
    ...(cal.acl.get(viewer) === 'owner' ? { self: true } : {}),
  };
  out.start = renderTime(ev.start, ev.startMs, tz);
  out.end = renderTime(ev.end, ev.endMs, tz);
  if (ev.transparency) out.transparency = ev.transparency;
  if (ev.visibility) out.visibility = ev.visibility;
  out.iCalUID = ev.iCalUID;
  out.sequence = ev.sequence;
  if (ev.attendees?.length)
    out.attendees = ev.attendees.map((a) => (a.email === viewer ? { ...a, self: true } : a));
  if (ev.extendedProperties) {
    const ep: Record<string, unknown> = {};
    if (ev.extendedProperties.private) ep.private = ev.extendedProperties.private;
    if (ev.extendedProperties.shared) ep.shared = ev.extendedProperties.shared;
    out.extendedProperties = ep;
  }
  out.reminders = ev.reminders ?? { useDefault: true };
  out.eventType = 'default';
  return out;
}
