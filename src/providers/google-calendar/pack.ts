/**
 * The "Appointment booking" pack: the five Calendar actions with the model-facing text a receptionist
 * agent needs. Tool names differ from the plain actions' so a pack can sit beside provisioned skills.
 */
import type { Pack } from '../types.ts';

export const APPOINTMENT_PACK: Pack = {
  slug: 'appointment_booking',
  name: 'Appointment booking',
  description:
    'Let callers find a free time, book it, look up their appointment, move it or cancel it, straight in your Google Calendar, within your business hours.',
  presets: [
    {
      slug: 'check_availability',
      name: 'Check availability',
      action: 'check_availability',
      toolName: 'get_available_times',
      description:
        'Look up free appointment times before offering any. Pass `date` (YYYY-MM-DD) when the caller names a day, `window_start`/`window_end` for a part of a day ("Tuesday afternoon"), or nothing for the next openings. Offer at most three options, reading each slot\'s `local` text; keep its `start` to book. If `slots` is empty, say so and suggest another day.',
    },
    {
      slug: 'book_appointment',
      name: 'Book appointment',
      action: 'book_appointment',
      toolName: 'book_caller_appointment',
      description:
        "Book the time the caller chose. Use the exact `start` of a slot from get_available_times as `appointment_time`. Collect the caller's full name and their phone number (or email) first, then read the time and name back and call with confirmed: true once they agree. On slot_unavailable, offer the returned alternatives instead. Finish by reading the returned `local` time.",
    },
    {
      slug: 'find_appointment',
      name: 'Find appointment',
      action: 'find_appointment',
      toolName: 'find_caller_appointment',
      description:
        "Find the caller's upcoming appointments by the phone number they call from (caller_phone) or their email. Use it when they ask when their appointment is, or before moving or cancelling one. Read each `local` time; never read out the appointment_id.",
    },
    {
      slug: 'reschedule_appointment',
      name: 'Reschedule appointment',
      action: 'reschedule_appointment',
      toolName: 'move_caller_appointment',
      description:
        "Move the caller's appointment to a new time. First find it with find_caller_appointment and check the new time with get_available_times. Pass the appointment_id, the new slot's `start` as new_appointment_time, and the caller's phone or email (it must match the booking). Confirm old and new times with the caller before calling with confirmed: true.",
    },
    {
      slug: 'cancel_appointment',
      name: 'Cancel appointment',
      action: 'cancel_appointment',
      toolName: 'cancel_caller_appointment',
      description:
        "Cancel the caller's appointment after they confirm which one (found with find_caller_appointment). Pass its appointment_id and the caller's phone or email (it must match the booking). Read the date and time back and call with confirmed: true once they say yes; offer to book a new time afterwards.",
    },
  ],
};
