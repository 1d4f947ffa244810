/** OpenID-side endpoints: userinfo, tokeninfo and the JWKS that verifies ID tokens. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { bearerToken } from './bearer.ts';
import { sendUnauthenticated } from './errors.ts';
import type { IdTokenSigner } from './id-token.ts';
import type { GoogleWorld } from './state.ts';

type Params = Record<string, unknown>;

const USERINFO_SCOPES = [
  'openid',
  'https://www.googleapis.com/auth/userinfo.email',
  'https://www.googleapis.com/auth/userinfo.profile',
];

function userinfo(world: GoogleWorld, req: FastifyRequest, reply: FastifyReply) {
  const token = bearerToken(req);
  const record = token ? world.tokens.checkAccess(token) : undefined;
  if (!record?.grant.scopes.some((s) => USERINFO_SCOPES.includes(s))) {
    return sendUnauthenticated(reply, 'oauth', !token);
  }
  const account = world.accounts.get(record.grant.email)!;
  const out: Record<string, unknown> = { sub: account.sub };
  if (record.grant.scopes.includes('https://www.googleapis.com/auth/userinfo.profile'))
    out.name = account.name;
  if (record.grant.scopes.includes('https://www.googleapis.com/auth/userinfo.email')) {
    Object.assign(out, { email: account.email, email_verified: true });
  }
  return out;
}

function tokeninfo(world: GoogleWorld, req: FastifyRequest, reply: FastifyReply) {
  const q = req.query as Params;
  const token = typeof q.access_token === 'string' ? q.access_token : undefined;
  const record = token ? world.tokens.checkAccess(token) : undefined;
  if (!record) return reply.code(400).send({ error: 'invalid_token', error_description: 'Invalid Value' });
  const account = world.accounts.get(record.grant.email)!;
  const expiresIn = Math.max(0, Math.floor((record.expiresAtMs - world.clock.now()) / 1000));
  return {
    azp: record.grant.clientId,
    aud: record.grant.clientId,
    sub: account.sub,
    scope: record.grant.scopes.join(' '),
    exp: String(Math.floor(record.expiresAtMs / 1000)),
    expires_in: String(expiresIn),
    email: account.email,
    email_verified: 'true',
    access_type: record.grant.refreshToken ? 'offline' : 'online',
  };
}

export function registerUserinfo(app: FastifyInstance, world: GoogleWorld, signer: IdTokenSigner): void {
  app.get('/oauth2/v3/userinfo', async (req, reply) => userinfo(world, req, reply));
  app.post('/oauth2/v3/userinfo', async (req, reply) => userinfo(world, req, reply));
  app.get('/oauth2/v3/tokeninfo', async (req, reply) => tokeninfo(world, req, reply));
  app.get('/oauth2/v3/certs', async () => signer.jwks());
}
