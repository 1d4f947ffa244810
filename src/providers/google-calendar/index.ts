/** The Google Calendar provider: availability and appointments over OAuth, a booking pack, discovery. */
import { AppError } from '../../errors.ts';
import { googleOAuth } from '../google/oauth.ts';
import type { ExecuteRequest, ProviderContext, ProviderModule } from '../types.ts';
import { CALENDAR_ACTIONS } from './actions.ts';
import { cancelAppointment, findAppointment, rescheduleAppointment } from './appointments.ts';
import { checkAvailability } from './availability.ts';
import { bookAppointment } from './booking.ts';
import { discoverCalendar } from './discover.ts';
import { APPOINTMENT_PACK } from './pack.ts';
import { resolveSettings } from './settings.ts';

/**
 * Least privilege: events read/write (which includes freeBusy) and a read-only calendar list (for
 * discovery and a calendar's own time zone). Identity scopes for the account label are the OAuth
 * layer's to add.
 */
export const GOOGLE_CALENDAR_SCOPES = [
  'https://www.googleapis.com/auth/calendar.events',
  'https://www.googleapis.com/auth/calendar.calendarlist.readonly',
];

async function execute(_credentials: Record<string, unknown>, request: ExecuteRequest, ctx: ProviderContext) {
  const settings = await resolveSettings(request.config ?? {}, ctx, request.connectionId);
  switch (request.action) {
    case 'check_availability':
      return checkAvailability(request.arguments, settings, ctx);
    case 'book_appointment':
      return bookAppointment(request, settings, ctx);
    case 'find_appointment':
      return findAppointment(request, settings, ctx);
    case 'reschedule_appointment':
      return rescheduleAppointment(request, settings, ctx);
    case 'cancel_appointment':
      return cancelAppointment(request, settings, ctx);
    default:
      throw new AppError(
        'unknown_action',
        `google_calendar has no action ${String(request.action ?? '(none)').slice(0, 64)}`,
      );
  }
}

export const googleCalendar: ProviderModule = {
  kind: 'google_calendar',
  skillType: 'calendar',
  name: 'Google Calendar',
  category: 'Scheduling',
  blurb: 'Let agents check your free times and book, find, move or cancel appointments in Google Calendar.',
  logo: 'google-calendar',
  auth: { type: 'oauth2', oauth: googleOAuth(GOOGLE_CALENDAR_SCOPES) },
  actions: CALENDAR_ACTIONS,
  pack: APPOINTMENT_PACK,
  discover: discoverCalendar,
  execute,
};
