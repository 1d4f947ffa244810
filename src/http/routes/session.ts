/**
 * /session: the dashboard's login, logout and "who am I". Public routes (a login has no session
 * yet); everything else the dashboard does goes through the same scoped /api/v1 routes as scripts.
 */
import { Type } from '@sinclair/typebox';
import { csrfMatches, csrfTokenFor } from '../../core/access/index.ts';
import { AppError } from '../../errors.ts';
import { ok } from '../envelope.ts';
import { Envelope, Nullable, problemResponses } from '../schemas.ts';
import { CSRF_HEADER, type SessionAuth } from '../session-auth.ts';
import type { TypedApp } from '../typed-app.ts';

const tags = ['session'];

const SessionView = Type.Object({
  user: Type.Object({ id: Type.String(), email: Type.String() }),
  organizations: Type.Array(
    Type.Object({ orgId: Type.String(), orgName: Type.String(), role: Type.String() }),
  ),
  csrfToken: Type.String(),
});

export const sessionRoutes = (auth: SessionAuth) => async (app: TypedApp) => {
  app.post(
    '/session/login',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Log an operator in: sets the HttpOnly session cookie and returns the CSRF token for writes',
        body: Type.Object(
          {
            email: Type.String({ minLength: 1, maxLength: 254 }),
            password: Type.String({ minLength: 1, maxLength: 1024 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Envelope(SessionView), ...problemResponses },
      },
    },
    async (req, reply) => {
      if (auth.cookieOf(req) && req.headers.authorization)
        throw new AppError('credentials_conflict', 'send either an API key or a session cookie, not both');
      const s = await auth.operators.login(req.body.email, req.body.password, req.ip);
      req.log.info({ userId: s.user.id }, 'operator logged in');
      auth.setCookie(reply, s.token);
      reply.header('cache-control', 'no-store');
      return ok({ user: s.user, organizations: s.memberships, csrfToken: s.csrfToken });
    },
  );

  app.post(
    '/session/logout',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'End the session (needs its CSRF token, so another site cannot log an operator out)',
        response: { 200: Envelope(Type.Object({ loggedOut: Type.Boolean() })), ...problemResponses },
      },
    },
    async (req, reply) => {
      const token = auth.cookieOf(req);
      const active = token ? await auth.operators.resolve(token) : null;
      if (token && active) {
        const given = req.headers[CSRF_HEADER];
        if (!csrfMatches(token, typeof given === 'string' ? given : undefined))
          throw new AppError('csrf_token_invalid', 'logging out needs the session token in X-CSRF-Token');
        await auth.operators.logout(active.session.id);
      }
      auth.clearCookie(reply);
      return ok({ loggedOut: Boolean(active) });
    },
  );

  app.get(
    '/session',
    {
      config: { public: true },
      schema: {
        tags,
        summary:
          'The signed-in operator, their organizations and the CSRF token; null data without a session',
        response: { 200: Envelope(Nullable(SessionView)), ...problemResponses },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      const token = auth.cookieOf(req);
      const active = token ? await auth.operators.resolve(token) : null;
      if (!token || !active) return ok(null);
      return ok({
        user: { id: active.userId, email: active.email },
        organizations: active.memberships,
        csrfToken: csrfTokenFor(token),
      });
    },
  );
};
