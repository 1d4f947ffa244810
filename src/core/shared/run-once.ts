/**
 * A write run once per key, across retries and instances: HTTP `Idempotency-Key` and MCP tool
 * calls both go through here. The first caller claims the key with a hash of what it asks; a
 * later caller with the same hash waits for the first one's answer and gets it back; another hash
 * is refused. Answers are kept encrypted (one may hold a secret shown once) for 24 h.
 *
 * When the store fails while a claim is made, finished or given up, that write is retried in the
 * background until it lands, so a retry converges (it waits, then gets the first answer or runs
 * once) instead of finding the key stuck. A claim is finished or released only by its claimant.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../../errors.ts';
import type { Vault } from '../../security/vault.ts';
import type { Store } from '../../store/db.ts';
import { DeferredWrites } from '../../store/deferred-writes.ts';
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  getIdempotencyRecord,
  releaseIdempotencyKey,
} from '../../store/idempotency.ts';
import type { IdempotencyTable } from '../../store/schema.ts';

const WAIT_FOR_FIRST_MS = 30_000;

export interface OnceRequest {
  orgId: string;
  key: string;
  /** What is asked, hashed: the same key with another hash is refused. */
  hash: string;
  /** Binds the stored answer's ciphertext to its organization and key. */
  aad: string;
  /** How the caller names the key, for the refusals ("Idempotency-Key", "idempotency id"). */
  keyName: string;
}

export interface OnceClaim {
  request: OnceRequest;
  claimedAt: string;
}

export interface OnceAnswer<T> {
  status: number;
  value: T;
}

export type ClaimOutcome<T> = { claim: OnceClaim } | { answer: OnceAnswer<T> };

export class RunOnce {
  private readonly deferred = new DeferredWrites();

  constructor(
    private readonly store: Store,
    private readonly vault: Vault,
  ) {}

  /** The claim to run and then finish or release, or the first caller's answer to give back. */
  async claim<T>(request: OnceRequest): Promise<ClaimOutcome<T>> {
    const { orgId, key, hash } = request;
    const deadline = Date.now() + WAIT_FOR_FIRST_MS;
    for (;;) {
      const claimedAt = new Date();
      let existing: IdempotencyTable | null;
      try {
        existing = await claimIdempotencyKey(this.store, orgId, key, hash, claimedAt);
      } catch (e) {
        // The claim may have landed although its answer was lost: give it up once the store is back.
        this.deferred.defer(slotOf(request), () =>
          releaseIdempotencyKey(this.store, orgId, key, claimedAt.toISOString()),
        );
        throw e;
      }
      if (!existing) return { claim: { request, claimedAt: claimedAt.toISOString() } };
      if (existing.request_hash !== hash) {
        throw new AppError(
          'idempotency_key_reused',
          `this ${request.keyName} was used with a different request`,
        );
      }
      if (existing.state === 'done') return { answer: this.answerOf<T>(existing, request) };
      // The first request is still running (here or on another instance): wait for its answer.
      while (Date.now() < deadline) {
        await sleep(25);
        const now = await getIdempotencyRecord(this.store, orgId, key);
        if (!now) break; // the first one failed and released the key: claim it ourselves
        if (now.state === 'done') return { answer: this.answerOf<T>(now, request) };
      }
      if (Date.now() >= deadline) {
        throw new AppError(
          'idempotency_in_progress',
          `a request with this ${request.keyName} is still in progress`,
          { retryAfter: 1 },
        );
      }
    }
  }

  /**
   * Remembers the answer for retries. What was done is done: if the store fails now, the answer is
   * remembered as soon as it is back (retries meanwhile wait for it). Never throws.
   */
  finish<T>(claim: OnceClaim, status: number, value: T): Promise<boolean> {
    const { orgId, key, aad } = claim.request;
    const sealed = this.vault.encryptJson(value, aad);
    return this.deferred.attempt(slotOf(claim.request), () =>
      completeIdempotencyKey(this.store, orgId, key, status, sealed, claim.claimedAt),
    );
  }

  /** Gives the key up (the work failed or never ran), so a retry runs it. Never throws. */
  release(claim: OnceClaim): Promise<boolean> {
    const { orgId, key } = claim.request;
    return this.deferred.attempt(slotOf(claim.request), () =>
      releaseIdempotencyKey(this.store, orgId, key, claim.claimedAt),
    );
  }

  /** Tries once more what still waits for the store, and stops trying. */
  async close(): Promise<void> {
    await this.deferred.flush();
    this.deferred.stop();
  }

  private answerOf<T>(record: IdempotencyTable, request: OnceRequest): OnceAnswer<T> {
    return { status: record.status_code!, value: this.vault.decryptJson<T>(record.response!, request.aad) };
  }
}

const slotOf = (request: OnceRequest) => `${request.orgId}\n${request.key}`;
