/**
 * kind → provider module. Adding a provider is one folder exporting one ProviderModule, one line in
 * catalog.ts, and its sandbox fake; core reaches it only through the module (auth as data, verify,
 * discover, bindingTarget, pack, execute) and names no provider.
 */
import { AppError } from '../errors.ts';
import type { ActionDefinition, ProviderModule } from './types.ts';

/** An action of the provider, or one only its pack installs. */
export function findAction(provider: ProviderModule, slug: string): ActionDefinition | undefined {
  return (
    provider.actions.find((a) => a.slug === slug) ?? provider.pack?.actions?.find((a) => a.slug === slug)
  );
}

/** Announced but not connectable yet: never in the catalog, 403 on every integration route. */
export const RESERVED_KINDS = ['calendly', 'hubspot', 'square', 'opentable'] as const;

export class ProviderRegistry {
  private readonly byKind = new Map<string, ProviderModule>();

  constructor(modules: ProviderModule[]) {
    for (const m of modules) {
      if (this.byKind.has(m.kind)) throw new Error(`provider ${m.kind} registered twice`);
      this.byKind.set(m.kind, m);
    }
  }

  list(): ProviderModule[] {
    return [...this.byKind.values()];
  }

  /**
   * The module of a live kind; reserved and unknown kinds are refused with their own codes. Kinds
   * are lower case: the HTTP layer folds a path's `{kind}` before it gets here (`Postgres` works).
   */
  get(kind: string): ProviderModule {
    const m = this.byKind.get(kind);
    if (m) return m;
    if ((RESERVED_KINDS as readonly string[]).includes(kind)) {
      throw new AppError('provider_reserved', `${kind} is coming soon and cannot be connected yet`);
    }
    throw new AppError(
      'provider_not_found',
      `there is no provider "${kind.slice(0, 64)}"; the kinds are ${[...this.byKind.keys()].join(', ')}`,
    );
  }
}
