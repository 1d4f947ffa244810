/**
 * SQL bindings benchmark (issue 5): invoke of a Pagila read binding over HTTP (server in a child
 * process) versus the very statement the binding compiled to, sent with `pg` on a warm pool of the
 * same size, in the same run, 50 concurrent callers. Reports the added p50 and p99.
 *
 * Two shapes of load. Closed loop (each caller sends again as soon as answered) measures saturation:
 * on a small machine both sides queue, and the invoke side's latency is mostly its own throughput
 * limit times 50 waiting callers, not per-call overhead. A fixed offered rate (the default 500 req/s
 * in total) is how phone agents actually call; there the difference is what a caller hears.
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { loadConfig } from '../src/config.ts';
import type { CompiledSql } from '../src/providers/sql-common/compile-plan.ts';
import { createServices } from '../src/services.ts';
import { startBareSql } from './support/bare-process.ts';
import { fmt, type LoadResult, runAtRate, runLoad } from './support/load.ts';
import { cpuMs, startServerProcess } from './support/server-process.ts';

const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 5000);
const CONCURRENCY = 50;
const RATE = Number(process.env.BENCH_RATE ?? 500);
const PG_CONN = { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'pagila' };
// Both sides ask for the same customer, so they fetch and ship the same rows.
const NAME = 'SMITH';

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

function summarize(latencies: number[], errors: number, elapsed: number): LoadResult {
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    rps: (latencies.length / elapsed) * 1000,
    p50: percentile(latencies, 50),
    p90: percentile(latencies, 90),
    p99: percentile(latencies, 99),
    errors,
  };
}

/** The direct baseline: the compiled statement on a warm pg pool, closed loop or at a fixed rate. */
async function direct(pool: pg.Pool, compiled: CompiledSql, rate: number | null): Promise<LoadResult> {
  // A named prepared statement, as the executor sends it: the baseline is pg at its best.
  const query = () => pool.query({ name: 'bench', text: compiled.sql, values: [NAME], rowMode: 'array' });
  for (let i = 0; i < 200; i++) await query();
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const until = started + DURATION_MS;
  const interval = rate ? (CONCURRENCY / rate) * 1000 : 0;
  const caller = async (i: number) => {
    let next = started + (interval * i) / CONCURRENCY;
    while ((rate ? next : performance.now()) < until) {
      if (rate) {
        const wait = next - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        next += interval;
      }
      const t0 = performance.now();
      try {
        await query();
      } catch {
        errors++;
      }
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, i) => caller(i)));
  return summarize(latencies, errors, performance.now() - started);
}

export async function run(): Promise<void> {
  console.log('\n## SQL bindings: invoke vs direct pg (issue 5)');
  const server = await startServerProcess({
    FLOWYTE_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8',
    FLOWYTE_SQL_ALLOW_PLAINTEXT: 'true',
  });
  const pool = new pg.Pool({ ...PG_CONN, max: 10 });
  try {
    const setup = await createServices(loadConfig({ FLOWYTE_DATA_DIR: server.dataDir }));
    const { key } = await setup.apiKeys.create({
      orgName: 'bench-sql',
      scopes: ['integrations:write', 'agents:write', 'skills:write', 'skills:invoke'],
    });
    const auth = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    const post = async (p: string, body: unknown) => {
      const res = await fetch(server.url + p, { method: 'POST', headers: auth, body: JSON.stringify(body) });
      if (res.status >= 300) throw new Error(`${p}: ${res.status} ${await res.text()}`);
      return (await res.json()) as any;
    };
    await post('/api/v1/integrations/postgres/connect', {
      credentials: { ...PG_CONN, password: 'x', sslmode: 'disable' },
    });
    await post('/api/v1/integrations/postgres/discover', {});
    const agent = (await post('/api/v1/agents', { name: 'bench' })).data.id;
    const bound = await post(`/api/v1/agents/${agent}/integrations/postgres/bindings`, {
      toolName: 'find_customer',
      operation: 'customer.search_by_last_name',
      inputs: [{ param: 'caller_last_name', arg: 'last_name' }],
      projection: [
        { path: ['first_name'] },
        { path: ['email'] },
        { path: ['address', 'phone'], as: 'phone' },
      ],
      enabled: true,
    });
    await post(`/api/v1/agents/${agent}/publish`, {});
    // The statement the skill froze, read from the store: the baseline runs exactly that.
    const row = await setup.store.db
      .selectFrom('skills')
      .select('compiled')
      .where('id', '=', bound.data.id)
      .executeTakeFirstOrThrow();
    const compiled = JSON.parse(row.compiled!) as CompiledSql;
    await setup.close();

    const invokeLoad = {
      method: 'POST',
      path: `/api/v1/agents/${agent}/tools/find_customer/invoke`,
      headers: auth,
      body: JSON.stringify({ arguments: { caller_last_name: NAME } }),
    };
    const report = (label: string, d: LoadResult, i: LoadResult) => {
      console.log(label);
      console.log(
        `  direct pg  p50 ${fmt(d.p50)} ms  p99 ${fmt(d.p99)} ms  ${fmt(d.rps, 0)} q/s  errors ${d.errors}`,
      );
      console.log(
        `  invoke     p50 ${fmt(i.p50)} ms  p99 ${fmt(i.p99)} ms  ${fmt(i.rps, 0)} req/s  errors ${i.errors}`,
      );
      console.log(
        `  added      p50 ${fmt(i.p50 - d.p50)} ms (target ≤ 1)  p99 ${fmt(i.p99 - d.p99)} ms (target ≤ 5)`,
      );
    };
    report(
      `${CONCURRENCY} concurrent callers at ${RATE} req/s in total (what a fleet of phone agents offers):`,
      await direct(pool, compiled, RATE),
      await runAtRate(server.url, {
        ...invokeLoad,
        concurrency: CONCURRENCY,
        durationMs: DURATION_MS,
        ratePerSecond: RATE,
      }),
    );
    const saturated = { concurrency: CONCURRENCY, durationMs: DURATION_MS };
    const directMax = await direct(pool, compiled, null);
    const cpuBefore = cpuMs(server.child.pid!);
    const invokeMax = await runLoad(server.url, { ...invokeLoad, ...saturated });
    const cpuPerInvoke = ((cpuMs(server.child.pid!) - cpuBefore) * 1000) / invokeMax.requests;
    report(
      `${CONCURRENCY} concurrent callers, closed loop (saturation: mostly queueing on this machine):`,
      directMax,
      invokeMax,
    );
    // The floor of the stack: the same statement behind a bare Fastify route, none of our work.
    const bare = await startBareSql(compiled.sql, PG_CONN);
    const floorMax = await runLoad(bare.url, { ...invokeLoad, path: '/query', ...saturated });
    await bare.stop();
    console.log(
      `  floor      p50 ${fmt(floorMax.p50)} ms  p99 ${fmt(floorMax.p99)} ms  ${fmt(floorMax.rps, 0)} req/s  errors ${floorMax.errors}  (bare Fastify route, same statement)`,
    );
    console.log(
      `  ratio      invoke/direct ${fmt(invokeMax.rps / directMax.rps)} (target ≥ 0.4)  floor/direct ${fmt(floorMax.rps / directMax.rps)}  invoke/floor ${fmt(invokeMax.rps / floorMax.rps)}`,
    );
    console.log(`  server CPU per invoke ${fmt(cpuPerInvoke, 0)} µs (its worker thread included)`);
  } finally {
    await pool.end();
    await server.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await run();
