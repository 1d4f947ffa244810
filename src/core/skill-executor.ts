/** Runs one skill: a webhook call, or a provider action/binding with the connection's credentials. */
import { AppError } from '../errors.ts';
import { callWebhook } from '../providers/http-webhook/execute.ts';
import type { EgressPolicy } from '../security/egress.ts';
import type { SkillsTable } from '../store/schema.ts';
import type { Integrations } from './integrations.ts';
import type { SkillKinds, WebhookSecrets } from './skill-kinds.ts';
import type { SkillReview } from './skill-review.ts';

const SECRETS_CACHE_MAX = 5_000;

interface ParsedRow {
  config: Record<string, unknown>;
  source: { kind: string; action?: string };
  compiled: unknown;
}

/**
 * A skill row's JSON columns, parsed once: rows come from a published version's cached tool table
 * (immutable) or a draft read, so the row object itself is the key and a new read parses afresh.
 */
const parsedRows = new WeakMap<SkillsTable, ParsedRow>();

function parsed(row: SkillsTable): ParsedRow {
  let p = parsedRows.get(row);
  if (!p) {
    p = {
      config: JSON.parse(row.execution_config) as Record<string, unknown>,
      source: JSON.parse(row.source) as ParsedRow['source'],
      compiled: row.compiled ? JSON.parse(row.compiled) : undefined,
    };
    parsedRows.set(row, p);
  }
  return p;
}

export class SkillExecutor {
  /** Opened webhook secrets by ciphertext: a ciphertext never changes meaning, so no invalidation is needed. */
  private secrets = new Map<string, WebhookSecrets>();

  constructor(
    private readonly integrations: Integrations,
    private readonly kinds: SkillKinds,
    private readonly egress: EgressPolicy,
    private readonly review?: SkillReview,
  ) {}

  async run(
    orgId: string,
    row: SkillsTable,
    args: Record<string, unknown>,
    ctx: { idempotencyKey?: string; requestId?: string },
  ): Promise<unknown> {
    const { config, source, compiled } = parsed(row);
    if (row.skill_type === 'http_webhook') {
      let secrets = this.secrets.get(row.secrets!);
      if (!secrets) {
        secrets = this.kinds.openSecrets<WebhookSecrets>(orgId, row.id, row.secrets!);
        if (this.secrets.size >= SECRETS_CACHE_MAX) this.secrets.clear();
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
    const { connection, credentials } = await this.integrations.credentials(orgId, source.kind);
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
          compiled,
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
