/**
 * What Google's failures become for an agent, through the shared client and over a real socket:
 * 429 with Retry-After (a short bounded wait, then rate_limited), 5xx (provider_error, retryable),
 * 401 (one forced refresh), a missing scope (needs_reconnect), slowness (provider_timeout).
 */
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { AppError } from '../src/errors.ts';
import { retryAfterSeconds } from '../src/providers/google-api/client.ts';
import { GOOGLE_CALENDAR_SCOPES, googleCalendar } from '../src/providers/google-calendar/index.ts';
import { GOOGLE_SHEETS_SCOPES, googleSheets } from '../src/providers/google-sheets/index.ts';
import type { ProviderContext } from '../src/providers/types.ts';
import { type GoogleTestbed, startGoogleTestbed } from './support/google-fake.ts';

let bed: GoogleTestbed;
let ctx: ProviderContext;

beforeAll(async () => {
  bed = await startGoogleTestbed([...GOOGLE_CALENDAR_SCOPES, ...GOOGLE_SHEETS_SCOPES]);
});
afterAll(() => bed.close());
beforeEach(() => {
  ctx = bed.account();
});

const check = (c = ctx) =>
  googleCalendar.execute!(
    {},
    {
      action: 'check_availability',
      arguments: { date: '2030-03-11', window_start: null, window_end: null, duration_minutes: null },
      config: { time_zone: 'America/New_York' },
      connectionId: 'c1',
    },
    c,
  ) as Promise<any>;
const failure = async (p: Promise<unknown>): Promise<AppError> => {
  const e = await p.then(
    () => undefined,
    (err) => err,
  );
  expect(e, 'expected a failure').toBeInstanceOf(AppError);
  return e as AppError;
};
const freeBusyCalls = () => bed.fake.log.matching('/calendar/v3/freeBusy').length;

describe('429 Too Many Requests', () => {
  test('a short Retry-After is waited out and the call succeeds', async () => {
    bed.fake.faults.rateLimit({ path: '/calendar/v3/freeBusy', retryAfter: 1, times: 1 });
    const t0 = performance.now();
    const res = await check();
    expect(res.slots.length).toBeGreaterThan(0);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(950);
    expect(freeBusyCalls()).toBe(2);
  });

  test('a persisting 429 gives up after two retries with rate_limited and Retry-After', async () => {
    bed.fake.faults.rateLimit({ path: '/calendar/v3/freeBusy', retryAfter: 0 });
    const e = await failure(check());
    expect(e.code).toBe('rate_limited');
    expect(e.status).toBe(429);
    expect(e.extras.retryAfter).toBe(1);
    expect(freeBusyCalls()).toBe(3);
  });

  test('a long Retry-After is passed on at once instead of holding the call', async () => {
    bed.fake.faults.rateLimit({ path: '/calendar/v3/freeBusy', retryAfter: 30 });
    const t0 = performance.now();
    const e = await failure(check());
    expect(performance.now() - t0).toBeLessThan(500);
    expect(e).toMatchObject({ code: 'rate_limited', extras: { retryAfter: 30 } });
    expect(freeBusyCalls()).toBe(1);
  });

  test('Sheets quota errors are handled the same way', async () => {
    const id = bed.fake.seed.spreadsheet({
      owner: bed.email,
      title: 'T',
      sheets: [{ title: 'S', values: [['A'], ['1']] }],
    }).spreadsheetId;
    bed.fake.faults.rateLimit({ path: '/v4/', retryAfter: 0 });
    const e = await failure(
      googleSheets.execute!(
        {},
        {
          action: 'lookup_row',
          arguments: { key_value: '1', key_column: null },
          config: { spreadsheet: id, tab: 'S' },
          connectionId: 'c1',
        },
        ctx,
      ),
    );
    expect(e.code).toBe('rate_limited');
  });

  test('Retry-After is read as seconds or as an HTTP date', () => {
    expect(retryAfterSeconds('7')).toBe(7);
    expect(retryAfterSeconds(new Date(Date.now() + 5_000).toUTCString())).toBeGreaterThanOrEqual(4);
    expect(retryAfterSeconds('soon')).toBeUndefined();
    expect(retryAfterSeconds(undefined)).toBeUndefined();
  });
});

describe('5xx', () => {
  test.each([500, 503])('%i is provider_error with retryable: true and Google’s message', async (status) => {
    bed.fake.faults.serverError({ path: '/calendar/v3/freeBusy', status: status as 500 | 503 });
    const e = await failure(check());
    expect(e.code).toBe('provider_error');
    expect(e.status).toBe(502);
    expect(e.extras.extensions).toMatchObject({ retryable: true, providerStatus: status });
    expect(e.message).toMatch(/Google Calendar failed/);
  });

  test('a 4xx Google refuses is provider_error, not retryable', async () => {
    bed.fake.faults.add({ path: '/calendar/v3/freeBusy', status: 400 });
    const e = await failure(check());
    expect(e.extras.extensions).toMatchObject({ retryable: false, providerStatus: 400 });
  });
});

describe('401 and scopes', () => {
  test('a 401 forces exactly one refresh and the call goes through', async () => {
    bed.fake.faults.unauthorized({ path: '/calendar/v3/freeBusy', times: 1 });
    const res = await check();
    expect(res.slots.length).toBeGreaterThan(0);
    expect(bed.refreshes()).toBe(1);
  });

  test('a 401 after the refresh asks for a reconnect, without looping', async () => {
    bed.fake.faults.unauthorized({ path: '/calendar/v3/freeBusy' });
    const e = await failure(check());
    expect(e.code).toBe('needs_reconnect');
    expect(bed.refreshes()).toBe(1);
    expect(freeBusyCalls()).toBe(2);
  });

  test('a grant without the scope the call needs asks for a reconnect', async () => {
    const narrow = bed.account({ scopes: ['https://www.googleapis.com/auth/spreadsheets'] });
    const e = await failure(check(narrow));
    expect(e.code).toBe('needs_reconnect');
    expect(e.message).toMatch(/lacks a permission/);
  });

  test('a context without a token source is needs_reconnect, not a crash', async () => {
    const e = await failure(check({ ...ctx, accessToken: undefined }));
    expect(e.code).toBe('needs_reconnect');
  });
});

describe('slowness', () => {
  test('an answer slower than the timeout is provider_timeout', async () => {
    const quick = bed.account({ timeoutMs: 200 });
    bed.fake.faults.slow(1_000, { path: '/calendar/v3/freeBusy' });
    const e = await failure(check(quick));
    expect(e.code).toBe('provider_timeout');
    expect(e.status).toBe(504);
  });

  test('an unreachable Google is provider_error, retryable', async () => {
    const e = await failure(
      check({
        ...ctx,
        endpoints: { googleApiUrl: 'http://127.0.0.1:9', shopifyApiUrl: null, shopifyApiVersion: '2026-10' },
      }),
    );
    expect(e.code).toBe('provider_error');
    expect(e.extras.extensions).toMatchObject({ retryable: true });
  });
});
