/**
 * Idempotent tool calls from MCP hosts: a write retried in the same conversation with the same
 * idempotency id (the `io.flowyte/idempotencyKey` request `_meta`) answers the first call's result
 * and runs nothing twice, across instances. Same records, 24 h lifetime and store-failure handling
 * as HTTP Idempotency-Key (core/shared/run-once.ts).
 */
import { createHash } from 'node:crypto';
import stringify from 'safe-stable-stringify';
import type { RunOnce } from '../shared/index.ts';

export class CallReplays {
  constructor(private readonly runOnce: RunOnce) {}

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
    const outcome = await this.runOnce.claim<T>({
      orgId,
      key,
      hash: createHash('sha256')
        .update(`${call.tool} ${stringify(call.args)}`)
        .digest('hex'),
      aad: `call-replay:${orgId}:${key}`,
      keyName: 'idempotency id',
    });
    if ('answer' in outcome) return outcome.answer.value;
    let out: T;
    try {
      out = await run();
    } catch (e) {
      // A failed call is not remembered: the host's retry runs it again.
      await this.runOnce.release(outcome.claim);
      throw e;
    }
    await this.runOnce.finish(outcome.claim, 200, out);
    return out;
  }
}
