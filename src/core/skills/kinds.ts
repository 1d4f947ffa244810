/**
 * What differs between skill types when a skill is created, edited or enabled: hand-made webhooks
 * carry secrets (header values, a signing secret) sealed apart from their config; provider actions
 * carry operator settings checked against the action's declared config fields.
 */
import { AppError, type FieldError } from '../../errors.ts';
import { maskHeaders, mergeHeaders, validateWebhookConfig } from '../../providers/http-webhook/config.ts';
import { generateSigningSecret } from '../../providers/http-webhook/signing.ts';
import { findAction, type ProviderRegistry } from '../../providers/registry.ts';
import type { ActionConfigField, ActionDefinition } from '../../providers/types.ts';
import type { EgressPolicy } from '../../security/egress.ts';
import type { Vault } from '../../security/vault.ts';
import type { SkillsTable } from '../../store/schema.ts';

export interface WebhookSecrets {
  headers: Record<string, string>;
  signingSecret: string;
}

const skillAad = (orgId: string, skillId: string) => `skill:${orgId}:${skillId}`;

function configFieldErrors(fields: ActionConfigField[], config: Record<string, unknown>): FieldError[] {
  const errors: FieldError[] = [];
  const known = new Map(fields.map((f) => [f.key, f]));
  for (const [key, value] of Object.entries(config)) {
    const f = known.get(key);
    if (!f) {
      errors.push({ field: `executionConfig.${key}`, message: 'is not a setting of this action' });
      continue;
    }
    if (value === null) continue;
    const okType =
      f.type === 'json' ||
      (f.type === 'string' && typeof value === 'string') ||
      (f.type === 'integer' && Number.isInteger(value)) ||
      (f.type === 'boolean' && typeof value === 'boolean');
    if (!okType)
      errors.push({
        field: `executionConfig.${key}`,
        message: `must be ${f.type === 'integer' ? 'an integer' : `a ${f.type}`}`,
      });
  }
  return errors;
}

export const missingConfig = (fields: ActionConfigField[], config: Record<string, unknown>): string[] =>
  fields
    .filter(
      (f) => f.required && (config[f.key] === undefined || config[f.key] === null || config[f.key] === ''),
    )
    .map((f) => f.key);

export class SkillKinds {
  constructor(
    private readonly vault: Vault,
    private readonly registry: ProviderRegistry,
    private readonly egress: EgressPolicy,
  ) {}

  sealSecrets(orgId: string, skillId: string, secrets: Record<string, unknown>): string {
    return this.vault.encryptJson(secrets, skillAad(orgId, skillId));
  }

  openSecrets<T>(orgId: string, skillId: string, sealed: string): T {
    return this.vault.decryptJson<T>(sealed, skillAad(orgId, skillId));
  }

  /** Validates a hand-made skill's config; splits off its secrets; mints a signing secret shown once. */
  prepareHandMade(skillType: string, config: Record<string, unknown>) {
    if (skillType !== 'http_webhook') {
      throw new AppError(
        'validation_error',
        `skills of type ${skillType} are created by provisioning, bindings or packs`,
        {
          errors: [{ field: 'skillType', message: 'only http_webhook skills are made by hand' }],
        },
      );
    }
    const checked = validateWebhookConfig(config, { egress: this.egress });
    if (!checked.ok)
      throw new AppError('validation_error', 'the webhook configuration is not valid', {
        errors: checked.errors,
      });
    const signingSecret = generateSigningSecret();
    const secrets: WebhookSecrets = { headers: checked.config.headers, signingSecret };
    return {
      config: { ...checked.config, headers: maskHeaders(checked.config.headers) } as Record<string, unknown>,
      secrets: secrets as unknown as Record<string, unknown>,
      shownOnce: { signingSecret },
    };
  }

  /** A config edit: webhooks re-validate and keep secrets sent back masked; actions check their fields. */
  patchConfig(
    orgId: string,
    row: SkillsTable,
    incoming: Record<string, unknown>,
  ): { config: Record<string, unknown>; secrets?: string } {
    if (row.skill_type === 'http_webhook') {
      const previous = row.secrets
        ? this.openSecrets<WebhookSecrets>(orgId, row.id, row.secrets)
        : { headers: {}, signingSecret: '' };
      const headers = mergeHeaders(previous.headers, incoming.headers as Record<string, string> | undefined);
      const checked = validateWebhookConfig(
        { ...JSON.parse(row.execution_config), ...incoming, headers },
        { egress: this.egress },
      );
      if (!checked.ok)
        throw new AppError('validation_error', 'the webhook configuration is not valid', {
          errors: checked.errors,
        });
      const secrets: WebhookSecrets = {
        headers: checked.config.headers,
        signingSecret: previous.signingSecret,
      };
      return {
        config: { ...checked.config, headers: maskHeaders(checked.config.headers) },
        secrets: this.sealSecrets(orgId, row.id, secrets as unknown as Record<string, unknown>),
      };
    }
    const action = this.actionOf(row);
    const merged = { ...JSON.parse(row.execution_config), ...incoming };
    const errors = action ? configFieldErrors(action.config, incoming) : [];
    if (errors.length)
      throw new AppError('validation_error', 'the configuration is not valid for this action', { errors });
    return { config: merged };
  }

  /** The provider action a skill was provisioned from, if any. */
  actionOf(row: Pick<SkillsTable, 'source'>): ActionDefinition | undefined {
    const source = JSON.parse(row.source) as { kind: string; action?: string };
    if (!source.action) return undefined;
    try {
      return findAction(this.registry.get(source.kind), source.action);
    } catch {
      return undefined;
    }
  }

  /** Refuses to enable a skill that cannot run yet (operator settings still missing). */
  assertRunnable(row: SkillsTable): void {
    const action = this.actionOf(row);
    if (!action) return;
    const missing = missingConfig(action.config, JSON.parse(row.execution_config));
    if (missing.length) {
      throw new AppError('validation_error', 'set the required settings before enabling this skill', {
        errors: missing.map((k) => ({
          field: `executionConfig.${k}`,
          message: 'is required before the skill can be enabled',
        })),
      });
    }
  }
}
