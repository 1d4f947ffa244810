/**
 * `sendUpdates` of events insert/patch/delete: which attendees Google would email. The fake sends
 * nothing; it records each notice in `world.outbox`, where tests and the demo can see it.
 */
import type { Query } from './calendar-query.ts';
import { ApiError } from './errors.ts';
import type { CalendarEvent, GoogleWorld, SentUpdate } from './state.ts';

export type SendUpdates = 'all' | 'externalOnly' | 'none';

/** The request's choice; the legacy `sendNotifications=true` means all, as at Google. Default none. */
export function sendUpdatesOf(q: Query): SendUpdates {
  const v = q.sendUpdates;
  if (v === undefined) return q.sendNotifications === 'true' ? 'all' : 'none';
  if (v === 'all' || v === 'externalOnly' || v === 'none') return v;
  throw new ApiError(400, `Invalid value for sendUpdates: ${JSON.stringify(v)}`, 'invalidParameter');
}

const domainOf = (email: string) => email.slice(email.lastIndexOf('@') + 1).toLowerCase();

export function notifyAttendees(
  world: GoogleWorld,
  mode: SendUpdates,
  kind: SentUpdate['kind'],
  ev: CalendarEvent,
  organizer: string,
  now: number,
): void {
  if (mode === 'none') return;
  const to = (ev.attendees ?? [])
    .map((a) => a.email)
    .filter((email) => email.toLowerCase() !== organizer.toLowerCase())
    .filter((email) => mode === 'all' || domainOf(email) !== domainOf(organizer));
  if (to.length > 0) world.outbox.push({ kind, calendarId: ev.calendarId, eventId: ev.id, to, sentMs: now });
}
