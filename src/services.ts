/** Wires config → store → services. The HTTP app, the CLI and the tests all start from here. */

import type { Config } from './config.ts';
import { ApiKeys } from './core/access/index.ts';
import { Agents, LivePointers, Versions } from './core/agents/index.ts';
import { Automap } from './core/automap/index.ts';
import { Bindings, SkillReview } from './core/bindings/index.ts';
import {
  type Clock,
  connectionAad,
  Discovery,
  Integrations,
  OAuth,
  systemClock,
} from './core/connections/index.ts';
import { CallReplays, Confirmations, ModelCalls, RateCounter, Runtime } from './core/runtime/index.ts';
import { RunOnce } from './core/shared/index.ts';
import { Packs, Provisioning, SkillExecutor, SkillKinds } from './core/skills/index.ts';
import { nowIso } from './ids.ts';
import { Metrics } from './metrics.ts';
import { defaultProviders } from './providers/catalog.ts';
import { ProviderRegistry } from './providers/registry.ts';
import type { ProviderModule } from './providers/types.ts';
import { EgressPolicy } from './security/egress.ts';
import { Vault } from './security/vault.ts';
import { purgeConfirmations } from './store/confirmations.ts';
import { openStore, type Store } from './store/db.ts';
import { IDEMPOTENCY_TTL_MS, purgeIdempotencyKeys } from './store/idempotency.ts';
import { purgeExpiredLeases } from './store/leases.ts';
import { disableSkillsOfKind } from './store/skills.ts';

export interface Services {
  config: Config;
  store: Store;
  vault: Vault;
  apiKeys: ApiKeys;
  egress: EgressPolicy;
  registry: ProviderRegistry;
  integrations: Integrations;
  oauth: OAuth;
  discovery: Discovery;
  agents: Agents;
  versions: Versions;
  provisioning: Provisioning;
  packs: Packs;
  runtime: Runtime;
  modelCalls: ModelCalls;
  /** Writes run once per key: HTTP Idempotency-Key and MCP tool calls. */
  runOnce: RunOnce;
  skillReview: SkillReview;
  bindings: Bindings;
  automap: Automap;
  rateCounter: RateCounter;
  metrics: Metrics;
  close(): Promise<void>;
}

export interface ServiceOptions {
  /** Replaces the provider list (tests register extra, test-only providers). */
  providers?: ProviderModule[];
  /** The clock of OAuth states and token expiry (tests move it forward). */
  clock?: Clock;
}

export async function createServices(config: Config, opts: ServiceOptions = {}): Promise<Services> {
  const store = await openStore(config);
  try {
    const vault = await Vault.open(store, config);
    const apiKeys = await ApiKeys.open(store, vault);
    apiKeys.watchRevocations();
    const egress = new EgressPolicy(config.allowPrivateNetworks);
    const registry = new ProviderRegistry(opts.providers ?? defaultProviders());
    const metrics = new Metrics();
    metrics.addPoolSource(() => {
      const usage = store.poolUsage ? [{ pool: 'store', pools: 1, ...store.poolUsage() }] : [];
      for (const p of registry.list()) if (p.poolUsage) usage.push({ pool: p.kind, ...p.poolUsage() });
      return usage;
    });
    const oauth = new OAuth(
      {
        store,
        vault,
        registry,
        apps: config.oauthApps,
        timeoutMs: config.connectTimeoutMs,
        publicUrl: config.publicUrl,
        clock: opts.clock ?? systemClock,
        onRefresh: (kind, outcome) => metrics.tokenRefreshed(kind, outcome),
      },
      (orgId, kind, creds, label) => integrations.saveOAuthConnection(orgId, kind, creds, label),
      connectionAad,
    );
    const integrations: Integrations = new Integrations({
      store,
      vault,
      registry,
      egress,
      allowPlaintextSql: config.sqlAllowPlaintext,
      connectTimeoutMs: config.connectTimeoutMs,
      endpoints: {
        googleApiUrl: config.google.apiUrl,
        shopifyApiUrl: config.shopifyApiUrl,
        shopifyApiVersion: config.shopifyApiVersion,
      },
      oauth,
    });
    // Disconnecting never deletes skills, but the draft skills that relied on it stop being offered.
    integrations.onDisconnect((orgId, kind) => disableSkillsOfKind(store, orgId, kind, nowIso()));
    const discovery = new Discovery(store, integrations);
    const kinds = new SkillKinds(vault, registry, egress);
    const pointers = new LivePointers(store);
    const agents = new Agents(store, kinds, pointers);
    const versions = new Versions(store, agents, pointers);
    const provisioning = new Provisioning(agents, integrations);
    const packs = new Packs(agents, integrations, provisioning);
    const skillReview = new SkillReview(store, discovery);
    const runtime = new Runtime(
      store,
      agents,
      versions,
      new SkillExecutor(integrations, kinds, egress, skillReview),
      pointers,
      skillReview,
      undefined,
      (type, code, seconds) => metrics.observeInvoke(type, code, seconds),
    );
    const runOnce = new RunOnce(store, vault);
    const modelCalls = new ModelCalls(runtime, new Confirmations(store), new CallReplays(runOnce));
    const bindings = new Bindings(agents, discovery);
    const rateCounter = new RateCounter(config.rateLimitPerMinute, store);
    // Idempotency records live 24 h; sweep them hourly (and once at start), with the leases of
    // holders that died without releasing them.
    const sweep = () =>
      Promise.all([
        purgeIdempotencyKeys(store, new Date(Date.now() - IDEMPOTENCY_TTL_MS)),
        purgeExpiredLeases(store, nowIso()),
        purgeConfirmations(store, nowIso()),
      ]).catch(() => {});
    void sweep();
    const sweeper = setInterval(sweep, 3_600_000);
    sweeper.unref();
    return {
      bindings,
      automap: new Automap(bindings, config.automapLlm, config.automapMinConfidence),
      config,
      store,
      vault,
      apiKeys,
      egress,
      registry,
      integrations,
      oauth,
      discovery,
      agents,
      versions,
      provisioning,
      packs,
      runtime,
      modelCalls,
      runOnce,
      skillReview,
      rateCounter,
      metrics,
      close: async () => {
        clearInterval(sweeper);
        apiKeys.stopWatching();
        // Hand this instance's last counts to the others before the store closes.
        await rateCounter.settle().catch(() => {});
        rateCounter.close();
        await runtime.log.flush();
        // Claims the store missed while it was away get one more try before it closes.
        await runOnce.close();
        await store.close();
      },
    };
  } catch (e) {
    await store.close();
    throw e;
  }
}
