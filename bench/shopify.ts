/**
 * Shopify benchmark (issue 9): (1) the Admin 2026-10 introspection (the real schema the fake
 * serves) parsed and normalized into the catalog, against parsing alone as the baseline — target
 * ≤ 500 ms; (2) invoke of a published check_inventory preset against the Shopify fake, versus
 * posting the same GraphQL document to the fake directly — target: added p50 ≤ 1 ms. Server, fake
 * and load generator are three processes.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadConfig } from '../src/config.ts';
import { normalizeIntrospection } from '../src/providers/shopify/discover.ts';
import { createShopifyFake, loadAdminIntrospection } from '../src/sandbox/shopify/index.ts';
import { createServices } from '../src/services.ts';
import { fmt, runLoad } from './support/load.ts';
import { apiCaller, startServerProcess } from './support/server-process.ts';

const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 5000);
const ROUNDS = 7;
const INVENTORY_QUERY = `query FlowyteInventory($q: String!) { productVariants(first: 5, query: $q) { nodes {
      sku displayName title product { title }
      inventoryItem { tracked inventoryLevels(first: 10) { nodes { location { name } quantities(names: ["available"]) { name quantity } } } } } } }`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function normalizeBench(): void {
  const text = JSON.stringify({ data: { __schema: loadAdminIntrospection().__schema } });
  const parse: number[] = [];
  const total: number[] = [];
  let counts = '';
  for (let i = 0; i < ROUNDS; i++) {
    const t0 = performance.now();
    const parsed = JSON.parse(text);
    const t1 = performance.now();
    const schema = normalizeIntrospection(parsed.data.__schema);
    const t2 = performance.now();
    parse.push(t1 - t0);
    total.push(t2 - t0);
    counts = `${schema.objects.length} objects, ${schema.objects.reduce((n, o) => n + o.fields.length, 0)} fields, ${schema.relationships.length} relationships, ${schema.operations.length} operations`;
  }
  console.log(`  introspection ${(text.length / 1e6).toFixed(1)} MB → ${counts}`);
  console.log(`  parse alone      median ${fmt(median(parse), 0)} ms (baseline)`);
  console.log(
    `  parse+normalize  median ${fmt(median(total), 0)} ms (target ≤ 500)  ratio ${fmt(median(total) / median(parse))}×`,
  );
}

/** Child mode: the fake alone in its process, answering with its URL and the demo shop. */
async function serveFake(): Promise<void> {
  const fake = createShopifyFake();
  const shop = fake.seedDemoShop();
  const { url } = await fake.listen();
  // The bench measures latency, not Shopify's cost budget.
  setInterval(() => fake.faults.reset(), 200).unref();
  process.send!({ url, token: shop.accessToken, domain: shop.domain, sku: shop.products[0].variants[0].sku });
}

async function startFakeProcess() {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
    env: { ...process.env, BENCH_SHOPIFY_FAKE: '1' },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const info = await new Promise<{ url: string; token: string; domain: string; sku: string }>(
    (resolve, reject) => {
      child.once('message', (m) => resolve(m as never));
      child.once('exit', (code) => reject(new Error(`shopify fake exited with ${code}`)));
    },
  );
  return { ...info, child };
}

export async function run(): Promise<void> {
  console.log('\n## shopify (issue 9): introspection → normalized schema');
  normalizeBench();
  console.log('\n## shopify (issue 9): check_inventory invoke vs the fake directly');
  const fake = await startFakeProcess();
  const server = await startServerProcess({
    FLOWYTE_SHOPIFY_API_URL: `${fake.url}/{shop}`,
    FLOWYTE_ALLOW_PRIVATE_NETWORKS: '127.0.0.1/32',
  });
  try {
    const services = await createServices(loadConfig({ FLOWYTE_DATA_DIR: server.dataDir }));
    const scopes = ['integrations:write', 'agents:write', 'skills:write', 'skills:invoke'];
    const { key } = await services.apiKeys.create({ orgName: 'bench', scopes });
    await services.close();
    const auth = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    const call = apiCaller(server.url, auth);
    await call('POST', '/api/v1/integrations/shopify/connect', {
      credentials: { shop: fake.domain, access_token: fake.token },
    });
    const agent = (await call('POST', '/api/v1/agents', { name: 'bench' })).id;
    await call('POST', `/api/v1/agents/${agent}/integrations/shopify/pack/install`, {
      presets: ['check_inventory'],
    });
    await call('POST', `/api/v1/agents/${agent}/publish`, {});
    const args = { sku: fake.sku };
    const check = await call('POST', `/api/v1/agents/${agent}/tools/check_inventory/invoke`, {
      arguments: args,
    });
    console.log(`  sanity: ${fake.sku} → ${check.result.variants[0]?.totalAvailable} available`);
    const direct = {
      method: 'POST',
      path: `/${fake.domain}/admin/api/2026-10/graphql.json`,
      headers: { 'x-shopify-access-token': fake.token, 'content-type': 'application/json' },
      body: JSON.stringify({ query: INVENTORY_QUERY, variables: { q: `sku:"${fake.sku}"` } }),
    };
    const invoke = {
      method: 'POST',
      path: `/api/v1/agents/${agent}/tools/check_inventory/invoke`,
      headers: auth,
      body: JSON.stringify({ arguments: args }),
    };
    for (const concurrency of [1, 10]) {
      const d = await runLoad(fake.url, { ...direct, concurrency, durationMs: DURATION_MS });
      const i = await runLoad(server.url, { ...invoke, concurrency, durationMs: DURATION_MS });
      console.log(`check_inventory, ${concurrency} concurrent caller(s):`);
      console.log(
        `  direct   p50 ${fmt(d.p50)} ms  p99 ${fmt(d.p99)} ms  ${fmt(d.rps, 0)} req/s  errors ${d.errors}`,
      );
      console.log(
        `  invoke   p50 ${fmt(i.p50)} ms  p99 ${fmt(i.p99)} ms  ${fmt(i.rps, 0)} req/s  errors ${i.errors}`,
      );
      const target = concurrency === 1 ? ' (target ≤ 1)' : ' (reference)';
      console.log(
        `  added    p50 ${fmt(i.p50 - d.p50)} ms${target}  p99 ${fmt(i.p99 - d.p99)} ms  ratio ${fmt(i.p50 / d.p50)}×`,
      );
    }
  } finally {
    await server.stop();
    fake.child.kill('SIGTERM');
  }
}

if (process.env.BENCH_SHOPIFY_FAKE === '1') await serveFake();
else if (import.meta.url === pathToFileURL(process.argv[1]).href) await run();
