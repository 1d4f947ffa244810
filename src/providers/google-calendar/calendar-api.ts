/** The few Calendar v3 calls the actions need, over the shared Google client. */
import { AppError } from '../../errors.ts';
import { googleCall } from '../google-api/client.ts';
import type { ProviderContext } from '../types.ts';

export interface EventTime {
  dateTime?: string;
  date?: string;
  timeZone?: string;
}

export interface GoogleEvent {
  id: string;
  status?: 'confirmed' | 'tentative' | 'cancelled';
  summary?: string;
  description?: string;
  start?: EventTime;
  end?: EventTime;
  transparency?: 'opaque' | 'transparent';
  created?: string;
  updated?: string;
  htmlLink?: string;
  attendees?: { email: string; displayName?: string; responseStatus?: string }[];
  extendedProperties?: { private?: Record<string, string>; shared?: Record<string, string> };
}

export interface CalendarListEntry {
  id: string;
  summary?: string;
  timeZone?: string;
  accessRole?: string;
  primary?: boolean;
}

const cal = (id: string) => `/calendar/v3/calendars/${encodeURIComponent(id)}`;
const events = (id: string) => `${cal(id)}/events`;
const event = (calendarId: string, eventId: string) => `${events(calendarId)}/${encodeURIComponent(eventId)}`;

const iso = (ms: number) => new Date(ms).toISOString();

/** Busy intervals of one calendar in [minMs, maxMs), as epoch-ms pairs sorted by start. */
export async function freeBusy(ctx: ProviderContext, calendarId: string, minMs: number, maxMs: number) {
  const res = await googleCall<{
    calendars?: Record<string, { busy?: { start: string; end: string }[]; errors?: { reason: string }[] }>;
  }>(ctx, {
    service: 'calendar',
    method: 'POST',
    path: '/calendar/v3/freeBusy',
    body: { timeMin: iso(minMs), timeMax: iso(maxMs), items: [{ id: calendarId }] },
  });
  const entry = res?.calendars?.[calendarId];
  if (!entry || entry.errors?.length) {
    const reason = entry?.errors?.[0]?.reason ?? 'missing';
    throw new AppError(
      'provider_error',
      `Google Calendar cannot read calendar "${calendarId}" (${reason}); check the skill's calendar setting`,
      {
        extensions: { retryable: false },
      },
    );
  }
  return (entry.busy ?? [])
    .map((b) => [Date.parse(b.start), Date.parse(b.end)] as [number, number])
    .sort((a, b) => a[0] - b[0]);
}

export interface ListOptions {
  timeMinMs: number;
  timeMaxMs: number;
  privateProperty?: string;
  maxResults?: number;
}

/** Single (expanded) events overlapping the window, in start order; at most `maxResults` (default 250). */
export async function listEvents(
  ctx: ProviderContext,
  calendarId: string,
  opts: ListOptions,
): Promise<GoogleEvent[]> {
  const limit = opts.maxResults ?? 250;
  const out: GoogleEvent[] = [];
  let pageToken: string | undefined;
  do {
    const res = await googleCall<{ items?: GoogleEvent[]; nextPageToken?: string }>(ctx, {
      service: 'calendar',
      path: events(calendarId),
      query: {
        timeMin: iso(opts.timeMinMs),
        timeMax: iso(opts.timeMaxMs),
        singleEvents: true,
        orderBy: 'startTime',
        maxResults: Math.min(250, limit),
        privateExtendedProperty: opts.privateProperty,
        pageToken,
      },
    });
    out.push(...(res?.items ?? []));
    pageToken = res?.nextPageToken;
  } while (pageToken && out.length < limit);
  return out.slice(0, limit);
}

export const getEvent = (ctx: ProviderContext, calendarId: string, eventId: string) =>
  googleCall<GoogleEvent>(ctx, { service: 'calendar', path: event(calendarId, eventId) });

/**
 * Whether Google emails the event's attendees about a change. Only events that invited the caller
 * have attendees; the rest are changed silently.
 */
const sendUpdates = (notify: boolean) => ({ sendUpdates: notify ? 'all' : 'none' });

export const notifiesAttendees = (ev: GoogleEvent) => Boolean(ev.attendees?.length);

export const insertEvent = (
  ctx: ProviderContext,
  calendarId: string,
  body: Record<string, unknown>,
  notify = false,
) =>
  googleCall<GoogleEvent>(ctx, {
    service: 'calendar',
    method: 'POST',
    path: events(calendarId),
    query: sendUpdates(notify),
    body,
  });

export const patchEvent = (
  ctx: ProviderContext,
  calendarId: string,
  eventId: string,
  body: Record<string, unknown>,
  notify = false,
) =>
  googleCall<GoogleEvent>(ctx, {
    service: 'calendar',
    method: 'PATCH',
    path: event(calendarId, eventId),
    query: sendUpdates(notify),
    body,
  });

export const deleteEvent = (ctx: ProviderContext, calendarId: string, eventId: string, notify = false) =>
  googleCall<void>(ctx, {
    service: 'calendar',
    method: 'DELETE',
    path: event(calendarId, eventId),
    query: sendUpdates(notify),
  });

/** One calendar as the account sees it (its zone, its access role); `primary` resolves. */
export const getCalendarListEntry = (ctx: ProviderContext, calendarId: string) =>
  googleCall<CalendarListEntry>(ctx, {
    service: 'calendar',
    path: `/calendar/v3/users/me/calendarList/${encodeURIComponent(calendarId)}`,
  });

/** Every calendar the account can see (at most 1,000). */
export async function listCalendars(ctx: ProviderContext): Promise<CalendarListEntry[]> {
  const out: CalendarListEntry[] = [];
  let pageToken: string | undefined;
  do {
    const res = await googleCall<{ items?: CalendarListEntry[]; nextPageToken?: string }>(ctx, {
      service: 'calendar',
      path: '/calendar/v3/users/me/calendarList',
      query: { maxResults: 250, pageToken },
    });
    out.push(...(res?.items ?? []));
    pageToken = res?.nextPageToken;
  } while (pageToken && out.length < 1_000);
  return out;
}

/** The instant an event time names (all-day events start at midnight UTC of their date: good enough to order). */
export function eventMs(t: EventTime | undefined): number {
  if (!t) return Number.NaN;
  if (t.dateTime) return Date.parse(t.dateTime);
  return t.date ? Date.parse(`${t.date}T00:00:00Z`) : Number.NaN;
}
