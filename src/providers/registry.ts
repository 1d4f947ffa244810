/** kind → provider module. Adding a provider is one entry here and one folder; nothing else changes. */
import { AppError } from '../errors.ts';
import type { ProviderModule } from './types.ts';

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

  /** The module of a live kind; reserved and unknown kinds are refused with their own codes. */
  get(kind: string): ProviderModule {
    const m = this.byKind.get(kind);
    if (m) return m;
    if ((RESERVED_KINDS as readonly string[]).includes(kind)) {
      throw new AppError('provider_reserved', `${kind} is coming soon and cannot be connected yet`);
    }
    throw new AppError('provider_not_found', `there is no provider "${kind.slice(0, 64)}"`);
  }
}
