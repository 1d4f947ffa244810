/**
 * Prometheus metrics of one server process (prom-client), served at GET /api/v1/metrics to a key
 * holding `metrics:read`. Labels are route patterns, skill types, provider kinds and error codes:
 * never an id, a path as sent, or anything of an organization's data.
 */
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';

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

interface Series {
  labels: Record<string, string>;
  buckets: number[];
  sum: number;
  count: number;
}

/**
 * A histogram on the request path: prom-client's validates and hashes the labels on every
 * observation (a few µs, twice per invoke); here a caller keeps its series and observing is a
 * bucket walk. Rendered by prom-client's registry like any of its own metrics.
 */
class FastHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly series = new Map<string, Series>();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly bounds: number[],
  ) {}

  /** The series of these labels (created on first use); keep it and pass it to observe(). */
  seriesOf(key: string, labels: Record<string, string>): Series {
    let s = this.series.get(key);
    if (!s) {
      s = { labels, buckets: new Array(this.bounds.length).fill(0), sum: 0, count: 0 };
      this.series.set(key, s);
    }
    return s;
  }

  observe(s: Series, value: number): void {
    const { bounds } = this;
    for (let i = 0; i < bounds.length; i++) {
      if (value <= bounds[i]) {
        s.buckets[i]++;
        break;
      }
    }
    s.sum += value;
    s.count++;
  }

  get() {
    const values: { metricName: string; labels: Record<string, string | number>; value: number }[] = [];
    for (const s of this.series.values()) {
      let cumulative = 0;
      this.bounds.forEach((le, i) => {
        cumulative += s.buckets[i];
        values.push({ metricName: `${this.name}_bucket`, labels: { ...s.labels, le }, value: cumulative });
      });
      values.push({ metricName: `${this.name}_bucket`, labels: { ...s.labels, le: '+Inf' }, value: s.count });
      values.push({ metricName: `${this.name}_sum`, labels: s.labels, value: s.sum });
      values.push({ metricName: `${this.name}_count`, labels: s.labels, value: s.count });
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }
}

export class Metrics {
  readonly registry = new Registry();
  private readonly requests: FastHistogram;
  private readonly invokes: FastHistogram;
  private readonly providerErrors: Counter<'skill_type' | 'code'>;
  private readonly refreshes: Counter<'provider' | 'outcome'>;
  private readonly poolSources: (() => PoolUsage[])[] = [];

  constructor() {
    const registers = [this.registry];
    // Process CPU, memory, GC, handles and the event-loop delay (p50/p90/p99 from monitorEventLoopDelay).
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 10 });
    this.requests = new FastHistogram(
      'flowyte_http_request_duration_seconds',
      'HTTP requests by method, route pattern and status class',
      SECONDS,
    );
    this.invokes = new FastHistogram(
      'flowyte_invoke_duration_seconds',
      'Skill invocations (the provider call included) by skill type and outcome',
      SECONDS,
    );
    // prom-client's registry renders any object with its metrics' shape.
    this.registry.registerMetric(this.requests as never);
    this.registry.registerMetric(this.invokes as never);
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

  /** Called once per request a route matched; `route` is its pattern. */
  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const statusClass =
      status < 200 ? '1xx' : status < 300 ? '2xx' : status < 400 ? '3xx' : status < 500 ? '4xx' : '5xx';
    const series = this.requests.seriesOf(`${method} ${route} ${statusClass}`, {
      method,
      route,
      status: statusClass,
    });
    this.requests.observe(series, seconds);
  }

  observeInvoke(skillType: string, errorCode: string | null, seconds: number): void {
    const outcome = errorCode ? 'error' : 'ok';
    this.invokes.observe(
      this.invokes.seriesOf(`${skillType} ${outcome}`, { skill_type: skillType, outcome }),
      seconds,
    );
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
