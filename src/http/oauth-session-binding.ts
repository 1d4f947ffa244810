/**
 * An OAuth connection started from a dashboard session completes only in that operator's signed-in
 * browser: the state is bound to the session when the connect answer carries the consent URL, and
 * the callback of a bound state is refused (before the state is spent) unless the same session's
 * cookie comes with it. Flows started with an API key are not bound and complete as before.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';
import type { Store } from '../store/db.ts';
import { bindOAuthState, sessionOfOAuthState } from '../store/sessions.ts';
import { appendRouteHook } from './route-hooks.ts';
import type { SessionAuth } from './session-auth.ts';

const CONNECT = '/api/v1/integrations/:kind/connect';
const CALLBACK = '/api/v1/integrations/oauth/callback';
const hashState = (state: string) => createHash('sha256').update(state).digest('hex');

function stateOf(url: string): string | null {
  try {
    return new URL(url).searchParams.get('state');
  } catch {
    return null;
  }
}

export function registerOAuthSessionBinding(app: FastifyInstance, store: Store, sessions: SessionAuth): void {
  const onSend = async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    if (request.principal?.type !== 'session') return payload;
    if (reply.statusCode !== 200 || typeof payload !== 'string') return payload;
    const oauthUrl = (JSON.parse(payload) as { data?: { oauthUrl?: string } }).data?.oauthUrl;
    const state = oauthUrl ? stateOf(oauthUrl) : null;
    if (state) await bindOAuthState(store, hashState(state), request.principal.sessionId, new Date());
    return payload;
  };

  const preHandler = async (request: FastifyRequest) => {
    const state = (request.query as { state?: unknown }).state;
    if (typeof state !== 'string' || state.length > 512) return; // the route itself refuses it
    const boundTo = await sessionOfOAuthState(store, hashState(state));
    if (!boundTo) return;
    const token = sessions.cookieOf(request);
    const active = token ? await sessions.operators.resolve(token) : null;
    if (active?.session.id !== boundTo)
      throw new AppError(
        'oauth_state_invalid',
        'this connection was started in the dashboard: finish it in the same signed-in browser',
      );
  };

  // On those two routes only: every other request would pay for two promises to learn it is not one.
  app.addHook('onRoute', (route) => {
    if (route.url === CONNECT) appendRouteHook(route, 'onSend', onSend);
    if (route.url === CALLBACK) appendRouteHook(route, 'preHandler', preHandler);
  });
}
