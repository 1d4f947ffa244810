/**
 * Confirmation tokens: over MCP the gates are the server's, not the model's. A gated call answers
 * with a single-use token bound to the organization, agent, live version, tool, conversation and
 * the canonical hash of the arguments; only the host application redeems it, over its own
 * authenticated REST call, and the call then runs once. The store keeps the token's hash only.
 */
import { createHash, randomBytes } from 'node:crypto';
import stringify from 'safe-stable-stringify';
import { AppError } from '../../errors.ts';
import { getConfirmation, insertConfirmation, spendConfirmation } from '../../store/confirmations.ts';
import type { Store } from '../../store/db.ts';
import type { ConfirmationsTable } from '../../store/schema.ts';

export type Gate = 'confirmation' | 'verification';

/** How long a host has to get the caller's agreement and redeem a token. */
export const CONFIRMATION_TTL_MS = 5 * 60_000;

export interface PendingCall {
  token: string;
  tool: string;
  needs: Gate[];
  expiresAt: string;
}

export interface CallBinding {
  skillName: string;
  versionId: string | null;
  conversationId: string | null;
  args: Record<string, unknown>;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** SHA-256 of the arguments' canonical JSON (keys sorted at every depth): the same call, the same hash. */
export const argumentsHash = (args: Record<string, unknown>) => sha256(stringify(args) ?? 'null');

const refused = (why: string) =>
  new AppError('confirmation_invalid', `this confirmation token cannot be redeemed: ${why}`);

export class Confirmations {
  constructor(
    private readonly store: Store,
    private readonly ttlMs = CONFIRMATION_TTL_MS,
  ) {}

  async issue(orgId: string, agentId: string, call: CallBinding, needs: Gate[]): Promise<PendingCall> {
    const token = `fct_${randomBytes(24).toString('base64url')}`;
    const now = Date.now();
    const expiresAt = new Date(now + this.ttlMs).toISOString();
    await insertConfirmation(this.store, {
      token_hash: sha256(token),
      org_id: orgId,
      agent_id: agentId,
      skill_name: call.skillName,
      version_id: call.versionId,
      conversation_id: call.conversationId,
      args_hash: argumentsHash(call.args),
      needs: JSON.stringify(needs),
      created_at: new Date(now).toISOString(),
      expires_at: expiresAt,
      used_at: null,
    });
    return { token, tool: call.skillName, needs, expiresAt };
  }

  /**
   * Checks a token against the call the host asks to run and uses it up: unknown, used, expired,
   * another conversation or other arguments are refused (and a refused token stays unused).
   */
  async redeem(
    orgId: string,
    agentId: string,
    token: string,
    call: Omit<CallBinding, 'skillName'>,
  ): Promise<ConfirmationsTable> {
    const hash = sha256(token);
    const row = await getConfirmation(this.store, orgId, agentId, hash);
    if (!row) throw refused('it is unknown');
    const now = new Date().toISOString();
    if (row.used_at) throw refused('it was already used');
    if (row.expires_at <= now) throw refused('it expired; let the agent make the call again');
    if (row.conversation_id !== call.conversationId) throw refused('it was issued in another conversation');
    if (row.args_hash !== argumentsHash(call.args))
      throw refused('the arguments differ from the call it was issued for');
    if (row.version_id !== call.versionId)
      throw refused("the agent's live version changed since; let the agent make the call again");
    if (!(await spendConfirmation(this.store, hash, now))) throw refused('it was already used');
    return row;
  }
}
