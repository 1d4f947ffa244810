/**
 * `Idempotency-Key` on mutating POSTs: the first request claims the key, its response is stored
 * (encrypted: it may hold a secret shown once) and replayed to retries with the same body for 24 h.
 * A concurrent duplicate waits for the first to finish and then gets the same answer, so a retried
 * booking never runs twice. The claims, the waiting and the store failures are core's RunOnce
 * (shared with MCP tool calls); this file maps them onto requests and replies.
 */
import { createHash } from 'node:crypto';
import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  onResponseHookHandler,
  onSendHookHandler,
  preHandlerHookHandler,
} from 'fastify';
import type { OnceAnswer, OnceClaim, RunOnce } from '../core/shared/index.ts';
import { AppError } from '../errors.ts';
import { appendRouteHook } from './route-hooks.ts';

declare module 'fastify' {
  interface FastifyRequest {
    idempotency: OnceClaim | null;
  }
}

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

interface StoredResponse {
  contentType: string;
  body: string;
  /** The first answer's own headers (Cache-Control: no-store on a secret shown once, Location…). */
  headers?: Record<string, string>;
}

/** Headers that describe one exchange, not the answer: never replayed. */
const PER_EXCHANGE = new Set([
  'content-type',
  'content-length',
  'date',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'set-cookie',
  'x-request-id',
  'request-id',
  'retry-after',
]);

function answerHeaders(reply: FastifyReply): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    const lower = name.toLowerCase();
    if (value === undefined || PER_EXCHANGE.has(lower) || lower.startsWith('ratelimit')) continue;
    out[lower] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return out;
}

function requestHash(request: FastifyRequest): string {
  return createHash('sha256')
    .update(
      `${request.method} ${request.routeOptions.url} ${JSON.stringify(request.params)} ${JSON.stringify(request.body ?? null)}`,
    )
    .digest('hex');
}

const aadOf = (orgId: string, key: string) => `idempotency:${orgId}:${key}`;

export function registerIdempotency(app: FastifyInstance, once: RunOnce): void {
  app.decorateRequest('idempotency', null);

  const replay = (reply: FastifyReply, answer: OnceAnswer<StoredResponse>) => {
    const stored = answer.value;
    if (stored.headers) reply.headers(stored.headers);
    return reply
      .code(answer.status)
      .header('idempotent-replayed', 'true')
      .type(stored.contentType)
      .send(stored.body);
  };

  const claimOrReplay = async (request: FastifyRequest, reply: FastifyReply, key: unknown, orgId: string) => {
    if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
      throw new AppError('validation_error', 'Idempotency-Key must be 1–255 visible ASCII characters');
    }
    const outcome = await once.claim<StoredResponse>({
      orgId,
      key,
      hash: requestHash(request),
      aad: aadOf(orgId, key),
      keyName: 'Idempotency-Key',
    });
    if ('answer' in outcome) return replay(reply, outcome.answer);
    request.idempotency = outcome.claim;
  };

  const onSend = async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const claim = request.idempotency;
    if (!claim) return payload;
    request.idempotency = null;
    // Server failures are not remembered: the client's retry should run again.
    if (reply.statusCode >= 500 || (typeof payload !== 'string' && !Buffer.isBuffer(payload))) {
      await once.release(claim);
      return payload;
    }
    const stored: StoredResponse = {
      contentType: String(reply.getHeader('content-type') ?? 'application/json'),
      body: payload.toString(),
      headers: answerHeaders(reply),
    };
    // The caller gets its answer even if the store fails to remember it now.
    await once.finish(claim, reply.statusCode, stored);
    return payload;
  };

  // A request that dies before sending (client gone, crash in a hook) must not hold the key forever.
  const onResponse = async (request: FastifyRequest) => {
    const claim = request.idempotency;
    if (claim) await once.release(claim);
  };

  // Callback hooks in front of the async ones: a POST without the header (most of them) passes
  // each hook without a promise.
  const preHandlerHook: preHandlerHookHandler = (request, reply, done) => {
    const key = request.headers['idempotency-key'];
    if (request.method !== 'POST' || key === undefined || !request.principal) return done();
    claimOrReplay(request, reply, key, request.principal.orgId).then(() => done(), done);
  };
  const onSendHook: onSendHookHandler = (request, reply, payload, done) => {
    if (!request.idempotency) return done(null, payload);
    onSend(request, reply, payload).then((p) => done(null, p), done);
  };
  const onResponseHook: onResponseHookHandler = (request, _reply, done) => {
    if (!request.idempotency) return done();
    onResponse(request).then(() => done(), done);
  };

  // Attached to POST routes only, so reads pay nothing for it. Route hooks run after the global
  // ones, so authentication and the rate limit come first.
  app.addHook('onRoute', (route) => {
    if (![route.method].flat().includes('POST')) return;
    appendRouteHook(route, 'preHandler', preHandlerHook);
    appendRouteHook(route, 'onSend', onSendHook);
    appendRouteHook(route, 'onResponse', onResponseHook);
  });
}
