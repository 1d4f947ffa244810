/**
 * The Calendar actions as the model sees them. Parameter schemas follow OpenAI strict mode: every
 * object closed, every property required, optional ones admitting null. Names follow the
 * canonical parameters (caller_name, caller_phone, caller_email, appointment_time, date, notes).
 */
import type { ActionDefinition } from '../types.ts';
import { CALENDAR_CONFIG } from './settings.ts';

const opt = (type: 'string' | 'integer', description: string) => ({ type: [type, 'null'], description });
const req = (description: string) => ({ type: 'string', description });

const object = (properties: Record<string, unknown>) => ({
  type: 'object',
  properties,
  required: Object.keys(properties),
  additionalProperties: false,
});

const TIME_HINT =
  'ISO 8601, e.g. 2026-03-10T15:00:00-04:00; without an offset it is read in the business time zone';

const caller = {
  caller_phone: opt('string', "The caller's phone number, e.g. +1 212 555 0101"),
  caller_email: opt('string', "The caller's email address"),
};

export const CALENDAR_ACTIONS: ActionDefinition[] = [
  {
    slug: 'check_availability',
    name: 'Check availability',
    description:
      'Find free appointment times within business hours. Give a date for one day, or a window, or nothing for the next openings. Each slot has an exact start/end with UTC offset and a "local" text to read to the caller.',
    important: true,
    isWrite: false,
    parameters: object({
      date: opt('string', 'A day to check, YYYY-MM-DD, in the business time zone'),
      window_start: opt('string', `Earliest start to consider; ${TIME_HINT}`),
      window_end: opt('string', `Latest end to consider; ${TIME_HINT}`),
      duration_minutes: opt('integer', 'Length of the appointment; default the configured length'),
    }),
    config: CALENDAR_CONFIG,
  },
  {
    slug: 'book_appointment',
    name: 'Book appointment',
    description:
      'Book an appointment at a free time (use check_availability first). Needs the caller\'s name and phone or email. Refused with slot_unavailable (and alternatives) when the time is taken or outside business hours. Read the returned "local" time back to the caller.',
    important: true,
    isWrite: true,
    requiresConfirmation: true,
    nonParallelizable: true,
    parameters: object({
      appointment_time: req(`Start of the appointment; ${TIME_HINT}`),
      caller_name: req("The caller's full name"),
      ...caller,
      duration_minutes: opt('integer', 'Length of the appointment; default the configured length'),
      notes: opt('string', 'Anything the business should know (service wanted, special requests)'),
    }),
    config: CALENDAR_CONFIG,
  },
  {
    slug: 'find_appointment',
    name: 'Find appointment',
    description:
      "Find the caller's upcoming appointments by their phone number or email (from today, 90 days ahead unless a window is given). Returns each appointment_id with its local time.",
    important: false,
    isWrite: false,
    parameters: object({
      ...caller,
      window_start: opt('string', `Earliest start to search; ${TIME_HINT}`),
      window_end: opt('string', `Latest start to search; ${TIME_HINT}`),
    }),
    config: CALENDAR_CONFIG,
  },
  {
    slug: 'reschedule_appointment',
    name: 'Reschedule appointment',
    description:
      "Move the caller's appointment (appointment_id from find_appointment) to a new free time. The caller's phone or email must match the booking.",
    important: false,
    isWrite: true,
    requiresConfirmation: true,
    requiresVerifiedIdentity: true,
    nonParallelizable: true,
    parameters: object({
      appointment_id: req('The appointment_id returned by find_appointment or book_appointment'),
      new_appointment_time: req(`New start; ${TIME_HINT}`),
      ...caller,
      duration_minutes: opt('integer', 'New length; default the current length'),
    }),
    config: CALENDAR_CONFIG,
  },
  {
    slug: 'cancel_appointment',
    name: 'Cancel appointment',
    description:
      "Cancel the caller's appointment (appointment_id from find_appointment). The caller's phone or email must match the booking.",
    important: false,
    isWrite: true,
    requiresConfirmation: true,
    requiresVerifiedIdentity: true,
    nonParallelizable: true,
    parameters: object({
      appointment_id: req('The appointment_id returned by find_appointment or book_appointment'),
      ...caller,
    }),
    config: CALENDAR_CONFIG,
  },
];
