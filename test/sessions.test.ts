/**
 * Operators' sessions over HTTP: login sets a server-side, HttpOnly, SameSite=Lax cookie; writes need
 * the CSRF token; the organization header is a session's alone; roles map onto scopes; logout, user
 * removal, idle and absolute expiry end a session; failed logins are throttled per account and per
 * address; the password never comes back in a response or a log line.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, test } from 'vitest';
import { ACCOUNT_FAILURES, Operators } from '../src/core/access/index.ts';
import { startTestServer } from './support/harness.ts';
import { createOperator, login } from './support/sessions.ts';

const s = await startTestServer({ FLOWYTE_RATE_LIMIT_PER_MINUTE: '1000000' });
afterAll(() => s.close());

const PASSWORD = `CANARY-PW-${randomBytes(8).toString('hex')}`;
await createOperator(s, 'owner@example.com', 'acme', 'owner', PASSWORD);
await createOperator(s, 'member@example.com', 'acme', 'member', PASSWORD);
const two = await createOperator(s, 'both@example.com', 'acme', 'owner', PASSWORD);
const globex = await createOperator(s, 'both@example.com', 'globex', 'member', PASSWORD);

describe('login', () => {
  test('sets an HttpOnly, SameSite=Lax cookie (not Secure on http) and returns the CSRF token', async () => {
    const res = await s.call('POST', '/api/v1/session/login', {
      body: { email: 'Owner@Example.com ', password: PASSWORD },
    });
    expect(res.status, res.text).toBe(200);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(
      /^flowyte_session=[A-Za-z0-9_-]{40,}; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Lax$/,
    );
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.json.data).toMatchObject({
      user: { email: 'owner@example.com' },
      organizations: [{ orgName: 'acme', role: 'owner' }],
      csrfToken: expect.any(String),
    });
    const who = await s.call('GET', '/api/v1/session', { headers: { cookie: cookie.split(';')[0] } });
    expect(who.json.data.user.email).toBe('owner@example.com');
    expect((await s.call('GET', '/api/v1/session')).json).toEqual({ success: true, data: null });
  });

  test('a wrong password and an unknown email get the same 401', async () => {
    const a = await s.call('POST', '/api/v1/session/login', {
      body: { email: 'member@example.com', password: 'wrong password!' },
    });
    const b = await s.call('POST', '/api/v1/session/login', {
      body: { email: 'nobody@example.com', password: 'wrong password!' },
    });
    expect([a.status, b.status]).toEqual([401, 401]);
    expect(a.json.detail).toBe(b.json.detail);
    expect(a.headers.get('set-cookie')).toBeNull();
  });

  test('bad bodies are 400 problems, never 500', async () => {
    for (const body of [
      {},
      { email: 'x' },
      { email: 1, password: 2 },
      { email: 'a', password: 'b', extra: 1 },
    ]) {
      const res = await s.call('POST', '/api/v1/session/login', { body });
      expect(res.status, res.text).toBe(400);
    }
    const raw = await s.call('POST', '/api/v1/session/login', { raw: '{"email":' });
    expect(raw.status).toBe(400);
  });

  test(`is throttled per account after ${ACCOUNT_FAILURES} failures, even for the right password`, async () => {
    await createOperator(s, 'target@example.com', 'acme', 'member', PASSWORD);
    for (let i = 0; i < ACCOUNT_FAILURES; i++) {
      const res = await s.call('POST', '/api/v1/session/login', {
        body: { email: 'target@example.com', password: `guess-${i}-guess` },
      });
      expect(res.status).toBe(401);
    }
    const res = await s.call('POST', '/api/v1/session/login', {
      body: { email: 'target@example.com', password: PASSWORD },
    });
    expect(res.status).toBe(429);
    expect(res.json.code).toBe('rate_limited');
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  test('is throttled per address across accounts', () => {
    const ops = new Operators(s.services.store);
    for (let i = 0; i < 40; i++) ops.throttle.fail(`user${i}@example.com`, '10.0.0.9');
    expect(ops.throttle.retryAfter('fresh@example.com', '10.0.0.9')).toBeGreaterThan(0);
    expect(ops.throttle.retryAfter('fresh@example.com', '10.0.0.10')).toBe(0);
  });

  test('https public URL: the cookie is __Host- and Secure', async () => {
    const t = await startTestServer({ FLOWYTE_PUBLIC_URL: 'https://flowyte.example.com' });
    try {
      await createOperator(t, 'sec@example.com', 'acme', 'owner', PASSWORD);
      const res = await t.call('POST', '/api/v1/session/login', {
        body: { email: 'sec@example.com', password: PASSWORD },
      });
      expect(res.headers.get('set-cookie')).toMatch(
        /^__Host-flowyte_session=.*; HttpOnly; SameSite=Lax; Secure$/,
      );
    } finally {
      await t.close();
    }
  });
});

describe('authorizing /api/v1 routes with a session', () => {
  test('reads work with the cookie alone; writes need the CSRF token', async () => {
    const o = await login(s, 'owner@example.com', PASSWORD);
    expect((await o.call('GET', '/api/v1/integrations')).status).toBe(200);
    const noToken = await o.call('POST', '/api/v1/agents', { body: { name: 'A' }, csrf: false });
    expect([noToken.status, noToken.json.code]).toEqual([403, 'csrf_token_invalid']);
    const wrong = await o.call('POST', '/api/v1/agents', {
      body: { name: 'A' },
      csrf: false,
      headers: { 'x-csrf-token': 'x'.repeat(43) },
    });
    expect(wrong.status).toBe(403);
    const other = await login(s, 'member@example.com', PASSWORD);
    const crossed = await o.call('POST', '/api/v1/agents', {
      body: { name: 'A' },
      csrf: false,
      headers: { 'x-csrf-token': other.csrfToken },
    });
    expect(crossed.status).toBe(403);
    const good = await o.call('POST', '/api/v1/agents', { body: { name: 'A' } });
    expect(good.status, good.text).toBe(201);
  });

  test('a key and a session cookie together are refused', async () => {
    const o = await login(s, 'owner@example.com', PASSWORD);
    const k = await s.key('acme', ['integrations:read']);
    const res = await s.call('GET', '/api/v1/integrations', { key: k.key, headers: { cookie: o.cookie } });
    expect([res.status, res.json.code]).toEqual([400, 'credentials_conflict']);
  });

  test('X-Organization-Id picks one of the user’s organizations; another org is 404', async () => {
    const b = await login(s, 'both@example.com', PASSWORD);
    expect(b.orgId).toBe(two.orgId);
    const made = await b.call('POST', '/api/v1/agents', {
      body: { name: 'In globex' },
      headers: { 'x-organization-id': globex.orgId },
    });
    expect(made.status, made.text).toBe(201);
    const inAcme = await b.call('GET', '/api/v1/agents');
    expect(inAcme.json.data.map((a: any) => a.name)).not.toContain('In globex');
    const inGlobex = await b.call('GET', '/api/v1/agents', {
      headers: { 'x-organization-id': globex.orgId },
    });
    expect(inGlobex.json.data.map((a: any) => a.name)).toContain('In globex');
    const stranger = await createOperator(s, 'x@example.com', 'initech', 'owner', PASSWORD);
    const refused = await b.call('GET', '/api/v1/agents', {
      headers: { 'x-organization-id': stranger.orgId },
    });
    expect(refused.status).toBe(404);
  });

  test('owners hold every scope; members no keys and no deletes', async () => {
    const o = await login(s, 'owner@example.com', PASSWORD);
    const m = await login(s, 'member@example.com', PASSWORD);
    expect((await o.call('GET', '/api/v1/keys')).status).toBe(200);
    const keys = await m.call('GET', '/api/v1/keys');
    expect([keys.status, keys.json.code, keys.json.scope]).toEqual([403, 'insufficient_scope', 'keys:write']);
    const agent = await m.call('POST', '/api/v1/agents', { body: { name: 'Member made' } });
    expect(agent.status).toBe(201);
    const del = await m.call('DELETE', `/api/v1/agents/${agent.json.data.id}`);
    expect([del.status, del.json.code]).toEqual([403, 'insufficient_scope']);
    expect((await o.call('DELETE', `/api/v1/agents/${agent.json.data.id}`)).status).toBeLessThan(300);
  });
});

describe('ending sessions', () => {
  test('logout needs the CSRF token, then the cookie stops working', async () => {
    const o = await login(s, 'owner@example.com', PASSWORD);
    const forged = await s.call('POST', '/api/v1/session/logout', { headers: { cookie: o.cookie } });
    expect(forged.status).toBe(403);
    const out = await o.call('POST', '/api/v1/session/logout');
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    const after = await o.call('GET', '/api/v1/integrations');
    expect([after.status, after.json.code]).toEqual([401, 'unauthorized']);
  });

  test('idle and absolute expiry', async () => {
    const idle = await login(s, 'owner@example.com', PASSWORD);
    const old = await login(s, 'owner@example.com', PASSWORD);
    const db = s.services.store.db;
    const hours = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
    const rows = await db
      .selectFrom('sessions')
      .select(['id', 'created_at'])
      .orderBy('id', 'desc')
      .limit(2)
      .execute();
    await db
      .updateTable('sessions')
      .set({ last_seen_at: hours(3) })
      .where('id', '=', rows[1].id)
      .execute();
    await db
      .updateTable('sessions')
      .set({ expires_at: hours(0.01) })
      .where('id', '=', rows[0].id)
      .execute();
    expect((await idle.call('GET', '/api/v1/integrations')).status).toBe(401);
    expect((await old.call('GET', '/api/v1/integrations')).status).toBe(401);
  });

  test('ending all sessions of a user (users logout) stops every cookie of theirs', async () => {
    await createOperator(s, 'lost@example.com', 'acme', 'member', PASSWORD);
    const a = await login(s, 'lost@example.com', PASSWORD);
    const b = await login(s, 'lost@example.com', PASSWORD);
    expect(await new Operators(s.services.store).logoutEverywhere('LOST@example.com')).toBe(2);
    expect((await a.call('GET', '/api/v1/integrations')).status).toBe(401);
    expect((await b.call('GET', '/api/v1/integrations')).status).toBe(401);
  });

  test('setting a new password (users create again) ends the old sessions', async () => {
    await createOperator(s, 'rotate@example.com', 'acme', 'member', PASSWORD);
    const before = await login(s, 'rotate@example.com', PASSWORD);
    await createOperator(s, 'rotate@example.com', 'acme', 'member', `${PASSWORD}-new`);
    expect((await before.call('GET', '/api/v1/integrations')).status).toBe(401);
    const after = await login(s, 'rotate@example.com', `${PASSWORD}-new`);
    // The same password again (joining another organization) keeps the session.
    await createOperator(s, 'rotate@example.com', 'initech-2', 'member', `${PASSWORD}-new`);
    expect((await after.call('GET', '/api/v1/integrations')).status).toBe(200);
  });

  test('removing the user ends their sessions', async () => {
    await createOperator(s, 'leaver@example.com', 'acme', 'member', PASSWORD);
    const l = await login(s, 'leaver@example.com', PASSWORD);
    await new Operators(s.services.store).removeUser('leaver@example.com');
    expect((await l.call('GET', '/api/v1/integrations')).status).toBe(401);
  });
});

test('the password never appears in a response, header or log line; the cookie value is not logged', async () => {
  const o = await login(s, 'owner@example.com', PASSWORD);
  const answers = [
    await s.call('POST', '/api/v1/session/login', {
      body: { email: 'owner@example.com', password: PASSWORD },
    }),
    await s.call('POST', '/api/v1/session/login', {
      body: { email: 'owner@example.com', password: `${PASSWORD}x` },
    }),
    await s.call('POST', '/api/v1/session/login', { body: { email: PASSWORD, password: PASSWORD } }),
    await o.call('GET', '/api/v1/session'),
  ];
  for (const a of answers) {
    expect(a.text).not.toContain(PASSWORD);
    expect([...a.headers.values()].join('\n')).not.toContain(PASSWORD);
  }
  await new Promise((r) => setTimeout(r, 300));
  const logs = s.logs.join('');
  expect(logs).not.toContain(PASSWORD);
  expect(logs).not.toContain(o.cookie.split('=')[1]);
  expect(logs).not.toContain(o.csrfToken);
  const rows = await s.services.store.db.selectFrom('users').select('password_hash').execute();
  for (const r of rows) {
    expect(r.password_hash).toMatch(/^\$argon2id\$/);
    expect(r.password_hash).not.toContain(PASSWORD);
  }
});
