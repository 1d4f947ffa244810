/**
 * Tool calls a model makes over MCP, where the gates are the server's and the host's, never the
 * model's: a gated call answers with a confirmation token (core/runtime/confirmations.ts) that only the host
 * redeems; a verified caller is the host's word; writes with an idempotency id run once per
 * conversation (core/runtime/call-replays.ts).
 */
import type { CallReplays } from './call-replays.ts';
import type { Confirmations, Gate, PendingCall } from './confirmations.ts';
import type { InvokeContext, InvokeInput, Outcome, Runtime } from './runtime.ts';

/** A tool call the model made: the gates' inputs come from the host, never from the arguments. */
export interface ModelCall {
  /** The MCP session: the conversation tokens, locks and execution records belong to. */
  conversationId: string | null;
  /** The host vouches that the caller's identity was verified (a header it sets on its request). */
  callerVerified: boolean;
  /** The host's idempotency id for this call (request `_meta`): a retried write runs once. */
  idempotencyKey?: string;
  requestId?: string;
}

/** What a gated model call answers instead of running: the host redeems the token. */
export type ModelCallOutcome = Outcome | { pending: PendingCall };

export interface RedeemInput {
  token: string;
  arguments: Record<string, unknown>;
  conversationId?: string;
}

export class ModelCalls {
  constructor(
    private readonly runtime: Runtime,
    private readonly confirmations: Confirmations,
    private readonly replays: CallReplays,
  ) {}

  /** A call against the live version: a gated tool does not run, it answers a token for the host. */
  async call(
    orgId: string,
    agentId: string,
    name: string,
    given: Record<string, unknown>,
    call: ModelCall,
  ): Promise<ModelCallOutcome> {
    const resolved = await this.runtime.resolve(orgId, agentId, name, false, given);
    const { skill } = resolved.tool;
    const needs: Gate[] = [];
    if (skill.requiresConfirmation) needs.push('confirmation');
    if (skill.requiresVerifiedIdentity && !call.callerVerified) needs.push('verification');
    if (needs.length) {
      const binding = {
        skillName: skill.name,
        versionId: resolved.table.versionId,
        conversationId: call.conversationId,
        args: given,
      };
      return { pending: await this.confirmations.issue(orgId, agentId, binding, needs) };
    }
    const input: InvokeInput = { arguments: given, conversationId: call.conversationId ?? undefined };
    const ctx: InvokeContext = { idempotencyKey: call.idempotencyKey, requestId: call.requestId };
    const run = () => this.runtime.run(orgId, agentId, resolved, input, ctx);
    if (!skill.isWrite || !call.idempotencyKey) return run();
    return this.replays.once(
      orgId,
      { agentId, conversationId: call.conversationId, key: call.idempotencyKey },
      { tool: skill.name, args: given },
      run,
    );
  }

  /**
   * The host redeems a confirmation token: the gated call runs once, with the arguments it was
   * issued for, in its conversation. Redeeming asserts the gates the token names (the caller
   * agreed; where named, the caller's identity was verified).
   */
  async redeem(orgId: string, agentId: string, body: RedeemInput, ctx: InvokeContext = {}): Promise<Outcome> {
    const table = await this.runtime.table(orgId, agentId, false);
    const given = body.arguments ?? {};
    const used = await this.confirmations.redeem(orgId, agentId, body.token, {
      versionId: table.versionId,
      conversationId: body.conversationId ?? null,
      args: given,
    });
    const resolved = await this.runtime.resolve(orgId, agentId, used.skill_name, false, given);
    const input: InvokeInput = { arguments: given, conversationId: used.conversation_id ?? undefined };
    // One provider-side idempotency key per token, so a provider that honours it never applies twice.
    const key = ctx.idempotencyKey ?? `confirmation-${used.token_hash.slice(0, 32)}`;
    return this.runtime.run(orgId, agentId, resolved, input, { ...ctx, idempotencyKey: key });
  }
}
