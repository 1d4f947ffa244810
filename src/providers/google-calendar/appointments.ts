/**
 * find / reschedule / cancel. Only events this integration booked are visible to them, and a
 * change needs the caller's phone or email to match the booking: an agent can never move or cancel
 * the owner's own meetings, nor another caller's appointment from a guessed id.
 */
import { AppError } from '../../errors.ts';
import { isGoogleStatus } from '../google-api/errors.ts';
import type { ExecuteRequest, ProviderContext } from '../types.ts';
import { assertBookable, overlapping, requestedStart, unavailable } from './booking.ts';
import {
  deleteEvent,
  eventMs,
  type GoogleEvent,
  getEvent,
  listEvents,
  notifiesAttendees,
  patchEvent,
} from './calendar-api.ts';
import { appointmentView, belongsTo, type Caller, callerFrom, invalid, isOurs } from './caller.ts';
import { type CalendarSettings, durationArg } from './settings.ts';
import { humanLocal, isoWithOffset, localParts, parseTimeParam, wallToUtc } from './zoned-time.ts';

const DAY = 86_400_000;
const FIND_DAYS = 90;
const MAX_FOUND = 10;

const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

export async function findAppointment(
  request: ExecuteRequest,
  s: CalendarSettings,
  ctx: ProviderContext,
  nowMs = Date.now(),
) {
  const args = request.arguments;
  const caller = callerFrom(args, { requireName: false });
  // From the start of today (a caller asking at 10:05 about their 10:00 visit still finds it).
  const today = wallToUtc(localParts(nowMs, s.timeZone), 0, 0, s.timeZone);
  const ws = str(args.window_start);
  const we = str(args.window_end);
  const from = ws ? parseTimeParam(ws, 'window_start', s.timeZone).ms : today;
  const to = we ? parseTimeParam(we, 'window_end', s.timeZone).ms : Math.max(from, nowMs) + FIND_DAYS * DAY;
  if (to <= from) throw invalid('window_end', 'must be after window_start');

  // Google filters on one private property per value; phone and email are looked up separately.
  const filters = [
    caller.phoneKey && `phone_key=${caller.phoneKey}`,
    caller.emailKey && `email_key=${caller.emailKey}`,
  ].filter(Boolean) as string[];
  const found = new Map<string, GoogleEvent>();
  for (const privateProperty of filters) {
    const events = await listEvents(ctx, s.calendarId, {
      timeMinMs: from,
      timeMaxMs: to,
      privateProperty,
      maxResults: 50,
    });
    for (const ev of events) if (ev.status !== 'cancelled' && isOurs(ev)) found.set(ev.id, ev);
  }
  const appointments = [...found.values()]
    .sort((a, b) => eventMs(a.start) - eventMs(b.start))
    .slice(0, MAX_FOUND)
    .map((ev) => appointmentView(ev, s.timeZone));
  return {
    found: appointments.length > 0,
    time_zone: s.timeZone,
    appointments,
    ...(appointments.length ? {} : { message: 'No upcoming appointment was found for that caller.' }),
  };
}

/** The caller's live appointment with that id, or not_found (the same answer whether it exists or not). */
async function ownAppointment(
  ctx: ProviderContext,
  s: CalendarSettings,
  args: Record<string, unknown>,
  allowCancelled = false,
): Promise<{ ev: GoogleEvent; caller: Caller }> {
  const id = str(args.appointment_id);
  if (!id) throw invalid('appointment_id', 'is required');
  const caller = callerFrom(args, { requireName: false });
  const missing = () =>
    new AppError('not_found', 'no active appointment with that id was found for this caller');
  if (!/^[a-zA-Z0-9_@.-]{1,1024}$/.test(id)) throw missing();
  let ev: GoogleEvent;
  try {
    ev = await getEvent(ctx, s.calendarId, id);
  } catch (e) {
    if (isGoogleStatus(e, 404, 410)) throw missing();
    throw e;
  }
  if (!isOurs(ev) || !belongsTo(ev, caller) || (ev.status === 'cancelled' && !allowCancelled))
    throw missing();
  return { ev, caller };
}

export async function rescheduleAppointment(
  request: ExecuteRequest,
  s: CalendarSettings,
  ctx: ProviderContext,
  nowMs = Date.now(),
) {
  const args = request.arguments;
  const { ev } = await ownAppointment(ctx, s, args);
  const oldStart = eventMs(ev.start);
  const oldEnd = eventMs(ev.end);
  const durationMin = durationArg(args.duration_minutes, Math.round((oldEnd - oldStart) / 60_000));
  const { ms: startMs } = requestedStart(args.new_appointment_time, 'new_appointment_time', s, nowMs);
  const endMs = startMs + durationMin * 60_000;
  const previous = { start: isoWithOffset(oldStart, s.timeZone), local: humanLocal(oldStart, s.timeZone) };
  if (startMs === oldStart && endMs === oldEnd) {
    return {
      rescheduled: false,
      ...appointmentView(ev, s.timeZone),
      time_zone: s.timeZone,
      message: 'The appointment is already at that time.',
    };
  }

  await assertBookable(ctx, s, startMs, durationMin, await overlapping(ctx, s, startMs, endMs, ev.id));
  const times = (a: number, b: number) => ({
    start: { dateTime: isoWithOffset(a, s.timeZone), timeZone: s.timeZone },
    end: { dateTime: isoWithOffset(b, s.timeZone), timeZone: s.timeZone },
  });
  // An invited caller hears of the move (and of a move back) from Google.
  const notify = notifiesAttendees(ev);
  const moved = await patchEvent(ctx, s.calendarId, ev.id, times(startMs, endMs), notify);
  // A booking may have raced into the new slot; moving back is the safe side of that race.
  if ((await overlapping(ctx, s, startMs, endMs, ev.id)).length) {
    await patchEvent(ctx, s.calendarId, ev.id, times(oldStart, oldEnd), notify);
    throw await unavailable(ctx, s, startMs, durationMin, 'it was booked by someone else a moment ago');
  }
  return {
    rescheduled: true,
    ...appointmentView(moved, s.timeZone),
    time_zone: s.timeZone,
    duration_minutes: durationMin,
    previous,
  };
}

export async function cancelAppointment(request: ExecuteRequest, s: CalendarSettings, ctx: ProviderContext) {
  const { ev } = await ownAppointment(ctx, s, request.arguments, true);
  const view = {
    cancelled: true,
    ...appointmentView({ ...ev, status: 'cancelled' }, s.timeZone),
    time_zone: s.timeZone,
  };
  // A retried cancel finds the event already cancelled: the outcome the caller wanted.
  if (ev.status === 'cancelled') return { ...view, already_cancelled: true };
  try {
    await deleteEvent(ctx, s.calendarId, ev.id, notifiesAttendees(ev));
  } catch (e) {
    if (!isGoogleStatus(e, 404, 410)) throw e;
  }
  return { ...view, already_cancelled: false };
}
