/**
 * Google's OAuth 2.0 endpoints: authorize (consent page), token, revoke; userinfo lives beside.
 * The fake is stricter than Google where our client must be: PKCE S256 and `state` are required.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { consentPage, errorPage } from './consent-page.ts';
import type { FaultSwitches } from './faults.ts';
import type { IdTokenSigner } from './id-token.ts';
import { KNOWN_SCOPES, splitScopes } from './scopes.ts';
import type { Seeder } from './seed.ts';
import { type GoogleWorld, normalizeEmail } from './state.ts';
import { type Grant, verifierMatches } from './token-store.ts';
import { registerUserinfo } from './userinfo.ts';

export interface OAuthContext {
  world: GoogleWorld;
  seed: Seeder;
  faults: FaultSwitches;
  signer: IdTokenSigner;
  clientId: string;
  clientSecret: string;
  redirectUris?: string[];
}

type Params = Record<string, unknown>;

const str = (v: unknown): string | undefined =>
  Array.isArray(v) ? str(v[0]) : typeof v === 'string' ? v : undefined;

const DEFAULT_ACCOUNT = 'sandbox.user@example.com';
const ISSUER = 'https://accounts.google.com';

function redirectAllowed(ctx: OAuthContext, uri: string): boolean {
  if (ctx.redirectUris?.length) return ctx.redirectUris.includes(uri);
  try {
    const u = new URL(uri);
    return (u.protocol === 'http:' || u.protocol === 'https:') && !u.hash;
  } catch {
    return false;
  }
}

function refuse(reply: FastifyReply, code: number, error: string, description: string) {
  return reply
    .code(code)
    .type('text/html; charset=utf-8')
    .send(errorPage(code, error, description));
}

async function authorizeEndpoint(ctx: OAuthContext, req: FastifyRequest, reply: FastifyReply) {
  const q = req.query as Params;
  const clientId = str(q.client_id);
  const redirectUri = str(q.redirect_uri);
  // Until client and redirect URI check out, errors stay on this page: never redirect to an unverified URI.
  if (clientId !== ctx.clientId)
    return refuse(reply, 401, 'invalid_client', 'The OAuth client was not found.');
  if (!redirectUri || !redirectAllowed(ctx, redirectUri)) {
    return refuse(
      reply,
      400,
      'redirect_uri_mismatch',
      `You can't sign in because this app sent an invalid request: redirect_uri=${redirectUri ?? ''}`,
    );
  }
  if (str(q.response_type) !== 'code')
    return refuse(
      reply,
      400,
      'unsupported_response_type',
      `Invalid response_type: ${str(q.response_type) ?? ''}`,
    );
  const scopes = splitScopes(q.scope);
  if (!scopes.length) return refuse(reply, 400, 'invalid_request', 'Missing required parameter: scope');
  const unknown = scopes.filter((s) => !KNOWN_SCOPES.has(s));
  if (unknown.length)
    return refuse(
      reply,
      400,
      'invalid_scope',
      `Some requested scopes were invalid. {invalid=[${unknown.join(', ')}]}`,
    );
  const state = str(q.state);
  if (!state) return refuse(reply, 400, 'invalid_request', 'Missing required parameter: state');
  const challenge = str(q.code_challenge);
  if (!challenge) return refuse(reply, 400, 'invalid_request', 'Missing required parameter: code_challenge');
  if (str(q.code_challenge_method) !== 'S256')
    return refuse(reply, 400, 'invalid_request', 'Invalid code_challenge_method');
  if (!/^[A-Za-z0-9._~-]{43,128}$/.test(challenge))
    return refuse(reply, 400, 'invalid_request', 'Invalid code_challenge');

  const chosen = str(q.account) ?? str(q.login_hint);
  const account = chosen ? normalizeEmail(chosen) : ([...ctx.world.accounts.keys()][0] ?? DEFAULT_ACCOUNT);
  const decision = str(q.decision);
  if (decision !== 'allow' && decision !== 'deny') {
    const params = Object.fromEntries(Object.entries(q).map(([k, v]) => [k, str(v) ?? '']));
    const action = req.url.split('?')[0];
    return reply.type('text/html; charset=utf-8').send(consentPage({ action, params, account, scopes }));
  }
  const target = new URL(redirectUri);
  if (decision === 'deny') {
    target.searchParams.set('error', 'access_denied');
    target.searchParams.set('state', state);
    return reply.redirect(target.toString(), 302);
  }
  if (!/^[^@\s]+@[^@\s]+$/.test(account)) return refuse(reply, 400, 'invalid_request', 'Invalid account');
  ctx.seed.account(account);
  // Granular consent: the user may untick scopes; only requested ones can be granted.
  const granted =
    q.grant_scopes === undefined ? scopes : scopes.filter((s) => splitScopes(q.grant_scopes).includes(s));
  const code = ctx.world.tokens.createCode({
    clientId,
    redirectUri,
    email: account,
    scopes: granted,
    codeChallenge: challenge,
    offline: str(q.access_type) === 'offline',
    nonce: str(q.nonce),
  });
  target.searchParams.set('state', state);
  target.searchParams.set('code', code.code);
  target.searchParams.set('scope', granted.join(' '));
  target.searchParams.set('authuser', '0');
  target.searchParams.set('prompt', 'consent');
  return reply.redirect(target.toString(), 302);
}

function oauthError(reply: FastifyReply, code: number, error: string, description: string) {
  return reply.code(code).send({ error, error_description: description });
}

/** client_secret_basic (form-encoded id:secret) or client_secret_post. */
function clientCredentials(req: FastifyRequest, body: Params): { id?: string; secret?: string } {
  const header = req.headers.authorization;
  if (typeof header === 'string' && /^Basic\s+/i.test(header)) {
    const decoded = Buffer.from(header.replace(/^Basic\s+/i, ''), 'base64').toString();
    const i = decoded.indexOf(':');
    const unform = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
    try {
      return { id: unform(decoded.slice(0, i)), secret: unform(decoded.slice(i + 1)) };
    } catch {
      return {};
    }
  }
  return { id: str(body.client_id), secret: str(body.client_secret) };
}

function tokenResponse(
  ctx: OAuthContext,
  grant: Grant,
  accessToken: string,
  expiresIn: number,
  extra: { refreshToken?: string; nonce?: string },
) {
  const out: Record<string, unknown> = { access_token: accessToken, expires_in: expiresIn };
  if (extra.refreshToken) out.refresh_token = extra.refreshToken;
  out.scope = grant.scopes.join(' ');
  out.token_type = 'Bearer';
  if (grant.scopes.includes('openid')) {
    const account = ctx.world.accounts.get(grant.email)!;
    // Real time, not the fake clock: OpenID clients check iat/exp against their own clock.
    const now = Math.floor(Date.now() / 1000);
    out.id_token = ctx.signer.sign({
      iss: ISSUER,
      azp: grant.clientId,
      aud: grant.clientId,
      sub: account.sub,
      email: account.email,
      email_verified: true,
      ...(extra.nonce ? { nonce: extra.nonce } : {}),
      iat: now,
      exp: now + 3600,
    });
  }
  return out;
}

async function tokenEndpoint(ctx: OAuthContext, req: FastifyRequest, reply: FastifyReply) {
  reply
    .header('cache-control', 'no-cache, no-store, max-age=0, must-revalidate')
    .header('pragma', 'no-cache');
  const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Params;
  const client = clientCredentials(req, body);
  if (!client.id)
    return oauthError(reply, 400, 'invalid_request', 'Could not determine client ID from request.');
  if (client.id !== ctx.clientId)
    return oauthError(reply, 401, 'invalid_client', 'The OAuth client was not found.');
  if (client.secret !== ctx.clientSecret) return oauthError(reply, 401, 'invalid_client', 'Unauthorized');
  const grantType = str(body.grant_type);
  const tokens = ctx.world.tokens;

  if (grantType === 'authorization_code') {
    const codeValue = str(body.code);
    if (!codeValue) return oauthError(reply, 400, 'invalid_request', 'Missing required parameter: code');
    const code = tokens.codes.get(codeValue);
    if (!code) return oauthError(reply, 400, 'invalid_grant', 'Malformed auth code.');
    if (code.used || code.expiresAtMs <= ctx.world.clock.now() || code.clientId !== client.id) {
      return oauthError(reply, 400, 'invalid_grant', 'Bad Request');
    }
    if (str(body.redirect_uri) !== code.redirectUri)
      return oauthError(reply, 400, 'redirect_uri_mismatch', 'Bad Request');
    const verifier = str(body.code_verifier);
    if (!verifier) return oauthError(reply, 400, 'invalid_grant', 'Missing code verifier.');
    // A code is spent by its first redemption attempt that gets this far, right or wrong.
    code.used = true;
    if (!verifierMatches(verifier, code.codeChallenge))
      return oauthError(reply, 400, 'invalid_grant', 'Invalid code verifier.');
    const issued = tokens.issue(code.clientId, code.email, code.scopes, code.offline);
    tokens.counters.codeGrants++;
    return tokenResponse(ctx, issued.grant, issued.accessToken, issued.expiresIn, {
      refreshToken: issued.refreshToken,
      nonce: code.nonce,
    });
  }

  if (grantType === 'refresh_token') {
    const token = str(body.refresh_token);
    if (!token) return oauthError(reply, 400, 'invalid_request', 'Missing required parameter: refresh_token');
    const grant = tokens.liveRefresh(token);
    if (!grant || grant.clientId !== client.id || ctx.faults.takeInvalidGrant()) {
      return oauthError(reply, 400, 'invalid_grant', 'Token has been expired or revoked.');
    }
    const { accessToken, expiresIn } = tokens.mintAccess(grant);
    tokens.counters.refreshGrants++;
    // Google does not rotate refresh tokens: the response carries none.
    return tokenResponse(ctx, grant, accessToken, expiresIn, {});
  }

  if (!grantType) return oauthError(reply, 400, 'invalid_request', 'Missing required parameter: grant_type');
  return oauthError(reply, 400, 'unsupported_grant_type', `Invalid grant_type: ${grantType}`);
}

async function revokeEndpoint(ctx: OAuthContext, req: FastifyRequest, reply: FastifyReply) {
  const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Params;
  const token = str(body.token) ?? str((req.query as Params).token);
  if (!token || !ctx.world.tokens.revoke(token)) {
    return oauthError(reply, 400, 'invalid_token', 'Token expired or revoked');
  }
  return {};
}

export function registerOAuth(app: FastifyInstance, ctx: OAuthContext): void {
  app.get('/o/oauth2/v2/auth', (req, reply) => authorizeEndpoint(ctx, req, reply));
  app.post('/token', (req, reply) => tokenEndpoint(ctx, req, reply));
  app.post('/revoke', (req, reply) => revokeEndpoint(ctx, req, reply));
  registerUserinfo(app, ctx.world, ctx.signer);
}
