import { createPublicKey, verify } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { call, pkcePair } from '../../../test/support/google-http-client.ts';
import { type GoogleFake, startGoogleFake } from './index.ts';

const CLIENT = { clientId: 'client-1.apps.googleusercontent.com', clientSecret: 's3cret' };
const REDIRECT = 'http://127.0.0.1:9999/integrations/oauth/callback';
const G = 'https://www.googleapis.com/auth/';

let base: string;
let fake: GoogleFake;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ url: base, fake, close } = await startGoogleFake({ ...CLIENT, redirectUris: [REDIRECT] }));
});
afterAll(() => close());
beforeEach(() => fake.reset());

function authorizeUrl(params: Record<string, string>): string {
  const url = new URL(`${base}/o/oauth2/v2/auth`);
  const defaults = {
    client_id: CLIENT.clientId,
    redirect_uri: REDIRECT,
    response_type: 'code',
    scope: `openid email ${G}calendar.events`,
    state: 'st-123',
    code_challenge_method: 'S256',
    access_type: 'offline',
  };
  for (const [k, v] of Object.entries({ ...defaults, ...params })) url.searchParams.set(k, v);
  return url.toString();
}

/** Runs the consent step and returns the redirect's query parameters. */
async function consent(params: Record<string, string>): Promise<URLSearchParams> {
  const res = await fetch(authorizeUrl({ decision: 'allow', ...params }), { redirect: 'manual' });
  expect(res.status).toBe(302);
  const location = new URL(res.headers.get('location')!);
  expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
  return location.searchParams;
}

function exchange(code: string, verifier: string, extra: Record<string, string> = {}) {
  return call(base, '/token', {
    form: {
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      redirect_uri: REDIRECT,
      client_id: CLIENT.clientId,
      client_secret: CLIENT.clientSecret,
      ...extra,
    },
  });
}

async function connect() {
  const { verifier, challenge } = pkcePair();
  const params = await consent({ code_challenge: challenge, account: 'alice@example.com' });
  const res = await exchange(params.get('code')!, verifier);
  expect(res.status).toBe(200);
  return res.body as { access_token: string; refresh_token: string; scope: string };
}

const creds = { client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret };
const refresh = (token: string) =>
  call(base, '/token', { form: { grant_type: 'refresh_token', refresh_token: token, ...creds } });

describe('authorization endpoint', () => {
  it('shows a consent page with Allow and Deny forms that carry the request back', async () => {
    const { challenge } = pkcePair();
    const res = await fetch(authorizeUrl({ code_challenge: challenge, login_hint: 'bob@example.com' }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    for (const value of ['allow', 'deny', 'st-123', 'bob@example.com', challenge]) {
      expect(html).toContain(`value="${value}"`);
    }
  });

  it('redirects with code, state and the granted scopes when allowed', async () => {
    const { challenge } = pkcePair();
    const params = await consent({ code_challenge: challenge });
    expect(params.get('state')).toBe('st-123');
    expect(params.get('code')).toMatch(/^4\//);
    expect(params.get('scope')).toBe(`openid ${G}userinfo.email ${G}calendar.events`);
  });

  it('redirects with error=access_denied and the state when denied', async () => {
    const { challenge } = pkcePair();
    const res = await fetch(authorizeUrl({ code_challenge: challenge, decision: 'deny' }), {
      redirect: 'manual',
    });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(Object.fromEntries(location.searchParams)).toEqual({ error: 'access_denied', state: 'st-123' });
  });

  it.each([
    [{ code_challenge: '' }, 400, 'invalid_request'],
    [{ code_challenge_method: 'plain' }, 400, 'invalid_request'],
    [{ state: '' }, 400, 'invalid_request'],
    [{ response_type: 'token' }, 400, 'unsupported_response_type'],
    [{ scope: 'https://example.com/nope' }, 400, 'invalid_scope'],
    [{ client_id: 'someone-else' }, 401, 'invalid_client'],
    [{ redirect_uri: 'http://evil.example/cb' }, 400, 'redirect_uri_mismatch'],
  ])('refuses %o on the page itself, never redirecting', async (override, status, error) => {
    const { challenge } = pkcePair();
    const res = await fetch(authorizeUrl({ code_challenge: challenge, decision: 'allow', ...override }), {
      redirect: 'manual',
    });
    expect(res.status).toBe(status);
    expect(res.headers.get('location')).toBeNull();
    expect(await res.text()).toContain(`Error ${status}: ${error}`);
  });

  it('grants only the scopes listed in grant_scopes', async () => {
    const { verifier, challenge } = pkcePair();
    const params = await consent({
      code_challenge: challenge,
      scope: `${G}calendar.events ${G}spreadsheets`,
      grant_scopes: `${G}spreadsheets`,
    });
    expect(params.get('scope')).toBe(`${G}spreadsheets`);
    const res = await exchange(params.get('code')!, verifier);
    expect(res.body.scope).toBe(`${G}spreadsheets`);
    const list = await call(base, '/calendar/v3/users/me/calendarList', { token: res.body.access_token });
    expect(list.status).toBe(403);
    expect(list.body.error.errors[0].reason).toBe('insufficientPermissions');
  });
});

describe('token endpoint', () => {
  it('exchanges a code with the right verifier for Google-shaped tokens', async () => {
    const { verifier, challenge } = pkcePair();
    const params = await consent({ code_challenge: challenge, account: 'Alice@Example.com', nonce: 'n-1' });
    const res = await exchange(params.get('code')!, verifier);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toContain('no-store');
    expect(Object.keys(res.body)).toEqual([
      'access_token',
      'expires_in',
      'refresh_token',
      'scope',
      'token_type',
      'id_token',
    ]);
    expect(res.body).toMatchObject({ expires_in: 3599, token_type: 'Bearer' });
    expect(res.body.access_token).toMatch(/^ya29\./);
    expect(fake.counters.codeGrants).toBe(1);

    const [header, payload, signature] = res.body.id_token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    expect(claims).toMatchObject({ aud: CLIENT.clientId, email: 'alice@example.com', nonce: 'n-1' });
    const { keys } = (await call(base, '/oauth2/v3/certs')).body;
    const key = createPublicKey({ key: keys[0], format: 'jwk' });
    const signed = verify(
      'RSA-SHA256',
      Buffer.from(`${header}.${payload}`),
      key,
      Buffer.from(signature, 'base64url'),
    );
    expect(signed).toBe(true);

    const me = await call(base, '/oauth2/v3/userinfo', { token: res.body.access_token });
    expect(me.body).toMatchObject({ email: 'alice@example.com', email_verified: true, sub: claims.sub });
  });

  it('refuses a wrong or missing verifier, and a refused code is spent', async () => {
    const { verifier, challenge } = pkcePair();
    const params = await consent({ code_challenge: challenge });
    const wrong = await exchange(params.get('code')!, pkcePair().verifier);
    expect(wrong).toMatchObject({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'Invalid code verifier.' },
    });
    const retry = await exchange(params.get('code')!, verifier);
    expect(retry.body.error).toBe('invalid_grant');
    const next = await consent({ code_challenge: challenge });
    const missing = await exchange(next.get('code')!, '');
    expect(missing.body).toEqual({ error: 'invalid_grant', error_description: 'Missing code verifier.' });
  });

  it('refuses a replayed code', async () => {
    const { verifier, challenge } = pkcePair();
    const params = await consent({ code_challenge: challenge });
    expect((await exchange(params.get('code')!, verifier)).status).toBe(200);
    const again = await exchange(params.get('code')!, verifier);
    expect(again).toMatchObject({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'Bad Request' },
    });
  });

  it('refuses a code older than ten minutes', async () => {
    const { verifier, challenge } = pkcePair();
    const params = await consent({ code_challenge: challenge });
    fake.advanceTime(600_001);
    expect((await exchange(params.get('code')!, verifier)).body.error).toBe('invalid_grant');
  });

  it('refuses a redirect_uri that differs from the authorization request', async () => {
    const { verifier, challenge } = pkcePair();
    const params = await consent({ code_challenge: challenge });
    const res = await exchange(params.get('code')!, verifier, {
      redirect_uri: 'http://127.0.0.1:9999/other',
    });
    expect(res.body.error).toBe('redirect_uri_mismatch');
  });

  it('accepts HTTP Basic client authentication and refuses bad client credentials with 401', async () => {
    const { verifier, challenge } = pkcePair();
    const params = await consent({ code_challenge: challenge });
    const form = {
      grant_type: 'authorization_code',
      code: params.get('code')!,
      code_verifier: verifier,
      redirect_uri: REDIRECT,
    };
    const basic = (id: string, secret: string) => ({
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`,
    });
    const bad = await call(base, '/token', { form, headers: basic(CLIENT.clientId, 'wrong') });
    expect(bad).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    const unknown = await call(base, '/token', {
      form: { ...form, client_id: 'nobody', client_secret: 'x' },
    });
    expect(unknown).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    const ok = await call(base, '/token', { form, headers: basic(CLIENT.clientId, CLIENT.clientSecret) });
    expect(ok.status).toBe(200);
  });

  it('issues no refresh token without access_type=offline', async () => {
    const { verifier, challenge } = pkcePair();
    const params = await consent({ code_challenge: challenge, access_type: 'online' });
    const res = await exchange(params.get('code')!, verifier);
    expect(res.body.refresh_token).toBeUndefined();
  });

  it('refreshes without rotating the refresh token and counts each refresh', async () => {
    const tokens = await connect();
    const res = await refresh(tokens.refresh_token);
    expect(res.status).toBe(200);
    expect(res.body.refresh_token).toBeUndefined();
    expect(res.body).toMatchObject({ expires_in: 3599, token_type: 'Bearer', scope: tokens.scope });
    expect(res.body.access_token).not.toBe(tokens.access_token);
    await refresh(tokens.refresh_token);
    expect(fake.counters.refreshGrants).toBe(2);
  });

  it('answers invalid_grant to an unknown refresh token and unsupported_grant_type to a bad grant', async () => {
    expect((await refresh('1//nope')).body).toEqual({
      error: 'invalid_grant',
      error_description: 'Token has been expired or revoked.',
    });
    const res = await call(base, '/token', { form: { grant_type: 'password', ...creds } });
    expect(res).toMatchObject({ status: 400, body: { error: 'unsupported_grant_type' } });
  });

  it('expires access tokens after their lifetime and on the expire-all switch', async () => {
    const tokens = await connect();
    const ok = await call(base, '/calendar/v3/calendars/primary/events', { token: tokens.access_token });
    expect(ok.status).toBe(200);
    fake.expireAccessTokens();
    const expired = await call(base, '/calendar/v3/calendars/primary/events', { token: tokens.access_token });
    expect(expired.status).toBe(401);
    expect(expired.body.error).toMatchObject({
      code: 401,
      status: 'UNAUTHENTICATED',
      errors: [{ reason: 'authError' }],
    });
    const fresh = (await refresh(tokens.refresh_token)).body.access_token;
    fake.advanceTime(3599_000);
    expect((await call(base, '/calendar/v3/calendars/primary/events', { token: fresh })).status).toBe(401);
  });
});

describe('revocation', () => {
  it('revokes the whole grant from its refresh token, then refuses the token', async () => {
    const tokens = await connect();
    const res = await call(base, '/revoke', { form: { token: tokens.refresh_token } });
    expect(res).toMatchObject({ status: 200, body: {} });
    expect((await refresh(tokens.refresh_token)).body.error).toBe('invalid_grant');
    expect((await call(base, '/oauth2/v3/userinfo', { token: tokens.access_token })).status).toBe(401);
    const again = await call(base, '/revoke', { form: { token: tokens.refresh_token } });
    expect(again).toMatchObject({ status: 400, body: { error: 'invalid_token' } });
    expect(fake.counters.revocations).toBe(1);
  });

  it('also revokes from an access token passed as a query parameter', async () => {
    const tokens = await connect();
    const res = await call(base, `/revoke?token=${encodeURIComponent(tokens.access_token)}`, {
      method: 'POST',
    });
    expect(res.status).toBe(200);
    expect((await refresh(tokens.refresh_token)).body.error).toBe('invalid_grant');
  });
});
