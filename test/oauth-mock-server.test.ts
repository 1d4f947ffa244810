/**
 * Our OAuth client against an authorization server we did not write (oauth2-mock-server), so it
 * is not tuned to our own fake. Covered, through our real HTTP server: the authorization request
 * (code flow, S256 challenge, state, offline/consent parameters, fixed redirect), the callback's
 * state check and code exchange with the PKCE verifier (the mock verifies it against the
 * challenge), an ID token the library validates (iss/aud/exp), the userinfo email as the label,
 * refresh with a server that rotates refresh tokens, and revocation on disconnect.
 * Not covered by this server: consent UI (it has none — its authorize endpoint redirects at once),
 * denied consent, scope down-grading and invalid_grant; those run against the Google fake.
 */
import { OAuth2Server } from 'oauth2-mock-server';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { GOOGLE_ISSUER } from '../src/providers/google/oauth.ts';
import { startTestServer, type TestServer } from './support/harness.ts';
import { ALL_SCOPES, CALLBACK, callback, startConnect, testClock } from './support/oauth-dance.ts';
import { OAUTH_TEST_KIND, oauthTestProvider } from './support/oauth-test-provider.ts';

const mock = new OAuth2Server(undefined, undefined, { endpoints: { userinfo: '/oauth2/v3/userinfo' } });
const clock = testClock();
let s: TestServer;
let key: string;

const authorizeQueries: URLSearchParams[] = [];
const tokenRequests: Record<string, string>[] = [];
const issuedRefreshTokens: string[] = [];
const revoked: string[] = [];
const scopeByCode = new Map<string, string>();

beforeAll(async () => {
  await mock.issuer.keys.generate('RS256');
  await mock.start(0, '127.0.0.1');
  const base = mock.issuer.url!;
  const svc = mock.service;
  svc.on('beforeAuthorizeRedirect', (redirect: { url: URL }, req: { url: string }) => {
    const query = new URL(req.url, base).searchParams;
    authorizeQueries.push(query);
    scopeByCode.set(redirect.url.searchParams.get('code')!, query.get('scope') ?? '');
  });
  // The mock names itself as issuer; a Google client expects Google's.
  svc.on('beforeTokenSigning', (token: { payload: Record<string, unknown> }) => {
    token.payload.iss = GOOGLE_ISSUER;
  });
  svc.on(
    'beforeResponse',
    (res: { body: Record<string, unknown> }, req: { body: Record<string, string> }) => {
      tokenRequests.push({ ...req.body });
      // The mock echoes the scope of the token request; like Google, answer the scope granted at consent.
      if (req.body.grant_type === 'authorization_code') res.body.scope = scopeByCode.get(req.body.code);
      else delete res.body.scope;
      if (typeof res.body.refresh_token === 'string') issuedRefreshTokens.push(res.body.refresh_token);
    },
  );
  svc.on('beforeUserinfo', (res: { body: Record<string, unknown> }) => {
    res.body = { sub: 'johndoe', email: 'john.doe@example.org' };
  });
  // The mock does not parse the revocation body: count the calls.
  svc.on('beforeRevoke', (_res: unknown, req: { method: string }) => {
    revoked.push(req.method);
  });
  s = await startTestServer(
    {
      GOOGLE_CLIENT_ID: 'mock-client',
      GOOGLE_CLIENT_SECRET: 'mock-secret',
      FLOWYTE_GOOGLE_AUTH_URL: `${base}/authorize`,
      FLOWYTE_GOOGLE_TOKEN_URL: `${base}/token`,
      FLOWYTE_GOOGLE_REVOKE_URL: `${base}/revoke`,
      FLOWYTE_GOOGLE_API_URL: base,
      FLOWYTE_PUBLIC_URL: 'https://flowyte.example',
    },
    { providers: [oauthTestProvider], clock },
  );
  ({ key } = await s.key('mock-org', ALL_SCOPES));
});

afterAll(async () => {
  await s?.close();
  await mock.stop();
});

test('authorization code + PKCE, refresh with rotation, and revocation against oauth2-mock-server', async () => {
  const oauthUrl = await startConnect(s, key);
  // No consent UI: the mock's authorize endpoint redirects straight back with a code.
  const res = await fetch(oauthUrl, { redirect: 'manual' });
  expect(res.status).toBe(302);
  const back = new URL(res.headers.get('location')!);
  expect(back.origin + back.pathname).toBe(`https://flowyte.example${CALLBACK}`);
  const sent = Object.fromEntries(authorizeQueries[0]);
  expect(sent).toMatchObject({
    response_type: 'code',
    code_challenge_method: 'S256',
    access_type: 'offline',
    prompt: 'consent',
    client_id: 'mock-client',
  });
  expect(back.searchParams.get('state')).toBe(sent.state);

  // A tampered state never reaches the token endpoint.
  const forged = new URL(back);
  forged.searchParams.set('state', 'x'.repeat(43));
  expect((await callback(s, forged.pathname + forged.search)).json.code).toBe('oauth_state_invalid');
  expect(tokenRequests).toHaveLength(0);

  const done = await callback(s, back.pathname + back.search);
  expect(done.status, done.text).toBe(200);
  expect(done.json.data).toEqual({
    kind: OAUTH_TEST_KIND,
    status: 'connected',
    accountLabel: 'john.doe@example.org',
  });
  // The mock checked this verifier against the challenge before answering.
  expect(tokenRequests[0]).toMatchObject({
    grant_type: 'authorization_code',
    client_id: 'mock-client',
    redirect_uri: sent.redirect_uri,
  });
  expect(tokenRequests[0].code_verifier).toMatch(/^[A-Za-z0-9_-]{43,128}$/);

  // Refresh: the mock rotates refresh tokens; the next refresh must use the new one.
  const ctxFor = async () => {
    const { orgId } = (await s.services.apiKeys.authenticate(key))!;
    const { connection, credentials } = await s.services.integrations.credentials(orgId, OAUTH_TEST_KIND);
    return s.services.integrations.contextFor(orgId, connection, credentials);
  };
  const refreshes = () => tokenRequests.filter((r) => r.grant_type === 'refresh_token');
  await (await ctxFor()).accessToken!();
  expect(refreshes()).toHaveLength(0);
  clock.offset += 2 * 3_600_000;
  await (await ctxFor()).accessToken!();
  expect(refreshes()).toHaveLength(1);
  clock.offset += 2 * 3_600_000;
  await (await ctxFor()).accessToken!();
  expect(refreshes().map((r) => r.refresh_token)).toEqual([issuedRefreshTokens[0], issuedRefreshTokens[1]]);

  const gone = await s.call('DELETE', `/api/v1/integrations/${OAUTH_TEST_KIND}`, { key });
  expect(gone.json.data.disconnected).toBe(true);
  expect(revoked).toEqual(['POST']);
});
