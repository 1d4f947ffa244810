/**
 * Who an appointment is for: caller details kept in the event's private extended properties (never
 * visible to attendees), matching keys for phone and email, and the deterministic event id that
 * makes a retried booking land once.
 */
import { createHash } from 'node:crypto';
import { AppError } from '../../errors.ts';
import type { GoogleEvent } from './calendar-api.ts';
import { eventMs } from './calendar-api.ts';
import { humanLocal, isoWithOffset } from './zoned-time.ts';

export interface Caller {
  name?: string;
  phone?: string;
  email?: string;
  phoneKey?: string;
  emailKey?: string;
}

/** Marks events this integration created: only those can be found, moved or cancelled by an agent. */
export const MARKER_KEY = 'flowyte';
export const MARKER_VALUE = 'appointment';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const text = (v: unknown, field: string, max: number): string | undefined => {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw invalid(field, 'must be a string');
  const t = v.trim();
  if (t.length > max) throw invalid(field, `must be at most ${max} characters`);
  return t || undefined;
};

export const invalid = (field: string, message: string) =>
  new AppError('validation_error', `${field} ${message}`, { errors: [{ field, message }] });

/** Digits only, the last ten: "+1 (212) 555-0101" and "212.555.0101" are the same caller. */
export function phoneKey(phone: string): string | undefined {
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 5) return undefined;
  return digits.slice(-10);
}

export function callerFrom(args: Record<string, unknown>, opts: { requireName: boolean }): Caller {
  const name = text(args.caller_name, 'caller_name', 200);
  const phone = text(args.caller_phone, 'caller_phone', 40);
  const email = text(args.caller_email, 'caller_email', 254)?.toLowerCase();
  if (opts.requireName && !name) throw invalid('caller_name', 'is required');
  if (phone && !phoneKey(phone)) throw invalid('caller_phone', 'must be a phone number');
  if (email && !EMAIL.test(email)) throw invalid('caller_email', 'must be an email address');
  if (!phone && !email) {
    throw new AppError('validation_error', "give the caller's phone number or email address", {
      errors: [{ field: 'caller_phone', message: 'caller_phone or caller_email is required' }],
    });
  }
  return { name, phone, email, phoneKey: phone ? phoneKey(phone) : undefined, emailKey: email };
}

export function privateProps(caller: Caller): Record<string, string> {
  const props: Record<string, string> = { [MARKER_KEY]: MARKER_VALUE };
  if (caller.name) props.caller_name = caller.name;
  if (caller.phone) props.caller_phone = caller.phone;
  if (caller.phoneKey) props.phone_key = caller.phoneKey;
  if (caller.email) props.caller_email = caller.email;
  if (caller.emailKey) props.email_key = caller.emailKey;
  return props;
}

export const isOurs = (ev: GoogleEvent) => ev.extendedProperties?.private?.[MARKER_KEY] === MARKER_VALUE;

/** Whether the event was booked for this caller (by phone or email, whichever both sides know). */
export function belongsTo(ev: GoogleEvent, caller: Caller): boolean {
  const p = ev.extendedProperties?.private ?? {};
  return Boolean(
    (caller.phoneKey && p.phone_key === caller.phoneKey) ||
      (caller.emailKey && p.email_key === caller.emailKey),
  );
}

const BASE32HEX = '0123456789abcdefghijklmnopqrstuv';

/**
 * Google accepts client-chosen event ids of 5-1024 base32hex characters; deriving one from the
 * Idempotency-Key makes a retried insert a 409 duplicate instead of a second appointment.
 */
export function bookingEventId(calendarId: string, idempotencyKey: string): string {
  const digest = createHash('sha256')
    .update(`flowyte-booking\u0000${calendarId}\u0000${idempotencyKey}`)
    .digest();
  let out = '';
  let bits = 0;
  let acc = 0;
  for (const byte of digest.subarray(0, 20)) {
    acc = (acc << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32HEX[(acc >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

export function appointmentView(ev: GoogleEvent, tz: string) {
  const p = ev.extendedProperties?.private ?? {};
  const start = eventMs(ev.start);
  const end = eventMs(ev.end);
  return {
    appointment_id: ev.id,
    status: ev.status ?? 'confirmed',
    start: isoWithOffset(start, tz),
    end: isoWithOffset(end, tz),
    local: humanLocal(start, tz),
    caller_name: p.caller_name ?? null,
    caller_phone: p.caller_phone ?? null,
    caller_email: p.caller_email ?? null,
  };
}
