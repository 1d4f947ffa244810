/**
 * The Google fake and a ProviderContext for calling the Calendar provider directly, with helpers the
 * Calendar suites share: run an action, book, seed busy time, read the fake's events.
 */
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { AppError } from '../src/errors.ts';
import { GOOGLE_CALENDAR_SCOPES, googleCalendar } from '../src/providers/google-calendar/index.ts';
import type { ProviderContext } from '../src/providers/types.ts';
import { type GoogleTestbed, startGoogleTestbed } from './support/google-fake.ts';

export const TZ = 'America/New_York';

export const availability = { date: null, window_start: null, window_end: null, duration_minutes: null };

export const failure = async (p: Promise<unknown>): Promise<AppError> => {
  const e = await p.then(
    () => undefined,
    (err) => err,
  );
  expect(e, 'expected a failure').toBeInstanceOf(AppError);
  return e as AppError;
};

/** Registers the suite's hooks: one fake per file, a fresh account and token per test. */
export function calendarSuite() {
  let bed: GoogleTestbed;
  let ctx: ProviderContext;
  beforeAll(async () => {
    bed = await startGoogleTestbed(GOOGLE_CALENDAR_SCOPES);
  });
  afterAll(() => bed.close());
  beforeEach(() => {
    ctx = bed.account({ timeZone: TZ });
  });

  const config = {
    time_zone: TZ,
    appointment_minutes: 30,
    business_hours: 'Mon-Fri 09:00-17:00',
    buffer_minutes: 0,
  };
  const run = (
    action: string,
    args: Record<string, unknown>,
    extra: { config?: Record<string, unknown>; key?: string } = {},
  ) =>
    googleCalendar.execute!(
      {},
      {
        action,
        arguments: args,
        config: { ...config, ...extra.config },
        connectionId: 'conn_1',
        idempotencyKey: extra.key,
      },
      ctx,
    ) as Promise<any>;
  return {
    bed: () => bed,
    ctx: () => ctx,
    run,
    events: () =>
      [...bed.fake.state.calendars.get(bed.email)!.events.values()].filter((e) => e.status !== 'cancelled'),
    seedBusy: (from: string, to: string, summary = 'Busy') =>
      bed.fake.seed.event(bed.email, {
        summary,
        start: { dateTime: from, timeZone: TZ },
        end: { dateTime: to, timeZone: TZ },
      }),
    book: (time: string, extra: Record<string, unknown> = {}, key?: string) =>
      run(
        'book_appointment',
        {
          appointment_time: time,
          caller_name: 'Sam Lee',
          caller_phone: '+1 212 555 0101',
          caller_email: null,
          duration_minutes: null,
          notes: null,
          ...extra,
        },
        { key },
      ),
  };
}
