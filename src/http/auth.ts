/**
 * Authentication and authorization, decided before the body is even read: every route declares
 * either one scope or `public: true` (enforced at registration), and the key alone decides the
 * organization.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Principal } from '../core/access/index.ts';
import { AppError } from '../errors.ts';
import { looksLikeApiKey, type Scope } from '../security/api-keys.ts';
import type { SessionAuth, SessionPrincipal } from './session-auth.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The one scope the route requires. */
    scope?: Scope;
    /** Routes reachable without a key (health, docs, OAuth callback). */
    public?: boolean;
  }
  interface FastifyRequest {
    principal: Principal | SessionPrincipal | null;
  }
}

export interface Authenticator {
  /** A principal, or null for an unknown/revoked/expired key; synchronous when cached. */
  resolve(token: string): Principal | null | Promise<Principal | null>;
}

const ORG_HEADER = 'x-organization-id';

function bearer(request: FastifyRequest): string | null {
  const h = request.headers.authorization;
  if (!h) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m ? m[1] : '';
}

export function registerAuth(app: FastifyInstance, keys: Authenticator, sessions?: SessionAuth): void {
  app.decorateRequest('principal', null);

  app.addHook('onRoute', (route) => {
    const cfg = route.config as { scope?: string; public?: boolean } | undefined;
    const declared = (cfg?.scope ? 1 : 0) + (cfg?.public ? 1 : 0);
    if (route.url.startsWith('/api/v1') && declared !== 1 && route.method !== 'HEAD') {
      throw new Error(
        `route ${route.method} ${route.url} must declare exactly one of config.scope or config.public`,
      );
    }
  });

  // A callback hook, not an async one: a cached key is checked without allocating a promise.
  app.addHook('onRequest', (request, _reply, done) => {
    const cfg = request.routeOptions.config;
    if (cfg.public || !cfg.scope) return done(); // unmatched routes fall through to the 404 handler
    const token = bearer(request);
    const session = sessions?.cookieOf(request);
    // One credential per request: which of two would decide the organization is never guessed.
    if (token !== null && session)
      return done(
        new AppError('credentials_conflict', 'send either an API key or a session cookie, not both'),
      );
    if (session) {
      sessions!.admit(request, session, cfg.scope).then(done, done);
      return;
    }
    if (!token)
      return done(
        new AppError('unauthorized', 'send an API key as "Authorization: Bearer flowyte_sk_live_…"'),
      );
    if (!looksLikeApiKey(token)) return done(UNKNOWN_KEY());
    const found = keys.resolve(token);
    if (found instanceof Promise) found.then((p) => done(admit(request, cfg.scope!, p)), done);
    else done(admit(request, cfg.scope, found));
  });
}

const UNKNOWN_KEY = () => new AppError('unauthorized', 'the API key is unknown, revoked or expired');

/** Checks a resolved key against the request; returns the refusal, or sets the principal. */
function admit(request: FastifyRequest, scope: Scope, principal: Principal | null): AppError | undefined {
  if (!principal) return UNKNOWN_KEY();
  // The key alone determines the organization; the header belongs to dashboard sessions only.
  if (request.headers[ORG_HEADER] !== undefined) {
    return new AppError(
      'organization_header_not_allowed',
      'an API key already determines the organization; remove X-Organization-Id',
    );
  }
  if (!holds(principal.scopes, scope)) {
    return new AppError('insufficient_scope', `this route requires the ${scope} scope`, {
      extensions: { scope },
    });
  }
  request.principal = principal;
  return undefined;
}

/** Whether a key's scopes grant a route's: a `:write` scope implies its `:read`, as Flowyte's keys behave. */
export function holds(scopes: ReadonlySet<string>, scope: Scope): boolean {
  return scopes.has(scope) || (scope.endsWith(':read') && scopes.has(`${scope.slice(0, -5)}:write`));
}

/** The authenticated organization of a request whose route declared a scope. */
export function orgOf(request: FastifyRequest): string {
  if (!request.principal)
    throw new AppError(
      'unauthorized',
      'this route needs an API key: send "Authorization: Bearer flowyte_sk_live_…"',
    );
  return request.principal.orgId;
}
