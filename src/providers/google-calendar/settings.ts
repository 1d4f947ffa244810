/** The operator settings every Calendar action shares, declared once and resolved per call. */

import { cachedOrLoad, lruCache } from '../../cache-limits.ts';
import { AppError } from '../../errors.ts';
import type { ActionConfigField, ProviderContext } from '../types.ts';
import { DEFAULT_BUSINESS_HOURS, parseBusinessHours, type WeeklyHours } from './business-hours.ts';
import { getCalendarListEntry } from './calendar-api.ts';
import { isTimeZone } from './zoned-time.ts';

export const CALENDAR_CONFIG: ActionConfigField[] = [
  {
    key: 'calendar_id',
    label: 'Calendar',
    type: 'string',
    required: false,
    description: 'Calendar id (see discovery); default "primary"',
  },
  {
    key: 'time_zone',
    label: 'Time zone',
    type: 'string',
    required: false,
    description: "IANA time zone of the business, e.g. America/New_York; default the calendar's own",
  },
  {
    key: 'appointment_minutes',
    label: 'Appointment length (minutes)',
    type: 'integer',
    required: false,
    description: 'Default 30',
  },
  {
    key: 'business_hours',
    label: 'Business hours',
    type: 'json',
    required: false,
    description: `Text like "${DEFAULT_BUSINESS_HOURS}; Sat 10:00-14:00" or JSON like {"mon": ["09:00-12:00", "13:00-17:00"]}; default "${DEFAULT_BUSINESS_HOURS}"`,
  },
  {
    key: 'buffer_minutes',
    label: 'Buffer between appointments (minutes)',
    type: 'integer',
    required: false,
    description: 'Kept free before and after every appointment; default 0',
  },
  {
    key: 'invite_caller',
    label: 'Invite the caller',
    type: 'boolean',
    required: false,
    description:
      'Add a caller who gives an email address as a guest, so Google emails them the invitation, and any reschedule or cancellation; default false',
  },
];

export interface CalendarSettings {
  calendarId: string;
  timeZone: string;
  durationMin: number;
  bufferMin: number;
  hours: WeeklyHours;
  inviteCaller: boolean;
}

const invalid = (key: string, message: string) =>
  new AppError('validation_error', `the skill's ${key} setting ${message}`, {
    errors: [{ field: `executionConfig.${key}`, message }],
  });

function minutesSetting(
  config: Record<string, unknown>,
  key: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const v = config[key];
  if (v === undefined || v === null || v === '') return fallback;
  const n = typeof v === 'string' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    throw invalid(key, `must be a whole number of minutes between ${min} and ${max}`);
  }
  return n;
}

/** A calendar's own zone rarely changes: one lookup per connection and calendar every 10 minutes. */
const calendarZones = lruCache<string, string>('googleCalendarZones');

export async function resolveSettings(
  config: Record<string, unknown>,
  ctx: ProviderContext,
  connectionId: string,
): Promise<CalendarSettings> {
  const rawId = config.calendar_id;
  const calendarId = typeof rawId === 'string' && rawId.trim() ? rawId.trim() : 'primary';
  const durationMin = minutesSetting(config, 'appointment_minutes', 30, 5, 8 * 60);
  const bufferMin = minutesSetting(config, 'buffer_minutes', 0, 0, 4 * 60);
  const hours = parseBusinessHours(config.business_hours);
  let timeZone = typeof config.time_zone === 'string' ? config.time_zone.trim() : '';
  if (timeZone) {
    if (!isTimeZone(timeZone))
      throw invalid('time_zone', `"${timeZone.slice(0, 64)}" is not an IANA time zone`);
  } else {
    timeZone = await cachedOrLoad(calendarZones, `${connectionId}\u0000${calendarId}`, async () => {
      const cal = await getCalendarListEntry(ctx, calendarId);
      return cal?.timeZone && isTimeZone(cal.timeZone) ? cal.timeZone : 'UTC';
    });
  }
  const inviteCaller = config.invite_caller === true;
  return { calendarId, timeZone, durationMin, bufferMin, hours, inviteCaller };
}

/** A caller-supplied duration, bounded like the setting. */
export function durationArg(value: unknown, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 5 || value > 8 * 60) {
    throw new AppError('validation_error', 'duration_minutes must be a whole number between 5 and 480', {
      errors: [{ field: 'duration_minutes', message: 'must be a whole number between 5 and 480' }],
    });
  }
  return value;
}
