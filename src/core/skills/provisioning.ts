/** Provisioning a provider's pre-built actions (and pack presets) as draft skills, idempotently. */
import { AppError } from '../../errors.ts';
import type { ActionDefinition, ProviderModule } from '../../providers/types.ts';
import type { SkillsTable } from '../../store/schema.ts';
import type { Agents } from '../agents/index.ts';
import type { Integrations } from '../connections/index.ts';
import { missingConfig } from './kinds.ts';
import type { JsonSchemaObject, Skill } from './model.ts';

export interface ProvisionResult {
  skill: Skill;
  created: boolean;
  /** Why a new skill landed disabled although its action could run: the grant lacks these scopes. */
  missingScopes?: string[];
}

interface SkillPlan {
  action: ActionDefinition;
  /** The key in `source` that identifies it: `action` for provisioning, `preset` for packs. */
  source: Record<string, unknown>;
  toolName: string;
  description: string;
  config: Record<string, unknown>;
  /** Grants the connection must hold; a skill whose grant is missing lands disabled, naming it. */
  requiredScopes?: string[];
}

const sourceMatches = (row: SkillsTable, source: Record<string, unknown>) => {
  const s = JSON.parse(row.source) as Record<string, unknown>;
  return Object.entries(source).every(([k, v]) => s[k] === v);
};

/** A skill provisioned straight from an action (`{ kind, action }`, no preset). */
export const provisionedAction = (row: SkillsTable, kind: string, action: string) => {
  const s = JSON.parse(row.source) as Record<string, unknown>;
  return s.kind === kind && s.action === action && s.preset === undefined && s.binding === undefined;
};

export class Provisioning {
  constructor(
    private readonly agents: Agents,
    private readonly integrations: Integrations,
  ) {}

  /** The provider, refusing unless the organization has it connected. */
  async connectedProvider(orgId: string, kind: string): Promise<ProviderModule> {
    const provider = this.integrations.provider(kind);
    const connection = await this.integrations.connection(orgId, kind);
    if (!connection)
      throw new AppError('integration_not_connected', `connect ${kind} before adding its skills`);
    return provider;
  }

  async provision(
    orgId: string,
    agentId: string,
    kind: string,
    slugs: string[] | undefined,
  ): Promise<ProvisionResult[]> {
    await this.agents.row(orgId, agentId);
    const provider = await this.connectedProvider(orgId, kind);
    const actions = this.pickActions(provider, slugs);
    return this.apply(
      orgId,
      agentId,
      provider,
      actions.map((action) => ({
        action,
        source: { kind, action: action.slug },
        toolName: action.slug,
        description: action.description,
        config: {},
      })),
    );
  }

  async unprovision(
    orgId: string,
    agentId: string,
    kind: string,
    slugs: string[] | undefined,
  ): Promise<{ removed: number }> {
    await this.agents.row(orgId, agentId);
    const provider = this.integrations.provider(kind);
    const wanted = slugs?.length ? new Set(this.pickActions(provider, slugs).map((a) => a.slug)) : null;
    const rows = await this.agents.skillRows(orgId, agentId);
    const ids = rows
      .filter((r) => {
        const s = JSON.parse(r.source) as { kind: string; action?: string; preset?: string };
        return s.kind === kind && s.action !== undefined && !s.preset && (!wanted || wanted.has(s.action));
      })
      .map((r) => r.id);
    return { removed: await this.agents.removeSkills(orgId, agentId, ids) };
  }

  private pickActions(provider: ProviderModule, slugs: string[] | undefined): ActionDefinition[] {
    if (!slugs || slugs.length === 0) return provider.actions.filter((a) => a.important);
    const unknown = slugs.filter((s) => !provider.actions.some((a) => a.slug === s));
    if (unknown.length) {
      throw new AppError('unknown_action', `${provider.kind} has no action ${unknown.join(', ')}`, {
        errors: unknown.map((s) => ({ field: 'actions', message: `unknown action "${s.slice(0, 64)}"` })),
      });
    }
    return [...new Set(slugs)].map((s) => provider.actions.find((a) => a.slug === s)!);
  }

  /** Creates the skills a plan lists unless they already exist; existing ones come back with created: false. */
  async apply(
    orgId: string,
    agentId: string,
    provider: ProviderModule,
    plans: SkillPlan[],
  ): Promise<ProvisionResult[]> {
    const rows = await this.agents.skillRows(orgId, agentId);
    const connection = await this.integrations.connection(orgId, provider.kind);
    const granted = connection?.granted_scopes
      ? new Set<string>(JSON.parse(connection.granted_scopes))
      : null;
    const results: ProvisionResult[] = [];
    for (const plan of plans) {
      // Only a grant the provider reported can be found lacking; an unknown one is not held against it.
      const missingScopes = granted ? (plan.requiredScopes ?? []).filter((s) => !granted.has(s)) : [];
      // Provision and pack install make one skill per action, in either order: a preset finds the
      // skill provisioned from its action, and provisioning finds the preset's (a subset match).
      const existing =
        rows.find((r) => sourceMatches(r, plan.source)) ??
        (typeof plan.source.preset === 'string'
          ? rows.find((r) => provisionedAction(r, provider.kind, plan.action.slug))
          : undefined);
      if (existing) {
        results.push({ skill: this.agents.view(existing), created: false });
        continue;
      }
      const { action } = plan;
      const insert = () =>
        this.agents.insert(orgId, agentId, {
          name: plan.toolName,
          description: plan.description,
          skillType: provider.skillType ?? provider.kind,
          source: plan.source,
          parametersSchema: action.parameters as JsonSchemaObject,
          executionConfig: plan.config,
          isWrite: action.isWrite,
          requiresConfirmation: action.requiresConfirmation ?? action.isWrite,
          nonParallelizable: action.nonParallelizable ?? action.isWrite,
          requiresVerifiedIdentity: action.requiresVerifiedIdentity ?? false,
          // An action that still needs operator settings, or a grant, cannot run: it lands disabled.
          isEnabled:
            !action.landsDisabled &&
            missingConfig(action.config, plan.config).length === 0 &&
            missingScopes.length === 0,
        });
      let row: SkillsTable;
      try {
        row = await insert();
      } catch (e) {
        // A concurrent provision of the same action won the insert: report its skill as existing.
        const winner =
          e instanceof AppError && e.code === 'skill_name_taken'
            ? (await this.agents.skillRows(orgId, agentId)).find((r) => sourceMatches(r, plan.source))
            : undefined;
        if (!winner) throw e;
        results.push({ skill: this.agents.view(winner), created: false });
        continue;
      }
      rows.push(row);
      results.push({
        skill: this.agents.view(row),
        created: true,
        ...(missingScopes.length ? { missingScopes } : {}),
      });
    }
    return results;
  }
}
