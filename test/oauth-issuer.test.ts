/**
 * An authorization server other than Google's (oauth2-mock-server names itself as the ID token's
 * issuer): without the issuer configured, the callback says that the issuer check failed and which
 * setting fixes it — not that the server "could not be reached"; with FLOWYTE_GOOGLE_ISSUER set to
 * the server's issuer, the same flow connects.
 */
import { OAuth2Server } from 'oauth2-mock-server';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestServer, type TestServer } from './support/harness.ts';
import { ALL_SCOPES, callback, startConnect } from './support/oauth-dance.ts';
import { OAUTH_TEST_KIND, oauthTestProvider } from './support/oauth-test-provider.ts';

const mock = new OAuth2Server(undefined, undefined, { endpoints: { userinfo: '/oauth2/v3/userinfo' } });
const servers: TestServer[] = [];

beforeAll(async () => {
  await mock.issuer.keys.generate('RS256');
  await mock.start(0, '127.0.0.1');
  // The mock echoes the token request's scope (none); an absent scope means all were granted.
  mock.service.on('beforeResponse', (res: { body: Record<string, unknown> }) => {
    delete res.body.scope;
  });
  mock.service.on('beforeUserinfo', (res: { body: Record<string, unknown> }) => {
    res.body = { sub: 'ana', email: 'ana@example.org' };
  });
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await mock.stop();
});

async function serverWith(extra: Record<string, string>) {
  const base = mock.issuer.url!;
  const s = await startTestServer(
    {
      GOOGLE_CLIENT_ID: 'mock-client',
      GOOGLE_CLIENT_SECRET: 'mock-secret',
      FLOWYTE_GOOGLE_AUTH_URL: `${base}/authorize`,
      FLOWYTE_GOOGLE_TOKEN_URL: `${base}/token`,
      FLOWYTE_GOOGLE_REVOKE_URL: `${base}/revoke`,
      FLOWYTE_GOOGLE_API_URL: base,
      ...extra,
    },
    { providers: [oauthTestProvider] },
  );
  servers.push(s);
  const { key } = await s.key('issuer-org', ALL_SCOPES);
  const res = await fetch(await startConnect(s, key), { redirect: 'manual' });
  const back = new URL(res.headers.get('location')!);
  return { s, key, done: await callback(s, back.pathname + back.search) };
}

test('an ID token from another issuer fails with the reason and the setting that fixes it', async () => {
  const { done } = await serverWith({});
  expect(done.status, done.text).toBe(400);
  expect(done.json.code).toBe('oauth_exchange_failed');
  expect(done.json.detail).toContain("ID token's issuer is not the expected https://accounts.google.com");
  expect(done.json.detail).toContain(mock.issuer.url!);
  expect(done.json.detail).toContain('FLOWYTE_GOOGLE_ISSUER');
  expect(done.json.detail).not.toContain('could not be reached');
});

test('with FLOWYTE_GOOGLE_ISSUER naming that server, the same flow connects', async () => {
  const { s, key, done } = await serverWith({ FLOWYTE_GOOGLE_ISSUER: mock.issuer.url! });
  expect(done.status, done.text).toBe(200);
  expect(done.json.data).toMatchObject({ kind: OAUTH_TEST_KIND, accountLabel: 'ana@example.org' });
  const list = await s.call('GET', '/api/v1/integrations', { key });
  expect(list.json.data[0]).toMatchObject({ kind: OAUTH_TEST_KIND, status: 'connected' });
});
