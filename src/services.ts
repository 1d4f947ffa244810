/** Wires config → store → services. The HTTP app, the CLI and the tests all start from here. */
import { ApiKeys } from './core/api-keys.ts';
import { Integrations } from './core/integrations.ts';
import type { Config } from './config.ts';
import { defaultProviders } from './providers/catalog.ts';
import { ProviderRegistry } from './providers/registry.ts';
import type { ProviderModule } from './providers/types.ts';
import { EgressPolicy } from './security/egress.ts';
import { Vault } from './security/vault.ts';
import { openStore, type Store } from './store/db.ts';

export interface Services {
  config: Config;
  store: Store;
  vault: Vault;
  apiKeys: ApiKeys;
  egress: EgressPolicy;
  registry: ProviderRegistry;
  integrations: Integrations;
  close(): Promise<void>;
}

export interface ServiceOptions {
  /** Replaces the provider list (tests register extra, test-only providers). */
  providers?: ProviderModule[];
}

export async function createServices(config: Config, opts: ServiceOptions = {}): Promise<Services> {
  const store = await openStore(config);
  try {
    const vault = await Vault.open(store, config);
    const apiKeys = await ApiKeys.open(store, vault);
    const egress = new EgressPolicy(config.allowPrivateNetworks);
    const registry = new ProviderRegistry(opts.providers ?? defaultProviders());
    const integrations = new Integrations({
      store,
      vault,
      registry,
      egress,
      allowPlaintextSql: config.sqlAllowPlaintext,
      connectTimeoutMs: config.connectTimeoutMs,
    });
    return {
      config,
      store,
      vault,
      apiKeys,
      egress,
      registry,
      integrations,
      close: () => store.close(),
    };
  } catch (e) {
    await store.close();
    throw e;
  }
}
