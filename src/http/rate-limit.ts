/**
 * Per-organization rate limit over core/runtime/rate-counter.ts: a synchronous hook with one Map lookup —
 * the plugin it replaces cost more than the catalog's own work. RateLimit-* headers (IETF draft)
 * and Retry-After go on the 429 only.
 */
import type { FastifyInstance } from 'fastify';
import type { RateCounter } from '../core/runtime/index.ts';
import { AppError } from '../errors.ts';

export function registerRateLimit(app: FastifyInstance, counter: RateCounter): void {
  const { perMinute } = counter;
  // preHandler: after authentication decided the organization; unauthenticated requests (health,
  // docs, refused keys) are not counted.
  app.addHook('preHandler', (request, reply, done) => {
    const orgId = request.principal?.orgId;
    if (!orgId) return done();
    const now = Date.now();
    const resetAt = counter.hit(orgId, now);
    if (resetAt === null) return done();
    const reset = Math.max(1, Math.ceil((resetAt - now) / 1000));
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
