/**
 * Idempotent tool calls from MCP hosts: a write retried in the same conversation with the same
 * idempotency id (the `io.flowyte/idempotencyKey` request `_meta`) answers the first call's result
 * and runs nothing twice, across instances. Same records and 24 h lifetime as HTTP Idempotency-Key.
 */
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import stringify from 'safe-stable-stringify';
import { AppError } from '../../errors.ts';
import type { Vault } from '../../security/vault.ts';
import type { Store } from '../../store/db.ts';
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  getIdempotencyRecord,
  releaseIdempotencyKey,
} from '../../store/idempotency.ts';

const WAIT_FOR_FIRST_MS = 30_000;

export class CallReplays {
  constructor(
    private readonly store: Store,
    private readonly vault: Vault,
  ) {}

  /**
   * Runs `call` once per (agent, conversation, key). The record key holds spaces, which an HTTP
   * Idempotency-Key cannot, so the two never meet.
   */
  async once<T>(
    orgId: string,
    scope: { agentId: string; conversationId: string | null; key: string },
    call: { tool: string; args: Record<string, unknown> },
    run: () => Promise<T>,
  ): Promise<T> {
    const key = `mcp ${scope.agentId} ${scope.conversationId ?? '-'} ${scope.key}`;
    const hash = createHash('sha256')
      .update(`${call.tool} ${stringify(call.args)}`)
      .digest('hex');
    const aad = `call-replay:${orgId}:${key}`;
    const deadline = Date.now() + WAIT_FOR_FIRST_MS;
    for (;;) {
      const existing = await claimIdempotencyKey(this.store, orgId, key, hash);
      if (!existing) break;
      if (existing.request_hash !== hash)
        throw new AppError('idempotency_key_reused', 'this idempotency id was used with a different call');
      if (existing.state === 'done') return this.vault.decryptJson<T>(existing.response!, aad);
      while (Date.now() < deadline) {
        await sleep(25);
        const now = await getIdempotencyRecord(this.store, orgId, key);
        if (!now) break;
        if (now.state === 'done') return this.vault.decryptJson<T>(now.response!, aad);
      }
      if (Date.now() >= deadline)
        throw new AppError('idempotency_in_progress', 'a call with this idempotency id is still running', {
          retryAfter: 1,
        });
    }
    try {
      const out = await run();
      await completeIdempotencyKey(this.store, orgId, key, 200, this.vault.encryptJson(out, aad));
      return out;
    } catch (e) {
      // A failed call is not remembered: the host's retry runs it again.
      await releaseIdempotencyKey(this.store, orgId, key);
      throw e;
    }
  }
}
