/**
 * `Idempotency-Key` on mutating POSTs: the first request claims the key, its response is stored
 * (encrypted: it may hold a secret shown once) and replayed to retries with the same body for 24 h.
 * A concurrent duplicate waits for the first to finish and then gets the same answer, so a retried
 * booking never runs twice. When the store fails while a claim is being made, finished or given
 * up, that write is retried in the background until it lands, so a retry with the same key
 * converges (it waits, then gets the first answer or runs once) instead of finding the key stuck.
 */
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  onResponseHookHandler,
  onSendHookHandler,
  preHandlerHookHandler,
} from 'fastify';
import { AppError } from '../errors.ts';
import type { Vault } from '../security/vault.ts';
import type { Store } from '../store/db.ts';
import { DeferredWrites } from '../store/deferred-writes.ts';
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  getIdempotencyRecord,
  releaseIdempotencyKey,
} from '../store/idempotency.ts';
import type { IdempotencyTable } from '../store/schema.ts';
import { appendRouteHook } from './route-hooks.ts';

declare module 'fastify' {
  interface FastifyRequest {
    idempotency: { orgId: string; key: string; claimedAt: string } | null;
  }
}

const WAIT_FOR_FIRST_MS = 30_000;
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

export function registerIdempotency(app: FastifyInstance, store: Store, vault: Vault): void {
  app.decorateRequest('idempotency', null);
  const deferred = new DeferredWrites();
  app.addHook('onClose', async () => {
    await deferred.flush();
    deferred.stop();
  });
  const slot = (orgId: string, key: string) => `${orgId}\n${key}`;
  const release = (orgId: string, key: string, claimedAt: string) =>
    deferred.attempt(slot(orgId, key), () => releaseIdempotencyKey(store, orgId, key, claimedAt));

  const replay = (reply: FastifyReply, record: IdempotencyTable) => {
    const stored = vault.decryptJson<StoredResponse>(record.response!, aadOf(record.org_id, record.key));
    if (stored.headers) reply.headers(stored.headers);
    return reply
      .code(record.status_code!)
      .header('idempotent-replayed', 'true')
      .type(stored.contentType)
      .send(stored.body);
  };

  const claimOrReplay = async (request: FastifyRequest, reply: FastifyReply, key: unknown, orgId: string) => {
    if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
      throw new AppError('validation_error', 'Idempotency-Key must be 1–255 visible ASCII characters');
    }
    const hash = requestHash(request);
    const deadline = Date.now() + WAIT_FOR_FIRST_MS;
    for (;;) {
      const claimedAt = new Date();
      let existing: IdempotencyTable | null;
      try {
        existing = await claimIdempotencyKey(store, orgId, key, hash, claimedAt);
      } catch (e) {
        // The claim may have landed although its answer was lost: give it up once the store is back.
        deferred.defer(slot(orgId, key), () =>
          releaseIdempotencyKey(store, orgId, key, claimedAt.toISOString()),
        );
        throw e;
      }
      if (!existing) {
        request.idempotency = { orgId, key, claimedAt: claimedAt.toISOString() };
        return;
      }
      if (existing.request_hash !== hash) {
        throw new AppError(
          'idempotency_key_reused',
          'this Idempotency-Key was used with a different request',
        );
      }
      if (existing.state === 'done') return replay(reply, existing);
      // The first request is still running (here or on another instance): wait for its answer.
      while (Date.now() < deadline) {
        await sleep(25);
        const now = await getIdempotencyRecord(store, orgId, key);
        if (!now) break; // the first one failed and released the key: claim it ourselves
        if (now.state === 'done') return replay(reply, now);
      }
      if (Date.now() >= deadline) {
        throw new AppError(
          'idempotency_in_progress',
          'a request with this Idempotency-Key is still in progress',
          { retryAfter: 1 },
        );
      }
    }
  };

  const onSend = async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const claim = request.idempotency;
    if (!claim) return payload;
    request.idempotency = null;
    // Server failures are not remembered: the client's retry should run again.
    if (reply.statusCode >= 500 || (typeof payload !== 'string' && !Buffer.isBuffer(payload))) {
      await release(claim.orgId, claim.key, claim.claimedAt);
      return payload;
    }
    const stored: StoredResponse = {
      contentType: String(reply.getHeader('content-type') ?? 'application/json'),
      body: payload.toString(),
      headers: answerHeaders(reply),
    };
    const response = vault.encryptJson(stored, aadOf(claim.orgId, claim.key));
    // What was done is done: the caller gets its answer even if the store fails to remember it
    // now; it is remembered as soon as the store is back, and retries meanwhile wait for it.
    await deferred.attempt(slot(claim.orgId, claim.key), () =>
      completeIdempotencyKey(store, claim.orgId, claim.key, reply.statusCode, response, claim.claimedAt),
    );
    return payload;
  };

  // A request that dies before sending (client gone, crash in a hook) must not hold the key forever.
  const onResponse = async (request: FastifyRequest) => {
    const claim = request.idempotency;
    if (claim) await release(claim.orgId, claim.key, claim.claimedAt);
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
