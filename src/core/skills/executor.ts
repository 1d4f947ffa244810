/** Runs one skill: a webhook call, or a provider action/binding with the connection's credentials. */

import { lruCache } from '../../cache-limits.ts';
import { AppError } from '../../errors.ts';
import { callWebhook } from '../../providers/http-webhook/execute.ts';
import type { EgressPolicy } from '../../security/egress.ts';
import type { DecodedSkillRow } from '../../store/skill-rows.ts';
import type { SkillReview } from '../bindings/index.ts';
import type { Integrations } from '../connections/index.ts';
import type { SkillKinds, WebhookSecrets } from './kinds.ts';

export class SkillExecutor {
  /** Opened webhook secrets by ciphertext: a ciphertext never changes meaning, so no invalidation is needed. */
  private secrets = lruCache<string, WebhookSecrets>('webhookSecrets');

  constructor(
    private readonly integrations: Integrations,
    private readonly kinds: SkillKinds,
    private readonly egress: EgressPolicy,
    private readonly review?: SkillReview,
  ) {}

  async run(
    orgId: string,
    skill: DecodedSkillRow,
    args: Record<string, unknown>,
    ctx: { idempotencyKey?: string; requestId?: string },
  ): Promise<unknown> {
    const { row, executionConfig: config, source } = skill;
    if (row.skill_type === 'http_webhook') {
      let secrets = this.secrets.get(row.secrets!);
      if (!secrets) {
        secrets = this.kinds.openSecrets<WebhookSecrets>(orgId, row.id, row.secrets!);
        this.secrets.set(row.secrets!, secrets);
      }
      const res = await callWebhook(config as any, secrets, args, {
        egress: this.egress,
        idempotencyKey: ctx.idempotencyKey,
        requestId: ctx.requestId,
      });
      return res.body;
    }
    const provider = this.integrations.provider(source.kind);
    if (!provider.execute)
      throw new AppError('provider_error', `${source.kind} cannot run skills`, {
        extensions: { retryable: false },
      });
    const { connection, credentials } = await this.integrations.invocationCredentials(orgId, source.kind);
    if (connection.status === 'needs_reconnect') {
      throw new AppError(
        'needs_reconnect',
        `the ${source.kind} connection must be reconnected by an operator`,
      );
    }
    // Scoping may have blocked what a binding uses after it was published.
    await this.review?.refuseIfBlocked(orgId, row, connection);
    try {
      return await provider.execute(
        credentials,
        {
          action: source.action,
          compiled: skill.compiled,
          config,
          arguments: args,
          connectionId: connection.id,
          idempotencyKey: ctx.idempotencyKey,
        },
        this.integrations.contextFor(orgId, connection, credentials),
      );
    } catch (e) {
      // The provider refused the stored credentials: show it on the connection, stop calling it.
      if (e instanceof AppError && e.code === 'needs_reconnect')
        await this.integrations.markNeedsReconnect(orgId, connection.id);
      throw e;
    }
  }
}
