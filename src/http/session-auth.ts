/**
 * Dashboard sessions on the request path: the cookie, the CSRF check on writes, the organization
 * chosen with X-Organization-Id (the one place that header is allowed), and the role's scopes.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  csrfMatches,
  type Operators,
  type Role,
  SESSION_ABSOLUTE_MS,
  scopesOf,
} from '../core/access/index.ts';
import { AppError } from '../errors.ts';
import type { Scope } from '../security/api-keys.ts';

export interface SessionPrincipal {
  type: 'session';
  orgId: string;
  userId: string;
  sessionId: string;
  role: Role;
  scopes: ReadonlySet<string>;
}

export const CSRF_HEADER = 'x-csrf-token';
const ORG_HEADER = 'x-organization-id';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export class SessionAuth {
  /** `__Host-` makes the browser refuse the cookie unless it is Secure, host-only and Path=/. */
  readonly cookieName: string;

  constructor(
    readonly operators: Operators,
    private readonly secure: boolean,
  ) {
    this.cookieName = secure ? '__Host-flowyte_session' : 'flowyte_session';
  }

  /** The session cookie's value, if the request carries one. */
  cookieOf(request: FastifyRequest): string | undefined {
    const header = request.headers.cookie;
    if (!header) return undefined;
    for (const part of header.split(';')) {
      const eq = part.indexOf('=');
      if (eq > 0 && part.slice(0, eq).trim() === this.cookieName)
        return part.slice(eq + 1).trim() || undefined;
    }
    return undefined;
  }

  /** Authorizes a scoped route for a session: the refusal, or undefined with request.principal set. */
  async admit(request: FastifyRequest, token: string, scope: Scope): Promise<AppError | undefined> {
    const active = await this.operators.resolve(token);
    if (!active) return new AppError('unauthorized', 'the session has ended; log in again');
    if (!SAFE_METHODS.has(request.method)) {
      const given = request.headers[CSRF_HEADER];
      if (!csrfMatches(token, typeof given === 'string' ? given : undefined))
        return new AppError('csrf_token_invalid', `a session's writes must carry its token in X-CSRF-Token`);
    }
    const wanted = request.headers[ORG_HEADER];
    const membership =
      wanted === undefined ? active.memberships[0] : active.memberships.find((m) => m.orgId === wanted);
    if (!membership) return new AppError('not_found', 'you are not a member of that organization');
    const role = membership.role as Role;
    const scopes = scopesOf(role);
    if (!scopes.has(scope))
      return new AppError(
        'insufficient_scope',
        `this route requires the ${scope} scope, which only owners hold`,
        {
          extensions: { scope },
        },
      );
    if (request.method === 'DELETE' && role !== 'owner')
      return new AppError('insufficient_scope', 'only owners delete; ask an owner of this organization', {
        extensions: { scope },
      });
    request.principal = {
      type: 'session',
      orgId: membership.orgId,
      userId: active.userId,
      sessionId: active.session.id,
      role,
      scopes,
    };
    return undefined;
  }

  setCookie(reply: FastifyReply, token: string): void {
    reply.header('set-cookie', this.cookie(token, Math.floor(SESSION_ABSOLUTE_MS / 1000)));
  }

  clearCookie(reply: FastifyReply): void {
    reply.header('set-cookie', this.cookie('', 0));
  }

  private cookie(value: string, maxAge: number): string {
    return `${this.cookieName}=${value}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${this.secure ? '; Secure' : ''}`;
  }
}
