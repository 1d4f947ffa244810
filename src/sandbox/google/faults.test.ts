import Fastify from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { call } from '../../../test/support/google-http-client.ts';
import { createGoogleFake, type GoogleFake, seedDemoWorld, startGoogleFake } from './index.ts';

const G = 'https://www.googleapis.com/auth/';
const CLIENT = { clientId: 'c', clientSecret: 's' };
let base: string;
let fake: GoogleFake;
let close: () => Promise<void>;
let token: string;
let refreshToken: string;

beforeAll(async () => {
  ({ url: base, fake, close } = await startGoogleFake(CLIENT));
});
afterAll(() => close());
beforeEach(() => {
  fake.reset();
  const issued = fake.seed.token('alice@example.com', {
    scopes: [`${G}calendar.events`, `${G}spreadsheets`],
  });
  token = issued.accessToken;
  refreshToken = issued.refreshToken!;
  fake.seed.spreadsheet({
    owner: 'alice@example.com',
    id: 'ss1',
    title: 'S',
    sheets: [{ title: 'Sheet1', values: [['a']] }],
  });
});

const events = '/calendar/v3/calendars/primary/events';
const sheet = '/v4/spreadsheets/ss1/values/Sheet1!A1';
const refresh = () =>
  call(base, '/token', {
    form: { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: 'c', client_secret: 's' },
  });

describe('fault switches', () => {
  it('answers one 429 with Retry-After and RESOURCE_EXHAUSTED, then recovers', async () => {
    const handle = fake.faults.rateLimit({ path: '/calendar/v3', retryAfter: 3, times: 1 });
    const limited = await call(base, events, { token });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    expect(limited.body.error).toMatchObject({
      code: 429,
      status: 'RESOURCE_EXHAUSTED',
      errors: [{ domain: 'usageLimits', reason: 'rateLimitExceeded' }],
    });
    expect((await call(base, events, { token })).status).toBe(200);
    expect(handle.hits).toBe(1);
    expect(fake.faults.list()).toHaveLength(0);
  });

  it('answers 500 and 503 in the Sheets error shape on Sheets paths only', async () => {
    fake.faults.serverError({ path: '/v4/', status: 500, times: 1 });
    const internal = await call(base, sheet, { token });
    expect(internal.body).toEqual({
      error: { code: 500, message: 'Internal error encountered.', status: 'INTERNAL' },
    });
    fake.faults.serverError({ path: '/v4/' });
    expect((await call(base, events, { token })).status).toBe(200);
    const unavailable = await call(base, sheet, { token });
    expect(unavailable.body.error).toMatchObject({ code: 503, status: 'UNAVAILABLE' });
    expect((await call(base, sheet, { token })).status).toBe(503);
  });

  it('answers 401 persistently until removed, whatever the token', async () => {
    const handle = fake.faults.unauthorized({ method: 'GET' });
    const res = await call(base, events, { token });
    expect(res.status).toBe(401);
    expect(res.body.error.errors[0].reason).toBe('authError');
    expect((await call(base, events, { token })).status).toBe(401);
    handle.remove();
    expect((await call(base, events, { token })).status).toBe(200);
  });

  it('slows matching requests down', async () => {
    fake.faults.slow(150, { path: '/v4/', times: 1 });
    const started = Date.now();
    expect((await call(base, sheet, { token })).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('fails the next refresh with invalid_grant, then lets the following one through', async () => {
    fake.faults.invalidGrant();
    const failed = await refresh();
    expect(failed).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect((await refresh()).status).toBe(200);
    expect(fake.counters.refreshGrants).toBe(1);
  });

  it('revoking every grant of an account makes refreshes fail for good', async () => {
    fake.state.tokens.revokeAllFor('alice@example.com');
    expect((await refresh()).body.error).toBe('invalid_grant');
    expect((await call(base, events, { token })).status).toBe(401);
  });
});

describe('request log', () => {
  it('records method, path, query and status without credentials', async () => {
    await call(base, events, { token, query: { maxResults: '5' } });
    await refresh();
    const [get] = fake.log.matching('/calendar/v3', 'GET');
    expect(get).toMatchObject({ method: 'GET', path: events, query: { maxResults: '5' }, status: 200 });
    expect(get.headers.authorization).toBeUndefined();
    const [tokenCall] = fake.log.matching('/token');
    expect(tokenCall.body).toMatchObject({
      grant_type: 'refresh_token',
      refresh_token: '[redacted]',
      client_secret: '[redacted]',
    });
  });
});

describe('mounted in a host server', () => {
  it('serves under a prefix with faults and log paths relative to it', async () => {
    const mounted = createGoogleFake(CLIENT);
    const app = Fastify();
    app.get('/healthz', async () => ({ ok: true }));
    await app.register(mounted.plugin, { prefix: '/sandbox/google' });
    await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const address = app.server.address();
      const host = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      const demo = seedDemoWorld(mounted);
      const t = mounted.seed.token(demo.email, {
        scopes: [`${G}calendar.readonly`, `${G}spreadsheets.readonly`],
      }).accessToken;
      const cal = await call(
        host,
        `/sandbox/google/calendar/v3/calendars/${encodeURIComponent(demo.calendarId)}/events`,
        { token: t },
      );
      expect(cal.body.items).toHaveLength(3);
      const tab = await call(
        host,
        `/sandbox/google/v4/spreadsheets/${demo.spreadsheetIds.inventory}/values/${encodeURIComponent("'Stock levels'!1:1")}`,
        { token: t },
      );
      expect(tab.body.values).toEqual([['SKU', 'Product', 'In stock', 'Reorder']]);
      mounted.faults.rateLimit({ path: '/v4/', times: 1 });
      const limited = await call(host, `/sandbox/google/v4/spreadsheets/${demo.spreadsheetIds.leads}`, {
        token: t,
      });
      expect(limited.status).toBe(429);
      expect(mounted.log.matching('/v4/spreadsheets').map((e) => e.status)).toEqual([200, 429]);
      expect((await call(host, '/healthz')).body).toEqual({ ok: true });
      expect(mounted.log.matching('/healthz')).toHaveLength(0);
    } finally {
      await app.close();
    }
  });
});
