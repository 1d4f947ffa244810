/**
 * Per-organization rate limit: a fixed one-minute window per organization, counted in memory on
 * this instance. A synchronous hook with one Map lookup — the plugin it replaces cost more than the
 * catalog's own work. RateLimit-* headers (IETF draft) and Retry-After go on the 429 only.
 */
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.ts';

const WINDOW_MS = 60_000;

interface Window {
  count: number;
  resetAt: number;
}

export function registerRateLimit(app: FastifyInstance, perMinute: number): void {
  const windows = new Map<string, Window>();
  let sweepAt = Date.now() + WINDOW_MS;

  // preHandler: after authentication decided the organization; unauthenticated requests (health,
  // docs, refused keys) are not counted.
  app.addHook('preHandler', (request, reply, done) => {
    const orgId = request.principal?.orgId;
    if (!orgId) return done();
    const now = Date.now();
    if (now >= sweepAt) {
      for (const [id, w] of windows) if (w.resetAt <= now) windows.delete(id);
      sweepAt = now + WINDOW_MS;
    }
    let w = windows.get(orgId);
    if (!w || w.resetAt <= now) {
      w = { count: 0, resetAt: now + WINDOW_MS };
      windows.set(orgId, w);
    }
    if (++w.count <= perMinute) return done();
    const reset = Math.max(1, Math.ceil((w.resetAt - now) / 1000));
    reply.header('ratelimit-limit', String(perMinute));
    reply.header('ratelimit-remaining', '0');
    reply.header('ratelimit-reset', String(reset));
    done(
      new AppError(
        'rate_limited',
        `rate limit of ${perMinute} requests per minute exceeded for this organization`,
        {
          retryAfter: reset,
        },
      ),
    );
  });
}
