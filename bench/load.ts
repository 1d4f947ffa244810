/**
 * `npm run load`: invokes of three skills under sustained load, on the embedded store and on
 * PostgreSQL — a SQL read (pagila on the local PostgreSQL), an http_webhook (a receiver in its own
 * process) and Google Calendar's check_availability (the Google fake in its own process, connected
 * through the real OAuth dance) — each at 50 and 200 concurrent connections (autocannon, closed
 * loop) for 60 s. Prints throughput, p50/p99, the error rate, and the server's event-loop delay p99
 * over the run (from its /metrics).
 *
 *   npm run load -- --duration 10 --concurrency 50 --store sqlite --scenario webhook,sql
 *
 * Not part of `npm run bench` (it exports no run()): at its defaults it takes about 13 minutes.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { loadConfig } from '../src/config.ts';
import { createServices } from '../src/services.ts';
import { startFakeProcess } from './google.ts';
import {
  apiCaller,
  cpuMs,
  lookupSkill,
  type ServerProcess,
  startServerProcess,
} from './support/server-process.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const PG_ADMIN = { host: '127.0.0.1', port: 5432, user: 'postgres' };
const EMAIL = 'bench@example.com';
const TZ = 'America/New_York';
const DAY = '2030-03-11';
const SCENARIOS = ['sql', 'webhook', 'calendar'] as const;
type Scenario = (typeof SCENARIOS)[number];

interface Options {
  durationS: number;
  concurrency: number[];
  stores: ('sqlite' | 'postgres')[];
  scenarios: Scenario[];
}

function options(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      duration: { type: 'string', default: '60' },
      concurrency: { type: 'string', default: '50,200' },
      store: { type: 'string', default: 'sqlite,postgres' },
      scenario: { type: 'string', default: SCENARIOS.join(',') },
    },
  });
  const list = (s: string) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
  const durationS = Number(values.duration);
  if (!(durationS >= 1)) throw new Error('--duration takes seconds (at least 1)');
  const stores = list(values.store);
  const scenarios = list(values.scenario);
  for (const s of stores) if (s !== 'sqlite' && s !== 'postgres') throw new Error(`unknown store ${s}`);
  for (const s of scenarios)
    if (!(SCENARIOS as readonly string[]).includes(s)) throw new Error(`unknown scenario ${s}`);
  return {
    durationS,
    concurrency: list(values.concurrency).map(Number),
    stores: stores as Options['stores'],
    scenarios: scenarios as Scenario[],
  };
}

async function pgAdmin(sql: string): Promise<void> {
  const c = new pg.Client({ ...PG_ADMIN, database: 'postgres' });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

async function startEcho(): Promise<{ port: number; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'support/echo-process.ts')], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m) => resolve(m as number));
    child.once('exit', (code) => reject(new Error(`echo receiver exited with ${code}`)));
  });
  return { port, child };
}

interface Target {
  label: Scenario;
  path: string;
  body: string;
}

/** One agent with the three tools, published; the Calendar connection made through OAuth. */
async function provision(
  server: ServerProcess,
  auth: Record<string, string>,
  hookPort: number,
  scenarios: Scenario[],
): Promise<Target[]> {
  const call = apiCaller(server.url, auth);
  const agent = (await call('POST', '/api/v1/agents', { name: 'load' })).id;
  const targets: Target[] = [];
  const tool = (label: Scenario, name: string, args: unknown) =>
    targets.push({
      label,
      path: `/api/v1/agents/${agent}/tools/${name}/invoke`,
      body: JSON.stringify({ arguments: args }),
    });
  if (scenarios.includes('sql')) {
    await call('POST', '/api/v1/integrations/postgres/connect', {
      credentials: { ...PG_ADMIN, database: 'pagila', password: 'x', sslmode: 'disable' },
    });
    await call('POST', '/api/v1/integrations/postgres/discover', {});
    await call('POST', `/api/v1/agents/${agent}/integrations/postgres/bindings`, {
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
    tool('sql', 'find_customer', { caller_last_name: 'SMITH' });
  }
  if (scenarios.includes('webhook')) {
    await call('POST', `/api/v1/agents/${agent}/skills`, lookupSkill(hookPort));
    tool('webhook', 'lookup', { caller_phone: '+15555550100' });
  }
  if (scenarios.includes('calendar')) {
    const { oauthUrl } = await call('POST', '/api/v1/integrations/google_calendar/connect', {});
    const consent = new URL(oauthUrl);
    consent.searchParams.set('decision', 'allow');
    consent.searchParams.set('account', EMAIL);
    const back = (await fetch(consent, { redirect: 'manual' })).headers.get('location')!;
    const done = await fetch(back.replace(new URL(back).origin, server.url));
    if (!done.ok) throw new Error(`OAuth callback answered ${done.status}`);
    const [{ skill }] = await call('POST', `/api/v1/agents/${agent}/integrations/google_calendar/provision`, {
      actions: ['check_availability'],
    });
    await call('PATCH', `/api/v1/agents/${agent}/skills/${skill.id}`, {
      executionConfig: { time_zone: TZ, business_hours: 'Mon-Fri 09:00-17:00' },
    });
    tool('calendar', 'check_availability', {
      date: DAY,
      window_start: null,
      window_end: null,
      duration_minutes: null,
    });
  }
  await call('POST', `/api/v1/agents/${agent}/publish`, {});
  for (const t of targets) await call('POST', t.path, JSON.parse(t.body)); // each works once
  return targets;
}

/** The server's event-loop delay p99 since the previous scrape (prom-client resets it per scrape). */
async function loopDelayP99Ms(server: ServerProcess, auth: Record<string, string>): Promise<number> {
  const text = await (await fetch(`${server.url}/api/v1/metrics`, { headers: auth })).text();
  const m = /^nodejs_eventloop_lag_p99_seconds (\S+)$/m.exec(text);
  return m ? Number(m[1]) * 1000 : Number.NaN;
}

interface Row {
  store: string;
  scenario: string;
  connections: number;
  rps: number;
  p50: number;
  p99: number;
  errorRate: number;
  loopP99: number;
  cpuUs: number;
}

const pad = (s: string | number, n: number) => String(s).padStart(n);
const printRow = (r: Row) =>
  console.log(
    `| ${r.store.padEnd(8)} | ${r.scenario.padEnd(8)} | ${pad(r.connections, 4)} | ${pad(r.rps.toFixed(0), 6)} | ${pad(r.p50.toFixed(1), 6)} | ${pad(r.p99.toFixed(1), 6)} | ${pad((r.errorRate * 100).toFixed(2), 6)} % | ${pad(r.loopP99.toFixed(1), 11)} | ${pad(r.cpuUs.toFixed(0), 10)} |`,
  );

async function loadStore(
  store: 'sqlite' | 'postgres',
  opts: Options,
  env: Record<string, string>,
  hookPort: number,
) {
  const dbName = `flowyte_load_${randomBytes(4).toString('hex')}`;
  const storeEnv: Record<string, string> =
    store === 'postgres'
      ? {
          DATABASE_URL: `postgres://${PG_ADMIN.user}@${PG_ADMIN.host}:${PG_ADMIN.port}/${dbName}`,
          FLOWYTE_MASTER_KEY: randomBytes(32).toString('base64'),
        }
      : {};
  if (store === 'postgres') await pgAdmin(`create database ${dbName}`);
  const server = await startServerProcess({ ...env, ...storeEnv });
  try {
    const services = await createServices(loadConfig({ FLOWYTE_DATA_DIR: server.dataDir, ...storeEnv }));
    const { key } = await services.apiKeys.create({
      orgName: 'load',
      scopes: ['integrations:write', 'agents:write', 'skills:write', 'skills:invoke', 'metrics:read'],
    });
    await services.close();
    const auth = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    const targets = await provision(server, auth, hookPort, opts.scenarios);
    for (const t of targets) {
      const base = { url: server.url + t.path, method: 'POST', headers: auth, body: t.body, pipelining: 1 };
      await autocannon({ ...base, connections: 50, duration: 2 }); // warm-up: JIT, pools, caches
      for (const connections of opts.concurrency) {
        await loopDelayP99Ms(server, auth); // starts the delay window afresh
        const cpuBefore = cpuMs(server.child.pid!);
        const r = await autocannon({ ...base, connections, duration: opts.durationS });
        const cpu = cpuMs(server.child.pid!) - cpuBefore;
        const loopP99 = await loopDelayP99Ms(server, auth);
        const failed = r.non2xx + r.errors;
        printRow({
          store,
          scenario: t.label,
          connections,
          rps: r.requests.average,
          p50: r.latency.p50,
          p99: r.latency.p99,
          errorRate: failed / Math.max(1, r.requests.total + r.errors),
          loopP99,
          cpuUs: (cpu * 1000) / Math.max(1, r.requests.total),
        });
      }
    }
  } finally {
    await server.stop();
    if (store === 'postgres') await pgAdmin(`drop database if exists ${dbName} with (force)`).catch(() => {});
  }
}

export async function main(argv: string[]): Promise<void> {
  const opts = options(argv);
  console.log(
    `# npm run load — node ${process.version}, ${new Date().toISOString()}, ${opts.durationS} s per run`,
  );
  const echo = await startEcho();
  const fake = opts.scenarios.includes('calendar') ? await startFakeProcess() : null;
  const env: Record<string, string> = {
    FLOWYTE_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8',
    FLOWYTE_SQL_ALLOW_PLAINTEXT: 'true',
  };
  if (fake)
    Object.assign(env, {
      FLOWYTE_PUBLIC_URL: 'https://flowyte.load.example',
      GOOGLE_CLIENT_ID: 'bench-client',
      GOOGLE_CLIENT_SECRET: 'bench-secret',
      FLOWYTE_GOOGLE_AUTH_URL: `${fake.url}/o/oauth2/v2/auth`,
      FLOWYTE_GOOGLE_TOKEN_URL: `${fake.url}/token`,
      FLOWYTE_GOOGLE_REVOKE_URL: `${fake.url}/revoke`,
      FLOWYTE_GOOGLE_API_URL: fake.url,
    });
  // CPU µs/request: the server process's own CPU time per answered request, which holds steady when
  // other work on the machine steals cycles (throughput and latency do not).
  console.log(
    '| store    | skill    | conn |  req/s | p50 ms | p99 ms |   errors | loop p99 ms | CPU µs/req |',
  );
  console.log(
    '|----------|----------|------|--------|--------|--------|----------|-------------|------------|',
  );
  try {
    for (const store of opts.stores) await loadStore(store, opts, env, echo.port);
  } finally {
    echo.child.kill('SIGTERM');
    fake?.child.kill('SIGTERM');
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await main(process.argv.slice(2));
