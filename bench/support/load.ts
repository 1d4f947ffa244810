/**
 * A small closed-loop load generator: N concurrent callers on keep-alive connections, each sending
 * the next request as soon as its last one answered. Reports latency percentiles and throughput.
 */
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';

export interface LoadOptions {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  concurrency: number;
  durationMs: number;
  warmupMs?: number;
}

export interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  errors: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** One request: its latency, and whether it answered below 400. */
async function sendOne(pool: Pool, opts: LoadOptions): Promise<{ ms: number; ok: boolean }> {
  const t0 = performance.now();
  try {
    const res = await pool.request({
      method: (opts.method ?? 'GET') as any,
      path: opts.path,
      headers: opts.headers,
      body: opts.body,
    });
    await res.body.dump();
    return { ms: performance.now() - t0, ok: res.statusCode < 400 };
  } catch {
    return { ms: performance.now() - t0, ok: false };
  }
}

async function phase(pool: Pool, opts: LoadOptions, durationMs: number, record: boolean) {
  const latencies: number[] = [];
  let errors = 0;
  const until = performance.now() + durationMs;
  const worker = async () => {
    while (performance.now() < until) {
      const { ms, ok } = await sendOne(pool, opts);
      if (!ok) errors++;
      if (record) latencies.push(ms);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  return { latencies, errors, elapsed: performance.now() - started };
}

/**
 * The same callers at a fixed offered rate: each of `concurrency` callers sends one request every
 * concurrency/rate seconds. A phone agent's tool calls arrive like this, not as a saturating flood,
 * so this is where per-call overhead is visible instead of queueing.
 */
export async function runAtRate(
  origin: string,
  opts: LoadOptions & { ratePerSecond: number },
): Promise<LoadResult> {
  const pool = new Pool(origin, { connections: opts.concurrency, pipelining: 1 });
  const interval = (opts.concurrency / opts.ratePerSecond) * 1000;
  const latencies: number[] = [];
  let errors = 0;
  try {
    await phase(pool, { ...opts, concurrency: Math.min(opts.concurrency, 4) }, opts.warmupMs ?? 500, false);
    const started = performance.now();
    const until = started + opts.durationMs;
    const caller = async (i: number) => {
      let next = started + (interval * i) / opts.concurrency;
      while (next < until) {
        const wait = next - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const { ms, ok } = await sendOne(pool, opts);
        if (!ok) errors++;
        latencies.push(ms);
        next += interval;
      }
    };
    await Promise.all(Array.from({ length: opts.concurrency }, (_, i) => caller(i)));
    const elapsed = performance.now() - started;
    latencies.sort((a, b) => a - b);
    return {
      requests: latencies.length,
      rps: (latencies.length / elapsed) * 1000,
      p50: percentile(latencies, 50),
      p90: percentile(latencies, 90),
      p99: percentile(latencies, 99),
      errors,
    };
  } finally {
    await pool.close();
  }
}

export async function runLoad(origin: string, opts: LoadOptions): Promise<LoadResult> {
  const pool = new Pool(origin, { connections: opts.concurrency, pipelining: 1 });
  try {
    await phase(pool, opts, opts.warmupMs ?? 500, false);
    const { latencies, errors, elapsed } = await phase(pool, opts, opts.durationMs, true);
    latencies.sort((a, b) => a - b);
    return {
      requests: latencies.length,
      rps: (latencies.length / elapsed) * 1000,
      p50: percentile(latencies, 50),
      p90: percentile(latencies, 90),
      p99: percentile(latencies, 99),
      errors,
    };
  } finally {
    await pool.close();
  }
}

export const fmt = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
