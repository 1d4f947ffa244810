/**
 * DNS rebinding: a page served from a foreign name that an attacker points at this server must not
 * drive it from a victim's browser (the browser sends the session cookie, or reaches a loopback MCP
 * server). Requests that a browser can make with ambient authority — a dashboard session, the
 * session routes, the MCP endpoint — must name this server: the public URL's host or a loopback
 * name, in `Host` and in `Origin` when there is one. API-key requests elsewhere are not ambient.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';
import type { SessionAuth } from './session-auth.ts';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1']);

/** `Host: name:port` or `[v6]:port` → the bare, lower-cased name. */
function hostnameOf(value: string): string | null {
  try {
    return new URL(`http://${value}`).hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  } catch {
    return null;
  }
}

export function registerHostGuard(app: FastifyInstance, publicUrl: string, sessions: SessionAuth): void {
  const own = new URL(publicUrl).hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  const ours = (name: string | null) => name !== null && (name === own || LOOPBACK.has(name));
  const guarded = (request: FastifyRequest) =>
    request.url.startsWith('/api/v1/session') ||
    /^\/api\/v1\/agents\/[^/]+\/mcp(\?|$)/.test(request.url) ||
    sessions.cookieOf(request) !== undefined;

  app.addHook('onRequest', (request, _reply, done) => {
    if (!guarded(request)) return done();
    const host = hostnameOf(String(request.headers.host ?? ''));
    const origin = request.headers.origin;
    const originHost =
      origin && origin !== 'null' ? hostnameOf(origin.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')) : null;
    if (!ours(host) || (origin !== undefined && !ours(originHost))) {
      return done(
        new AppError(
          'host_not_allowed',
          `this server answers only as ${own} (or a loopback name) here; set FLOWYTE_PUBLIC_URL to the name clients use`,
          {
            extensions: { host: host?.slice(0, 253) ?? null },
          },
        ),
      );
    }
    done();
  });
}
