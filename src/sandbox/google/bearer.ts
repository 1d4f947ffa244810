/** Bearer-token checks shared by the API routes: 401 for a dead token, 403 for a missing scope. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type ApiFamily, sendInsufficientScope, sendUnauthenticated } from './errors.ts';
import { METHOD_SCOPES } from './scopes.ts';
import type { GoogleWorld } from './state.ts';
import type { AccessTokenRecord } from './token-store.ts';

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header === 'string') {
    const m = /^Bearer\s+(\S+)$/i.exec(header.trim());
    if (m) return m[1];
  }
  // Google still honours the deprecated access_token query parameter.
  const q = (request.query as Record<string, unknown> | undefined)?.access_token;
  return typeof q === 'string' ? q : undefined;
}

/**
 * Authenticates the request for `method`. Returns the live token's record, or undefined after
 * having sent the error reply (the route must then return the reply).
 */
export function authorize(
  world: GoogleWorld,
  request: FastifyRequest,
  reply: FastifyReply,
  family: ApiFamily,
  method: string,
): AccessTokenRecord | undefined {
  const token = bearerToken(request);
  if (!token) {
    sendUnauthenticated(reply, family, true);
    return undefined;
  }
  const record = world.tokens.checkAccess(token);
  if (!record) {
    sendUnauthenticated(reply, family);
    return undefined;
  }
  const accepted = METHOD_SCOPES[method];
  if (accepted && !record.grant.scopes.some((s) => accepted.includes(s))) {
    sendInsufficientScope(reply, family, method);
    return undefined;
  }
  return record;
}
