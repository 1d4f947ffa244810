/** Connector packs: a provider's curated presets, listed per agent and installed in one call. */
import { AppError } from '../../errors.ts';
import { findAction } from '../../providers/registry.ts';
import type { Pack, ProviderModule } from '../../providers/types.ts';
import type { Agents } from '../agents/index.ts';
import type { Integrations } from '../connections/index.ts';
import { type Provisioning, type ProvisionResult, provisionedAction } from './provisioning.ts';

export class Packs {
  constructor(
    private readonly agents: Agents,
    private readonly integrations: Integrations,
    private readonly provisioning: Provisioning,
  ) {}

  private packOf(provider: ProviderModule): Pack {
    if (!provider.pack) throw new AppError('no_pack', `${provider.kind} has no connector pack`);
    return provider.pack;
  }

  async get(orgId: string, agentId: string, kind: string) {
    await this.agents.row(orgId, agentId);
    const pack = this.packOf(this.integrations.provider(kind));
    const rows = await this.agents.skillRows(orgId, agentId);
    const installed = new Set(
      rows
        .map((r) => JSON.parse(r.source) as { kind: string; preset?: string })
        .filter((s) => s.kind === kind && s.preset)
        .map((s) => s.preset),
    );
    // A preset whose action was provisioned already has its skill: installing it makes no other.
    for (const p of pack.presets)
      if (rows.some((r) => provisionedAction(r, kind, p.action))) installed.add(p.slug);
    return {
      slug: pack.slug,
      name: pack.name,
      description: pack.description,
      presets: pack.presets.map((p) => ({
        slug: p.slug,
        name: p.name,
        description: p.description,
        action: p.action,
        toolName: p.toolName,
        installed: installed.has(p.slug),
      })),
    };
  }

  /**
   * A provider's pack without an agent (`GET /integrations/{kind}/pack`): each preset with the
   * parameters its skill takes and what it returns (where the action declares it), gating included.
   */
  describe(kind: string) {
    const provider = this.integrations.provider(kind);
    const pack = this.packOf(provider);
    return {
      kind,
      slug: pack.slug,
      name: pack.name,
      description: pack.description,
      presets: pack.presets.map((p) => {
        const action = findAction(provider, p.action);
        return {
          slug: p.slug,
          name: p.name,
          description: p.description,
          action: p.action,
          toolName: p.toolName,
          parameters: action?.parameters ?? { type: 'object', properties: {} },
          returns: p.returns ?? null,
          requiredScopes: p.requiredScopes ?? [],
          isWrite: action?.isWrite ?? false,
          requiresConfirmation: action?.requiresConfirmation ?? action?.isWrite ?? false,
          requiresVerifiedIdentity: action?.requiresVerifiedIdentity ?? false,
        };
      }),
    };
  }

  async install(
    orgId: string,
    agentId: string,
    kind: string,
    slugs: string[] | undefined,
  ): Promise<ProvisionResult[]> {
    await this.agents.row(orgId, agentId);
    const provider = this.integrations.provider(kind);
    const pack = this.packOf(provider);
    await this.provisioning.connectedProvider(orgId, kind);
    const unknown = (slugs ?? []).filter((s) => !pack.presets.some((p) => p.slug === s));
    if (unknown.length) {
      throw new AppError('validation_error', `the ${pack.name} pack has no preset ${unknown.join(', ')}`, {
        errors: unknown.map((s) => ({ field: 'presets', message: `unknown preset "${s.slice(0, 64)}"` })),
      });
    }
    const chosen = slugs?.length ? pack.presets.filter((p) => slugs.includes(p.slug)) : pack.presets;
    return this.provisioning.apply(
      orgId,
      agentId,
      provider,
      chosen.map((p) => {
        const action = findAction(provider, p.action);
        if (!action) throw new Error(`pack preset ${p.slug} names unknown action ${p.action}`);
        return {
          action,
          source: { kind, preset: p.slug, action: p.action },
          toolName: p.toolName,
          description: p.description,
          config: p.config ?? {},
          requiredScopes: p.requiredScopes,
        };
      }),
    );
  }
}
