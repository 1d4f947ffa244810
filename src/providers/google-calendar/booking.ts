/**
 * book_appointment: explicit about time zones, refuses occupied or closed slots with alternatives,
 * and lands once per Idempotency-Key (a deterministic event id turns a retry into Google's 409).
 */
import { AppError } from '../../errors.ts';
import { isGoogleStatus } from '../google-api/errors.ts';
import type { ExecuteRequest, ProviderContext } from '../types.ts';
import { findSlots, slotView } from './availability.ts';
import { describeHours } from './business-hours.ts';
import {
  deleteEvent,
  eventMs,
  type GoogleEvent,
  getEvent,
  insertEvent,
  listEvents,
  notifiesAttendees,
} from './calendar-api.ts';
import {
  appointmentView,
  belongsTo,
  bookingEventId,
  type Caller,
  callerFrom,
  invalid,
  isOurs,
  privateProps,
} from './caller.ts';
import { type CalendarSettings, durationArg } from './settings.ts';
import { withinHours } from './slots.ts';
import { humanLocal, isoWithOffset, localParts, parseTimeParam, wallToUtc } from './zoned-time.ts';

const DAY = 86_400_000;

/** Live, opaque events overlapping [startMs, endMs) widened by the buffer, other than `exceptId`. */
export async function overlapping(
  ctx: ProviderContext,
  s: CalendarSettings,
  startMs: number,
  endMs: number,
  exceptId?: string,
) {
  const pad = s.bufferMin * 60_000;
  const events = await listEvents(ctx, s.calendarId, {
    timeMinMs: startMs - pad,
    timeMaxMs: endMs + pad,
    maxResults: 50,
  });
  return events.filter(
    (ev) => ev.status !== 'cancelled' && ev.transparency !== 'transparent' && ev.id !== exceptId,
  );
}

/** A slot_unavailable refusal carrying the nearest free slots, so the agent can offer them at once. */
export async function unavailable(
  ctx: ProviderContext,
  s: CalendarSettings,
  startMs: number,
  durationMin: number,
  reason: string,
) {
  const p = localParts(startMs, s.timeZone);
  const dayStart = wallToUtc(p, 0, 0, s.timeZone);
  const now = Date.now();
  let { slots } = await findSlots(ctx, s, { from: dayStart, to: dayStart + DAY, limit: 3 }, durationMin, now);
  if (slots.length === 0)
    ({ slots } = await findSlots(
      ctx,
      s,
      { from: dayStart, to: dayStart + 7 * DAY, limit: 3 },
      durationMin,
      now,
    ));
  return new AppError('slot_unavailable', `${humanLocal(startMs, s.timeZone)} is not available: ${reason}`, {
    extensions: { alternatives: slots.map((span) => slotView(span, s.timeZone)) },
  });
}

/** The requested start as an instant, refusing the past; notes whether it was read in the business zone. */
export function requestedStart(value: unknown, field: string, s: CalendarSettings, nowMs: number) {
  if (typeof value !== 'string' || !value.trim()) throw invalid(field, 'is required');
  const parsed = parseTimeParam(value, field, s.timeZone);
  // A minute of slack: the caller's clock and ours rarely agree to the second.
  if (parsed.ms < nowMs - 60_000) throw invalid(field, 'is in the past');
  return parsed;
}

/** Refuses a slot outside business hours or overlapping another event; returns nothing when free. */
export async function assertBookable(
  ctx: ProviderContext,
  s: CalendarSettings,
  startMs: number,
  durationMin: number,
  conflicts: GoogleEvent[],
) {
  const endMs = startMs + durationMin * 60_000;
  if (!withinHours(startMs, endMs, s.hours, s.timeZone)) {
    throw await unavailable(
      ctx,
      s,
      startMs,
      durationMin,
      `it is outside business hours (${describeHours(s.hours)}, ${s.timeZone})`,
    );
  }
  if (conflicts.length) {
    const reason = s.bufferMin
      ? `it overlaps another appointment or its ${s.bufferMin}-minute buffer`
      : 'it overlaps another appointment';
    throw await unavailable(ctx, s, startMs, durationMin, reason);
  }
}

function booked(ev: GoogleEvent, s: CalendarSettings, durationMin: number, extra: Record<string, unknown>) {
  return {
    booked: true,
    ...appointmentView(ev, s.timeZone),
    time_zone: s.timeZone,
    duration_minutes: durationMin,
    // Lets the agent tell the caller an invitation is on its way.
    ...(ev.attendees?.length ? { invitation_sent_to: ev.attendees.map((a) => a.email) } : {}),
    ...extra,
  };
}

/** Earlier-created wins a race for the same slot (ties by id), so exactly one of two racers stays. */
const createdBefore = (a: GoogleEvent, b: GoogleEvent) => {
  const ta = Date.parse(a.created ?? '');
  const tb = Date.parse(b.created ?? '');
  if (Number.isNaN(ta)) return true;
  return ta < tb || (ta === tb && a.id < b.id);
};

function eventBody(
  caller: Caller,
  startMs: number,
  endMs: number,
  s: CalendarSettings,
  notes: string | undefined,
  id?: string,
) {
  const lines = [`Booked by the phone/chat agent for ${caller.name}.`];
  if (caller.phone) lines.push(`Phone: ${caller.phone}`);
  if (caller.email) lines.push(`Email: ${caller.email}`);
  if (notes) lines.push(`Notes: ${notes}`);
  const invite = s.inviteCaller && caller.email;
  return {
    ...(id ? { id } : {}),
    summary: `Appointment: ${caller.name}`,
    description: lines.join('\n'),
    ...(invite ? { attendees: [{ email: caller.email, displayName: caller.name }] } : {}),
    start: { dateTime: isoWithOffset(startMs, s.timeZone), timeZone: s.timeZone },
    end: { dateTime: isoWithOffset(endMs, s.timeZone), timeZone: s.timeZone },
    extendedProperties: { private: privateProps(caller) },
  };
}

/** The event a previous attempt with the same key created: returned as the booking, never created twice. */
async function replay(
  ctx: ProviderContext,
  s: CalendarSettings,
  id: string,
  startMs: number,
  durationMin: number,
) {
  const ev = await getEvent(ctx, s.calendarId, id);
  if (ev.status === 'cancelled') {
    throw new AppError(
      'slot_unavailable',
      'the booking made with this Idempotency-Key was cancelled; book again with a new key',
    );
  }
  if (eventMs(ev.start) !== startMs) {
    throw new AppError('idempotency_key_reused', 'this Idempotency-Key already booked a different time');
  }
  return booked(ev, s, durationMin, { already_booked: true });
}

export async function bookAppointment(
  request: ExecuteRequest,
  s: CalendarSettings,
  ctx: ProviderContext,
  nowMs = Date.now(),
) {
  const args = request.arguments;
  const caller = callerFrom(args, { requireName: true });
  const notes =
    typeof args.notes === 'string' && args.notes.trim() ? args.notes.trim().slice(0, 1000) : undefined;
  const durationMin = durationArg(args.duration_minutes, s.durationMin);
  const { ms: startMs, hadOffset } = requestedStart(args.appointment_time, 'appointment_time', s, nowMs);
  const endMs = startMs + durationMin * 60_000;
  const id = request.idempotencyKey ? bookingEventId(s.calendarId, request.idempotencyKey) : undefined;
  const extra = hadOffset
    ? {}
    : { note: `appointment_time had no offset and was read as ${s.timeZone} time` };

  const conflicts = await overlapping(ctx, s, startMs, endMs);
  const mine = conflicts.find((ev) => ev.id === id);
  if (mine) return replay(ctx, s, mine.id, startMs, durationMin);
  // The same caller already holds exactly this slot (a retry without a key): report it, don't refuse.
  const same = conflicts.find((ev) => isOurs(ev) && belongsTo(ev, caller) && eventMs(ev.start) === startMs);
  if (same) return booked(same, s, durationMin, { already_booked: true, ...extra });
  await assertBookable(ctx, s, startMs, durationMin, conflicts);

  let created: GoogleEvent;
  try {
    const body = eventBody(caller, startMs, endMs, s, notes, id);
    created = await insertEvent(ctx, s.calendarId, body, Boolean(body.attendees));
  } catch (e) {
    if (id && isGoogleStatus(e, 409)) return replay(ctx, s, id, startMs, durationMin);
    throw e;
  }
  // Two bookings can pass the check at once; the later one steps back.
  const rivals = await overlapping(ctx, s, startMs, endMs, created.id);
  if (rivals.some((r) => createdBefore(r, created))) {
    await deleteEvent(ctx, s.calendarId, created.id, notifiesAttendees(created)).catch(() => {});
    throw await unavailable(ctx, s, startMs, durationMin, 'it was booked by someone else a moment ago');
  }
  return booked(created, s, durationMin, { already_booked: false, ...extra });
}
