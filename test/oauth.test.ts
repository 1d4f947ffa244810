/**
 * The OAuth connection lifecycle over real HTTP against the Google fake on its own port: consent,
 * denial, replayed/expired/unknown state, missing scope, failed exchange, refresh before expiry and
 * after a 401, one refresh for twenty concurrent invokes, invalid_grant → needs_reconnect, and
 * revoke on disconnect. Tokens and codes never reach a page or a log line.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { startGoogleFake } from '../src/sandbox/google/index.ts';
import { startTestServer } from './support/harness.ts';
import {
  ALL_SCOPES,
  CALLBACK,
  callback,
  connectOAuth,
  consent,
  publishedAgent,
  startConnect,
  testClock,
} from './support/oauth-dance.ts';
import {
  OAUTH_TEST_KIND,
  OAUTH_TEST_KIND_B,
  OAUTH_TEST_SCOPE,
  oauthTestProvider,
  oauthTestProviderB,
} from './support/oauth-test-provider.ts';

const PUBLIC_URL = 'https://flowyte.example';
const EMAIL_SCOPE = 'https://www.googleapis.com/auth/userinfo.email';

const google = await startGoogleFake({
  clientId: 'test-client',
  clientSecret: 'test-secret',
  redirectUris: [PUBLIC_URL + CALLBACK],
});
const { fake } = google;
const clock = testClock();
const s = await startTestServer(
  {
    GOOGLE_CLIENT_ID: 'test-client',
    GOOGLE_CLIENT_SECRET: 'test-secret',
    FLOWYTE_GOOGLE_AUTH_URL: `${google.url}/o/oauth2/v2/auth`,
    FLOWYTE_GOOGLE_TOKEN_URL: `${google.url}/token`,
    FLOWYTE_GOOGLE_REVOKE_URL: `${google.url}/revoke`,
    FLOWYTE_GOOGLE_API_URL: google.url,
    FLOWYTE_PUBLIC_URL: PUBLIC_URL,
  },
  { providers: [oauthTestProvider, oauthTestProviderB], clock },
);
afterAll(async () => {
  await s.close();
  await google.close();
});

let orgs = 0;
const newOrg = async () => (await s.key(`oauth-${++orgs}`, ALL_SCOPES)).key;
const connectionOf = async (key: string) =>
  (await s.call('GET', '/api/v1/integrations', { key })).json.data.find(
    (c: any) => c.kind === OAUTH_TEST_KIND,
  );

describe('connect', () => {
  test('answers an authorization URL: code flow, PKCE S256, offline, consent, minimal scopes, fixed redirect', async () => {
    const key = await newOrg();
    const url = new URL(await startConnect(s, key));
    expect(url.origin + url.pathname).toBe(`${google.url}/o/oauth2/v2/auth`);
    const p = Object.fromEntries(url.searchParams);
    expect(p).toMatchObject({
      client_id: 'test-client',
      redirect_uri: PUBLIC_URL + CALLBACK,
      response_type: 'code',
      code_challenge_method: 'S256',
      access_type: 'offline',
      prompt: 'consent',
    });
    expect(p.scope.split(' ').sort()).toEqual([OAUTH_TEST_SCOPE, EMAIL_SCOPE].sort());
    expect(p.state).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    expect(p.code_challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // The state is stored hashed and the verifier sealed: neither is readable in the store.
    const rows = await s.services.store.db
      .withTables<{ oauth_states: any }>()
      .selectFrom('oauth_states')
      .selectAll()
      .execute();
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(p.state);
    expect(rows.every((r: any) => r.verifier.startsWith('fv1:'))).toBe(true);
  });

  test('OAuth kinds take no credentials', async () => {
    const res = await s.call('POST', `/api/v1/integrations/${OAUTH_TEST_KIND}/connect`, {
      key: await newOrg(),
      body: { credentials: { token: 'x' } },
    });
    expect(res.status).toBe(400);
    expect(res.json.code).toBe('validation_error');
  });

  test('without Google app credentials connect answers 503 naming the settings to set', async () => {
    const bare = await startTestServer({}, { providers: [oauthTestProvider] });
    try {
      const { key } = await bare.key('bare', ALL_SCOPES);
      const res = await bare.call('POST', `/api/v1/integrations/${OAUTH_TEST_KIND}/connect`, { key });
      expect(res.status).toBe(503);
      expect(res.json.code).toBe('unavailable');
      expect(res.json.detail).toContain('GOOGLE_CLIENT_ID');
    } finally {
      await bare.close();
    }
  });
});

describe('callback', () => {
  test('consent → callback stores the connection, labelled with the account email, and shows a page', async () => {
    const key = await newOrg();
    const oauthUrl = await startConnect(s, key);
    // A browser first gets the fake's consent page.
    const page = await fetch(oauthUrl);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toContain('name="decision" value="allow"');

    const back = await consent(oauthUrl, { decision: 'allow', account: 'ada@example.com' });
    const code = new URL(back, PUBLIC_URL).searchParams.get('code')!;
    const res = await callback(s, back, true);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.text).toContain('Test Google is connected');
    expect(res.text).toContain('ada@example.com');
    expect(res.text).not.toContain(code);

    expect(await connectionOf(key)).toMatchObject({ status: 'connected', accountLabel: 'ada@example.com' });
    const catalog = (await s.call('GET', '/api/v1/integrations/catalog', { key })).json.data;
    expect(catalog.find((e: any) => e.kind === OAUTH_TEST_KIND)).toMatchObject({
      authType: 'oauth2',
      connected: true,
    });
    // Sealed at rest: no token in the row.
    const row = await s.services.store.db
      .selectFrom('connections')
      .selectAll()
      .where('account_label', '=', 'ada@example.com')
      .executeTakeFirstOrThrow();
    for (const token of [...fake.state.tokens.access.keys(), ...fake.state.tokens.refresh.keys()])
      expect(row.secret).not.toContain(token);
  });

  test('scripts get JSON; a replayed state is refused and changes nothing', async () => {
    const key = await newOrg();
    const back = await consent(await startConnect(s, key), { decision: 'allow', account: 'bo@example.com' });
    const first = await callback(s, back);
    expect(first.json.data).toEqual({
      kind: OAUTH_TEST_KIND,
      status: 'connected',
      accountLabel: 'bo@example.com',
    });
    const grants = fake.counters.codeGrants;
    const again = await callback(s, back);
    expect(again.status).toBe(400);
    expect(again.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(again.json).toMatchObject({ code: 'oauth_state_invalid', reason: 'used' });
    const html = await callback(s, back, true);
    expect(html.status).toBe(400);
    expect(html.text).toContain('already used');
    expect(fake.counters.codeGrants).toBe(grants);
  });

  test('a denied consent is refused with a page and stores nothing', async () => {
    const key = await newOrg();
    const back = await consent(await startConnect(s, key), { decision: 'deny' });
    expect(back).toContain('error=access_denied');
    const res = await callback(s, back, true);
    expect(res.status).toBe(403);
    expect(res.text).toContain('denied');
    expect((await callback(s, back)).json.reason).toBe('used');
    expect(await connectionOf(key)).toBeUndefined();
  });

  test('a state older than ten minutes is refused before the code is redeemed', async () => {
    const key = await newOrg();
    const back = await consent(await startConnect(s, key), {
      decision: 'allow',
      account: 'late@example.com',
    });
    const grants = fake.counters.codeGrants;
    clock.offset += 10 * 60_000 + 1_000;
    try {
      const res = await callback(s, back);
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({ code: 'oauth_state_invalid', reason: 'expired' });
    } finally {
      clock.offset -= 10 * 60_000 + 1_000;
    }
    expect(fake.counters.codeGrants).toBe(grants);
    expect(await connectionOf(key)).toBeUndefined();
  });

  test('unknown, missing or repeated state parameters are refused', async () => {
    const unknown = await callback(s, `${CALLBACK}?state=${'A'.repeat(43)}&code=whatever`);
    expect(unknown.json).toMatchObject({ code: 'oauth_state_invalid', reason: 'unknown' });
    expect((await callback(s, `${CALLBACK}?code=whatever`)).json.reason).toBe('unknown');
    expect((await callback(s, `${CALLBACK}?state=a&state=b`)).status).toBe(400);
    const html = await callback(s, `${CALLBACK}?state=<script>&code=x`, true);
    expect(html.status).toBe(400);
    expect(html.text).not.toContain('<script>');
  });

  test('a grant without every requested scope is refused, nothing stored', async () => {
    const key = await newOrg();
    const onlyEmail = await consent(await startConnect(s, key), {
      decision: 'allow',
      account: 'c@example.com',
      grant_scopes: EMAIL_SCOPE,
    });
    const res = await callback(s, onlyEmail);
    expect(res.status).toBe(403);
    expect(res.json).toMatchObject({ code: 'oauth_scope_missing', missingScopes: [OAUTH_TEST_SCOPE] });
    const none = await consent(await startConnect(s, key), {
      decision: 'allow',
      account: 'c@example.com',
      grant_scopes: '',
    });
    expect((await callback(s, none)).json.missingScopes.sort()).toEqual(
      [OAUTH_TEST_SCOPE, EMAIL_SCOPE].sort(),
    );
    expect(await connectionOf(key)).toBeUndefined();
  });

  test('a code Google will not redeem is a failed exchange', async () => {
    const key = await newOrg();
    const back = new URL(await consent(await startConnect(s, key), { decision: 'allow' }), PUBLIC_URL);
    back.searchParams.set('code', 'not-a-code');
    const res = await callback(s, back.pathname + back.search);
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ code: 'oauth_exchange_failed', error: 'invalid_grant' });
    expect(await connectionOf(key)).toBeUndefined();
  });
});

describe('tokens', () => {
  test('a 401 forces one refresh; an expiring token is refreshed before use', async () => {
    const key = await newOrg();
    await connectOAuth(s, key, 'r@example.com');
    const invoke = await publishedAgent(s, key);
    const ok = await invoke();
    expect(ok.status, ok.text).toBe(200);
    expect(ok.json.data.result.calendars).toContain('r@example.com');

    const before = fake.counters.refreshGrants;
    fake.expireAccessTokens();
    expect((await invoke()).status).toBe(200);
    expect(fake.counters.refreshGrants).toBe(before + 1);

    // 59 minutes on: within the margin, so refreshed proactively, with no 401 at Google first.
    clock.offset += 59 * 60_000;
    fake.log.clear();
    expect((await invoke()).status).toBe(200);
    expect(fake.counters.refreshGrants).toBe(before + 2);
    expect(fake.log.matching('/calendar/v3').map((e) => e.status)).toEqual([200]);
  });

  test('twenty concurrent invokes on a just-expired token cause exactly one refresh', async () => {
    const key = await newOrg();
    await connectOAuth(s, key, 'busy@example.com');
    const invoke = await publishedAgent(s, key);
    expect((await invoke()).status).toBe(200);
    fake.expireAccessTokens();
    clock.offset += 3_600_000;
    // A slow token endpoint widens the window in which the others must wait rather than refresh.
    const slow = fake.faults.slow(150, { path: '/token' });
    const before = fake.counters.refreshGrants;
    try {
      const results = await Promise.all(Array.from({ length: 20 }, () => invoke()));
      expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    } finally {
      slow.remove();
    }
    expect(fake.counters.refreshGrants).toBe(before + 1);
  });

  test('invalid_grant marks the connection needs_reconnect; invokes then answer 409 until reconnected', async () => {
    const key = await newOrg();
    await connectOAuth(s, key, 'gone@example.com');
    const invoke = await publishedAgent(s, key);
    fake.expireAccessTokens();
    fake.faults.invalidGrant();
    const failed = await invoke();
    expect(failed.status).toBe(409);
    expect(failed.json.code).toBe('needs_reconnect');
    expect((await connectionOf(key)).status).toBe('needs_reconnect');
    const refreshes = fake.log.matching('/token', 'POST').length;
    expect((await invoke()).json.code).toBe('needs_reconnect');
    // Once marked, nothing more is asked of Google.
    expect(fake.log.matching('/token', 'POST').length).toBe(refreshes);

    await connectOAuth(s, key, 'gone@example.com');
    expect((await connectionOf(key)).status).toBe('connected');
    expect((await invoke()).status).toBe(200);
  });
});

describe('disconnect', () => {
  test('revokes the grant at Google', async () => {
    const key = await newOrg();
    await connectOAuth(s, key, 'bye@example.com');
    const revocations = fake.counters.revocations;
    const res = await s.call('DELETE', `/api/v1/integrations/${OAUTH_TEST_KIND}`, { key });
    expect(res.json.data).toEqual({ disconnected: true, disabledSkills: 0 });
    expect(fake.counters.revocations).toBe(revocations + 1);
    expect(
      fake.state.tokens.grants.filter((g) => g.email === 'bye@example.com').every((g) => g.revoked),
    ).toBe(true);
  });

  test('a grant another connection of the org still uses (same account) is left alone', async () => {
    const key = await newOrg();
    await connectOAuth(s, key, 'shared@example.com');
    await connectOAuth(s, key, 'shared@example.com', OAUTH_TEST_KIND_B);
    const revocations = fake.counters.revocations;
    expect((await s.call('DELETE', `/api/v1/integrations/${OAUTH_TEST_KIND}`, { key })).status).toBe(200);
    // Google would revoke the app's whole access to the account, killing the other connection too.
    expect(fake.counters.revocations).toBe(revocations);
    expect(s.logs.some((l) => l.includes('token revocation') && l.includes('"skipped"'))).toBe(true);
    expect((await s.call('DELETE', `/api/v1/integrations/${OAUTH_TEST_KIND_B}`, { key })).status).toBe(200);
    expect(fake.counters.revocations).toBe(revocations + 1);
  });

  test('a failed revoke still disconnects and is only logged', async () => {
    const key = await newOrg();
    await connectOAuth(s, key, 'flaky@example.com');
    const fault = fake.faults.serverError({ path: '/revoke' });
    try {
      const res = await s.call('DELETE', `/api/v1/integrations/${OAUTH_TEST_KIND}`, { key });
      expect(res.status).toBe(200);
      expect(res.json.data.disconnected).toBe(true);
    } finally {
      fault.remove();
    }
    expect(await connectionOf(key)).toBeUndefined();
    expect(s.logs.some((l) => l.includes('token revocation') && l.includes('"failed"'))).toBe(true);
  });
});

test('no code, access token or refresh token ever reached a log line', () => {
  const secrets = [
    ...fake.state.tokens.codes.keys(),
    ...fake.state.tokens.access.keys(),
    ...fake.state.tokens.refresh.keys(),
  ];
  expect(secrets.length).toBeGreaterThan(10);
  const logs = s.logs.join('\n');
  expect(secrets.filter((t) => logs.includes(t))).toEqual([]);
});
