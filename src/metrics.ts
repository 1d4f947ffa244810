/**
 * Prometheus metrics of one server process (prom-client), served at GET /api/v1/metrics to a key
 * holding `metrics:read`. Labels are route patterns, skill types, provider kinds and error codes:
 * never an id, a path as sent, or anything of an organization's data.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Connection pool figures, read when scraped. */
export interface PoolUsage {
  /** Which pool: `store`, or a provider kind (`postgres`, `mysql`). */
  pool: string;
  /** Open pools of this kind (1 for the store). */
  pools: number;
  total: number;
  idle: number;
  waiting: number;
}

const SECONDS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class Metrics {
  readonly registry = new Registry();
  private readonly requests: Histogram<'method' | 'route' | 'status'>;
  private readonly invokes: Histogram<'skill_type' | 'outcome'>;
  private readonly providerErrors: Counter<'skill_type' | 'code'>;
  private readonly refreshes: Counter<'provider' | 'outcome'>;
  private readonly poolSources: (() => PoolUsage[])[] = [];
  /** Label children by key: `labels()` hashes its arguments on every call, a Map lookup does not. */
  private readonly requestChildren = new Map<string, { observe(v: number): void }>();
  private readonly invokeChildren = new Map<string, { observe(v: number): void }>();

  constructor() {
    const registers = [this.registry];
    // Process CPU, memory, GC, handles and the event-loop delay (p50/p90/p99 from monitorEventLoopDelay).
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 10 });
    this.requests = new Histogram({
      name: 'flowyte_http_request_duration_seconds',
      help: 'HTTP requests by method, route pattern and status class',
      labelNames: ['method', 'route', 'status'],
      buckets: SECONDS,
      registers,
    });
    this.invokes = new Histogram({
      name: 'flowyte_invoke_duration_seconds',
      help: 'Skill invocations (the provider call included) by skill type and outcome',
      labelNames: ['skill_type', 'outcome'],
      buckets: SECONDS,
      registers,
    });
    this.providerErrors = new Counter({
      name: 'flowyte_provider_errors_total',
      help: 'Invocations that failed at the provider or webhook, by skill type and error code',
      labelNames: ['skill_type', 'code'],
      registers,
    });
    this.refreshes = new Counter({
      name: 'flowyte_token_refreshes_total',
      help: 'Access-token renewals this process performed, by provider kind and outcome',
      labelNames: ['provider', 'outcome'],
      registers,
    });
    const sources = this.poolSources;
    const gauge = (name: string, help: string, field: keyof Omit<PoolUsage, 'pool'>) =>
      new Gauge({
        name,
        help,
        labelNames: ['pool'],
        registers,
        collect() {
          this.reset();
          for (const source of sources) for (const u of source()) this.set({ pool: u.pool }, u[field]);
        },
      });
    gauge('flowyte_pools_open', 'Open connection pools (the store, and one per SQL connection)', 'pools');
    gauge('flowyte_pool_connections', 'Connections held by the pools', 'total');
    gauge('flowyte_pool_connections_idle', 'Idle connections in the pools', 'idle');
    gauge('flowyte_pool_waiting', 'Queries waiting for a pooled connection', 'waiting');
  }

  /** Called once per request; `route` is the matched pattern (or `unmatched`). */
  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${route} ${status}`;
    let child = this.requestChildren.get(key);
    if (!child) {
      child = this.requests.labels(method, route, `${Math.floor(status / 100)}xx`);
      if (this.requestChildren.size < 5_000) this.requestChildren.set(key, child);
    }
    child.observe(seconds);
  }

  observeInvoke(skillType: string, errorCode: string | null, seconds: number): void {
    const outcome = errorCode ? 'error' : 'ok';
    const key = `${skillType} ${outcome}`;
    let child = this.invokeChildren.get(key);
    if (!child) {
      child = this.invokes.labels(skillType, outcome);
      this.invokeChildren.set(key, child);
    }
    child.observe(seconds);
    if (errorCode) this.providerErrors.labels(skillType, errorCode).inc();
  }

  tokenRefreshed(provider: string, outcome: 'ok' | 'error'): void {
    this.refreshes.labels(provider, outcome).inc();
  }

  addPoolSource(source: () => PoolUsage[]): void {
    this.poolSources.push(source);
  }

  async text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
