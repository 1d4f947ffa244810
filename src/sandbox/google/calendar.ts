/** Calendar v3 routes: calendarList, calendars.get, events list/get/insert/patch/delete, freeBusy. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authorize } from './bearer.ts';
import { insertEvent, patchEvent, serializeEvent } from './calendar-events.ts';
import { busyIntervals, paginate, type Query, queryEvents, timeBound } from './calendar-query.ts';
import { notifyAttendees, sendUpdatesOf } from './calendar-updates.ts';
import { ApiError } from './errors.ts';
import { relativePath } from './faults.ts';
import { CALENDAR_RANK, type Calendar, type CalendarRole, type GoogleWorld } from './state.ts';
import { isValidTimeZone } from './time.ts';

const NOT_FOUND = () => new ApiError(404, 'Not Found', 'notFound');

const etag = (ms: number) => `"${ms}000"`;

function listEntry(cal: Calendar, email: string, primaryId: string | undefined) {
  const entry: Record<string, unknown> = {
    kind: 'calendar#calendarListEntry',
    etag: etag(0),
    id: cal.id,
    summary: cal.summary,
  };
  if (cal.description) entry.description = cal.description;
  Object.assign(entry, {
    timeZone: cal.timeZone,
    colorId: '14',
    backgroundColor: '#9fe1e7',
    foregroundColor: '#000000',
    selected: true,
    accessRole: cal.acl.get(email),
    defaultReminders: [],
    conferenceProperties: { allowedConferenceSolutionTypes: ['hangoutsMeet'] },
  });
  if (cal.id === primaryId) entry.primary = true;
  return entry;
}

function responseZone(q: Query, cal: Calendar): string {
  const tz = typeof q.timeZone === 'string' ? q.timeZone : cal.timeZone;
  if (!isValidTimeZone(tz)) throw new ApiError(400, 'Invalid time zone definition.', 'invalid');
  return tz;
}

/** Looks a calendar up for the caller; a writer-level need on a read-only share is a 403 like Google's. */
function calendarOrThrow(world: GoogleWorld, email: string, id: string, need: CalendarRole): Calendar {
  const visible = world.calendarFor(email, id, 'reader');
  if (!visible) throw NOT_FOUND();
  if (CALENDAR_RANK[visible.acl.get(email)!] < CALENDAR_RANK[need]) {
    throw new ApiError(403, 'You need to have writer access to this calendar.', 'requiredAccessLevel');
  }
  return visible;
}

export function registerCalendar(app: FastifyInstance, world: GoogleWorld): void {
  app.get('/calendar/v3/users/me/calendarList', async (req, reply) => {
    const auth = authorize(world, req, reply, 'calendar', 'calendar.calendarList.list');
    if (!auth) return reply;
    const email = auth.grant.email;
    const q = req.query as Query;
    const min = CALENDAR_RANK[(q.minAccessRole as CalendarRole) ?? 'freeBusyReader'] ?? 0;
    const primaryId = world.accounts.get(email)?.primaryCalendarId;
    const visible = [...world.calendars.values()].filter((c) => {
      const role = c.acl.get(email);
      return role !== undefined && CALENDAR_RANK[role] >= min;
    });
    const { page, nextPageToken } = paginate(visible, q, 100, 250);
    return {
      kind: 'calendar#calendarList',
      etag: etag(world.clock.now()),
      ...(nextPageToken ? { nextPageToken } : { nextSyncToken: `sync_${world.clock.now()}` }),
      items: page.map((c) => listEntry(c, email, primaryId)),
    };
  });

  app.get('/calendar/v3/users/me/calendarList/*', async (req, reply) => {
    const auth = authorize(world, req, reply, 'calendar', 'calendar.calendarList.get');
    if (!auth) return reply;
    const id = relativePath(app, req.url).slice('/calendar/v3/users/me/calendarList/'.length);
    const cal = world.calendarFor(auth.grant.email, id, 'freeBusyReader');
    if (!cal) throw NOT_FOUND();
    return listEntry(cal, auth.grant.email, world.accounts.get(auth.grant.email)?.primaryCalendarId);
  });

  app.post('/calendar/v3/freeBusy', async (req, reply) => {
    const auth = authorize(world, req, reply, 'calendar', 'calendar.freebusy.query');
    if (!auth) return reply;
    const body = (req.body ?? {}) as {
      timeMin?: string;
      timeMax?: string;
      timeZone?: string;
      items?: { id: string }[];
    };
    if (!body.timeMin) throw new ApiError(400, 'Missing timeMin parameter.', 'required');
    if (!body.timeMax) throw new ApiError(400, 'Missing timeMax parameter.', 'required');
    const min = timeBound(body.timeMin)!;
    const max = timeBound(body.timeMax)!;
    if (max < min) throw new ApiError(400, 'The specified time range is empty.', 'timeRangeEmpty');
    const tz = body.timeZone ?? 'UTC';
    if (!isValidTimeZone(tz)) throw new ApiError(400, 'Invalid time zone definition.', 'invalid');
    const calendars: Record<string, unknown> = {};
    for (const item of body.items ?? []) {
      const cal = world.calendarFor(auth.grant.email, item.id, 'freeBusyReader');
      calendars[item.id] = cal
        ? { busy: busyIntervals(cal, min, max, tz) }
        : { errors: [{ domain: 'global', reason: 'notFound' }], busy: [] };
    }
    return {
      kind: 'calendar#freeBusy',
      timeMin: new Date(min).toISOString(),
      timeMax: new Date(max).toISOString(),
      calendars,
    };
  });

  // One wildcard per method: calendar and event ids may be long or carry '@', '#', '%2F',
  // which a parametric route (maxParamLength 100 by default) would not take.
  const dispatch = async (req: FastifyRequest, reply: FastifyReply) => {
    const rest = req.url.split('?')[0].slice(`${app.prefix}/calendar/v3/calendars/`.length);
    const [rawCal, section, rawEvent, extra] = rest.split('/');
    const calendarId = decodeURIComponent(rawCal ?? '');
    const eventId = rawEvent === undefined ? undefined : decodeURIComponent(rawEvent);
    if (!calendarId || extra !== undefined || (section !== undefined && section !== 'events'))
      throw NOT_FOUND();
    return section === undefined
      ? calendarResource(world, req, reply, calendarId)
      : events(world, req, reply, calendarId, eventId);
  };
  app.route({
    method: ['GET', 'POST', 'PATCH', 'DELETE'],
    url: '/calendar/v3/calendars/*',
    handler: dispatch,
  });
}

async function calendarResource(world: GoogleWorld, req: FastifyRequest, reply: FastifyReply, id: string) {
  if (req.method !== 'GET') throw NOT_FOUND();
  const auth = authorize(world, req, reply, 'calendar', 'calendar.calendars.get');
  if (!auth) return reply;
  const cal = calendarOrThrow(world, auth.grant.email, id, 'reader');
  const out: Record<string, unknown> = {
    kind: 'calendar#calendar',
    etag: etag(0),
    id: cal.id,
    summary: cal.summary,
  };
  if (cal.description) out.description = cal.description;
  out.timeZone = cal.timeZone;
  out.conferenceProperties = { allowedConferenceSolutionTypes: ['hangoutsMeet'] };
  return out;
}

async function events(
  world: GoogleWorld,
  req: FastifyRequest,
  reply: FastifyReply,
  calendarId: string,
  eventId: string | undefined,
) {
  const q = req.query as Query;
  const now = world.clock.now();
  if (eventId === undefined) {
    if (req.method === 'GET') {
      const auth = authorize(world, req, reply, 'calendar', 'calendar.events.list');
      if (!auth) return reply;
      const cal = calendarOrThrow(world, auth.grant.email, calendarId, 'reader');
      const tz = responseZone(q, cal);
      const { page, nextPageToken } = paginate(queryEvents(cal, q), q, 250, 2500);
      const updated = Math.max(0, ...[...cal.events.values()].map((e) => e.updatedMs));
      return {
        kind: 'calendar#events',
        etag: etag(updated),
        summary: cal.summary,
        ...(cal.description ? { description: cal.description } : {}),
        updated: new Date(updated || now).toISOString(),
        timeZone: cal.timeZone,
        accessRole: cal.acl.get(auth.grant.email),
        defaultReminders: [],
        ...(nextPageToken ? { nextPageToken } : { nextSyncToken: `sync_${now}` }),
        items: page.map((e) => serializeEvent(e, cal, auth.grant.email, tz)),
      };
    }
    if (req.method === 'POST') {
      const auth = authorize(world, req, reply, 'calendar', 'calendar.events.insert');
      if (!auth) return reply;
      const cal = calendarOrThrow(world, auth.grant.email, calendarId, 'writer');
      const body = req.body;
      if (!body || typeof body !== 'object') throw new ApiError(400, 'Missing start time.', 'required');
      const notify = sendUpdatesOf(q);
      const ev = insertEvent(cal, body, auth.grant.email, now);
      notifyAttendees(world, notify, 'invitation', ev, auth.grant.email, now);
      return serializeEvent(ev, cal, auth.grant.email);
    }
    throw NOT_FOUND();
  }

  const method = { GET: 'get', PATCH: 'patch', DELETE: 'delete' }[req.method];
  if (!method) throw NOT_FOUND();
  const auth = authorize(world, req, reply, 'calendar', `calendar.events.${method}`);
  if (!auth) return reply;
  const email = auth.grant.email;
  const cal = calendarOrThrow(world, email, calendarId, method === 'get' ? 'reader' : 'writer');
  const ev = cal.events.get(eventId);
  if (!ev) throw NOT_FOUND();
  if (method === 'get') return serializeEvent(ev, cal, email, responseZone(q, cal));
  const notify = sendUpdatesOf(q);
  if (method === 'patch') {
    const body = req.body;
    patchEvent(cal, ev, body && typeof body === 'object' ? (body as Record<string, unknown>) : {}, now);
    notifyAttendees(world, notify, 'update', ev, email, now);
    return serializeEvent(ev, cal, email);
  }
  // Deleted events linger as "cancelled"; deleting one again is 410 Gone, as at Google.
  if (ev.status === 'cancelled') throw new ApiError(410, 'Resource has been deleted', 'deleted');
  ev.status = 'cancelled';
  ev.updatedMs = now;
  notifyAttendees(world, notify, 'cancellation', ev, email, now);
  return reply.code(204).send();
}
