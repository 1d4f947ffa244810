/**
 * Runtime benchmarks (issue 3): the overhead an http_webhook skill adds over calling its endpoint
 * directly (50 concurrent callers), and GET /tools throughput against a bare Fastify route.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../src/config.ts';
import { createServices } from '../src/services.ts';
import { startBareFastify, startBareForward } from './support/bare-process.ts';
import { fmt, runAtRate, runLoad } from './support/load.ts';
import { cpuMs, lookupSkill, startServerProcess } from './support/server-process.ts';

const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 5000);
const CONCURRENCY = 50;

export async function run(): Promise<void> {
  console.log('\n## runtime (issue 3)');
  const endpoint = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, got: Buffer.concat(chunks).length }));
    });
  });
  await new Promise<void>((r) => endpoint.listen(0, '127.0.0.1', r));
  const hookPort = (endpoint.address() as AddressInfo).port;

  const dataEnv = { FLOWYTE_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8' };
  const server = await startServerProcess(dataEnv);
  const services = await createServices(loadConfig({ FLOWYTE_DATA_DIR: server.dataDir }));
  const { key } = await services.apiKeys.create({
    orgName: 'bench',
    scopes: ['agents:write', 'skills:write', 'skills:invoke'],
  });
  await services.close();
  const auth = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const post = async (p: string, body: unknown) =>
    (await (
      await fetch(server.url + p, { method: 'POST', headers: auth, body: JSON.stringify(body) })
    ).json()) as any;

  const agent = (await post('/api/v1/agents', { name: 'bench' })).data.id;
  await post(`/api/v1/agents/${agent}/skills`, lookupSkill(hookPort));
  await post(`/api/v1/agents/${agent}/publish`, {});

  const args = { caller_phone: '+15555550100' };
  const directLoad = {
    method: 'POST',
    path: '/lookup',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(args),
  };
  const invokeLoad = {
    method: 'POST',
    path: `/api/v1/agents/${agent}/tools/lookup/invoke`,
    headers: auth,
    body: JSON.stringify({ arguments: args }),
  };
  const hookOrigin = `http://127.0.0.1:${hookPort}`;
  const report = (label: string, direct: Awaited<ReturnType<typeof runLoad>>, invoke: typeof direct) => {
    console.log(label);
    console.log(
      `  direct   p50 ${fmt(direct.p50)} ms  p99 ${fmt(direct.p99)} ms  ${fmt(direct.rps, 0)} req/s  errors ${direct.errors}`,
    );
    console.log(
      `  invoke   p50 ${fmt(invoke.p50)} ms  p99 ${fmt(invoke.p99)} ms  ${fmt(invoke.rps, 0)} req/s  errors ${invoke.errors}`,
    );
    console.log(
      `  added    p50 ${fmt(invoke.p50 - direct.p50)} ms (target ≤ 1)  p99 ${fmt(invoke.p99 - direct.p99)} ms (target ≤ 5)`,
    );
  };
  // At a rate a fleet of phone agents produces: the overhead a caller hears.
  const rate = Number(process.env.BENCH_RATE ?? 500);
  report(
    `invoke (http_webhook) vs direct, ${CONCURRENCY} concurrent callers at ${rate} req/s in total:`,
    await runAtRate(hookOrigin, {
      ...directLoad,
      concurrency: CONCURRENCY,
      durationMs: DURATION_MS,
      ratePerSecond: rate,
    }),
    await runAtRate(server.url, {
      ...invokeLoad,
      concurrency: CONCURRENCY,
      durationMs: DURATION_MS,
      ratePerSecond: rate,
    }),
  );
  // Saturated: every caller sends again as soon as answered, so latency is mostly queueing on 2 cores.
  const saturated = { concurrency: CONCURRENCY, durationMs: DURATION_MS };
  const directMax = await runLoad(hookOrigin, { ...directLoad, ...saturated });
  const cpuBefore = cpuMs(server.child.pid!);
  const invokeMax = await runLoad(server.url, { ...invokeLoad, ...saturated });
  const cpuPerInvoke = ((cpuMs(server.child.pid!) - cpuBefore) * 1000) / invokeMax.requests;
  report(
    `invoke (http_webhook) vs direct, ${CONCURRENCY} concurrent callers, closed loop (saturation):`,
    directMax,
    invokeMax,
  );
  // The floor of the stack: the same forward by a bare Fastify route on undici, with none of our work.
  const forward = await startBareForward(`${hookOrigin}/lookup`);
  const floorMax = await runLoad(forward.url, { ...invokeLoad, path: '/forward', ...saturated });
  await forward.stop();
  console.log(
    `  floor    p50 ${fmt(floorMax.p50)} ms  p99 ${fmt(floorMax.p99)} ms  ${fmt(floorMax.rps, 0)} req/s  errors ${floorMax.errors}  (bare Fastify route forwarding with undici)`,
  );
  console.log(
    `  ratio    invoke/direct ${fmt(invokeMax.rps / directMax.rps)} (target ≥ 0.4)  floor/direct ${fmt(floorMax.rps / directMax.rps)}  invoke/floor ${fmt(invokeMax.rps / floorMax.rps)}`,
  );
  console.log(`  server CPU per invoke ${fmt(cpuPerInvoke, 0)} µs (its worker thread included)`);

  const toolsBody = await (
    await fetch(`${server.url}/api/v1/agents/${agent}/tools`, { headers: auth })
  ).json();
  const bare = await startBareFastify(toolsBody);
  const bareLoad = await runLoad(bare.url, {
    path: '/bare',
    concurrency: CONCURRENCY,
    durationMs: DURATION_MS,
  });
  await bare.stop();
  const toolsLoad = await runLoad(server.url, {
    path: `/api/v1/agents/${agent}/tools?format=openai`,
    headers: auth,
    concurrency: CONCURRENCY,
    durationMs: DURATION_MS,
  });
  console.log('GET /agents/{id}/tools throughput vs a bare Fastify route (same body):');
  console.log(
    `  bare     ${fmt(bareLoad.rps, 0)} req/s    tools ${fmt(toolsLoad.rps, 0)} req/s  errors ${toolsLoad.errors}`,
  );
  console.log(`  ratio    ${fmt(toolsLoad.rps / bareLoad.rps)} (target ≥ 0.5)`);

  await server.stop();
  await new Promise((r) => endpoint.close(r));
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await run();
