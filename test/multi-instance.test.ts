/**
 * Three server processes on one PostgreSQL store: what one publishes (or rolls back), every other
 * serves within a second, although each keeps its own in-memory tool tables; a conversation's
 * non-parallelizable calls stay one at a time whichever instance they reach; an Idempotency-Key
 * sent to all three at once performs the call once; an expired OAuth token is refreshed once
 * whichever instances need it; and the rate limit is one budget.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { type GoogleFake, startGoogleFake } from '../src/sandbox/google/index.ts';
import { createServices } from '../src/services.ts';
import { ensureServerBuilt } from './support/build-server.ts';
import { type ScratchDatabase, scratchPostgres } from './support/scratch-db.ts';
import { freePort, waitHealthy } from './support/server-processes.ts';
import { postgresServer } from './support/services.ts';
import { echoHandler, startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver.ts';

const skip = await postgresServer();
/** Per organization per minute, for all instances together. */
const RATE_LIMIT = 60;
const INSTANCES = 3;
const EMAIL = 'multi@example.com';
const TZ = 'America/New_York';

describe.skipIf(skip)('several instances on one PostgreSQL store', () => {
  let db: ScratchDatabase;
  let hook: WebhookReceiver;
  let google: { url: string; fake: GoogleFake; close(): Promise<void> };
  const children: ChildProcess[] = [];
  const urls: string[] = [];
  let key: string;
  let rateKey: string;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'flowyte-multi-'));
  let env: Record<string, string>;

  beforeAll(async () => {
    await ensureServerBuilt();
    db = await scratchPostgres('multi');
    hook = await startWebhookReceiver();
    google = await startGoogleFake({ clientId: 'multi-client', clientSecret: 'multi-secret' });
    google.fake.seed.account(EMAIL, { timeZone: TZ });
    env = {
      DATABASE_URL: db.url,
      FLOWYTE_MASTER_KEY: randomBytes(32).toString('base64'),
      FLOWYTE_DATA_DIR: dataDir,
      FLOWYTE_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8',
      FLOWYTE_RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT),
      LOG_LEVEL: 'warn',
      // The consent redirect is followed by hand, so the public URL only has to be consistent.
      FLOWYTE_PUBLIC_URL: 'https://flowyte.multi.example',
      GOOGLE_CLIENT_ID: 'multi-client',
      GOOGLE_CLIENT_SECRET: 'multi-secret',
      FLOWYTE_GOOGLE_AUTH_URL: `${google.url}/o/oauth2/v2/auth`,
      FLOWYTE_GOOGLE_TOKEN_URL: `${google.url}/token`,
      FLOWYTE_GOOGLE_REVOKE_URL: `${google.url}/revoke`,
      FLOWYTE_GOOGLE_API_URL: google.url,
    };
    // The first instance migrates the store; a key is minted through the same code the CLI uses.
    const services = await createServices(loadConfig(env));
    key = (
      await services.apiKeys.create({
        orgName: 'multi',
        scopes: [
          'agents:write',
          'agents:read',
          'skills:write',
          'skills:invoke',
          'integrations:write',
          'metrics:read',
        ],
      })
    ).key;
    rateKey = (await services.apiKeys.create({ orgName: 'rated', scopes: ['agents:read'] })).key;
    await services.close();
    for (let i = 0; i < INSTANCES; i++) {
      const port = await freePort();
      const child = spawn(process.execPath, ['bin/flowyte.js', 'serve'], {
        env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
        stdio: 'ignore',
      });
      children.push(child);
      urls.push(`http://127.0.0.1:${port}`);
    }
    // Three processes starting at once on a loaded 2-core machine: give them time.
    await Promise.all(urls.map((u, i) => waitHealthy(u, children[i], 90_000)));
  }, 120_000);

  afterAll(async () => {
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(
      children.map((c) => (c.exitCode !== null ? null : new Promise((r) => c.once('exit', r)))),
    );
    await hook?.close();
    await google?.close();
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const call = async (
    i: number,
    method: string,
    p: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const res = await fetch(urls[i] + p, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, headers: res.headers, json: (await res.json()) as any };
  };
  /** Polls until `check` holds on instance i, failing after `withinMs`; returns how long it took. */
  const within = async (withinMs: number, check: () => Promise<boolean>) => {
    const started = Date.now();
    while (!(await check())) {
      if (Date.now() - started > withinMs) throw new Error(`not within ${withinMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return Date.now() - started;
  };
  const webhookSkill = (tool: string, extra: Record<string, unknown> = {}) => ({
    name: tool,
    description: tool,
    skillType: 'http_webhook',
    parametersSchema: { type: 'object', properties: {}, required: [], additionalProperties: false },
    executionConfig: { url: `http://127.0.0.1:${hook.port}/${tool}` },
    ...extra,
  });

  test('publish on one instance, every other serves the new version within a second', async () => {
    const agent = (await call(0, 'POST', '/api/v1/agents', { name: 'shared' })).json.data.id;
    await call(0, 'POST', `/api/v1/agents/${agent}/skills`, webhookSkill('first'));
    const v1 = (await call(0, 'POST', `/api/v1/agents/${agent}/publish`, {})).json.data;
    const toolsOn = async (i: number) =>
      (await call(i, 'GET', `/api/v1/agents/${agent}/tools`)).json.data as {
        version: { number: number };
        tools: { function: { name: string } }[];
      };

    // Instances 1 and 2 load and cache version 1.
    for (const i of [1, 2]) expect((await toolsOn(i)).tools.map((t) => t.function.name)).toEqual(['first']);

    await call(0, 'POST', `/api/v1/agents/${agent}/skills`, webhookSkill('second'));
    await call(0, 'POST', `/api/v1/agents/${agent}/publish`, {});
    for (const i of [1, 2]) {
      await within(1_000, async () => (await toolsOn(i)).version.number === 2);
      expect((await toolsOn(i)).tools.map((t) => t.function.name)).toEqual(['first', 'second']);
      const invoked = await call(i, 'POST', `/api/v1/agents/${agent}/tools/second/invoke`, { arguments: {} });
      expect(invoked.status).toBe(200);
      expect(hook.requests.at(-1)!.url).toBe('/second');
    }

    // A rollback on instance 1 is what instances 0 and 2 serve next.
    await call(1, 'POST', `/api/v1/agents/${agent}/rollback`, { versionId: v1.id });
    for (const i of [0, 2]) {
      await within(1_000, async () => (await toolsOn(i)).version.number === 1);
      const rolled = await call(i, 'POST', `/api/v1/agents/${agent}/tools/second/invoke`, { arguments: {} });
      expect(rolled.status).toBe(404);
    }
  });

  test('one Idempotency-Key sent to every instance at once performs the call once', async () => {
    const agent = (await call(0, 'POST', '/api/v1/agents', { name: 'idempotent' })).json.data.id;
    await call(0, 'POST', `/api/v1/agents/${agent}/skills`, webhookSkill('book_once'));
    await call(0, 'POST', `/api/v1/agents/${agent}/publish`, {});
    // Slow enough that all three requests arrive while the first is still running.
    hook.handle((req, res) => setTimeout(() => echoHandler(req, res), 300));
    try {
      const headers = { 'idempotency-key': `multi-${randomBytes(6).toString('hex')}` };
      const answers = await Promise.all(
        [0, 1, 2].map((i) =>
          call(i, 'POST', `/api/v1/agents/${agent}/tools/book_once/invoke`, { arguments: {} }, headers),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
      expect(hook.requests.filter((r) => r.url === '/book_once')).toHaveLength(1);
      expect(answers.filter((a) => a.headers.get('idempotent-replayed') === 'true')).toHaveLength(2);
      expect(new Set(answers.map((a) => JSON.stringify(a.json.data.result))).size).toBe(1);
    } finally {
      hook.handle(echoHandler);
    }
  });

  test('an access token Google stopped accepting is refreshed once, whichever instances need it', async () => {
    const { fake } = google;
    const { oauthUrl } = (await call(0, 'POST', '/api/v1/integrations/google_calendar/connect', {})).json
      .data;
    const consent = new URL(oauthUrl);
    consent.searchParams.set('decision', 'allow');
    consent.searchParams.set('account', EMAIL);
    const back = (await fetch(consent, { redirect: 'manual' })).headers.get('location')!;
    const done = await fetch(back.replace(new URL(back).origin, urls[1]));
    expect(done.ok).toBe(true);
    const agent = (await call(0, 'POST', '/api/v1/agents', { name: 'calendar' })).json.data.id;
    const [{ skill }] = (
      await call(0, 'POST', `/api/v1/agents/${agent}/integrations/google_calendar/provision`, {
        actions: ['check_availability'],
      })
    ).json.data;
    await call(0, 'PATCH', `/api/v1/agents/${agent}/skills/${skill.id}`, {
      executionConfig: { time_zone: TZ, business_hours: 'Mon-Fri 09:00-17:00' },
    });
    await call(0, 'POST', `/api/v1/agents/${agent}/publish`, {});
    const check = (i: number) =>
      call(i, 'POST', `/api/v1/agents/${agent}/tools/check_availability/invoke`, {
        arguments: { date: '2030-03-11', window_start: null, window_end: null, duration_minutes: null },
      });
    for (let i = 0; i < INSTANCES; i++) expect((await check(i)).status).toBe(200);

    const before = fake.counters.refreshGrants;
    expect(fake.expireAccessTokens()).toBeGreaterThan(0);
    const answers = await Promise.all(Array.from({ length: 12 }, (_, n) => check(n % INSTANCES)));
    expect(answers.map((a) => a.status)).toEqual(Array(12).fill(200));
    expect(fake.counters.refreshGrants - before).toBe(1);

    // Each instance counts the renewals it performed itself: one among the three.
    let refreshes = 0;
    for (const url of urls) {
      const text = await (
        await fetch(`${url}/api/v1/metrics`, { headers: { authorization: `Bearer ${key}` } })
      ).text();
      const line = /^flowyte_token_refreshes_total\{provider="google_calendar",outcome="ok"\} (\d+)$/m.exec(
        text,
      );
      refreshes += line ? Number(line[1]) : 0;
    }
    expect(refreshes).toBe(1);
  }, 30_000);

  test('a non-parallelizable tool runs one call at a time per conversation across instances', async () => {
    // The receiver holds every request of this test for a while and records how many overlap.
    let inFlight = 0;
    let peak = 0;
    hook.handle((req, res) => {
      if (!req.url.startsWith('/serial')) return echoHandler(req, res);
      peak = Math.max(peak, ++inFlight);
      setTimeout(() => {
        inFlight--;
        echoHandler(req, res);
      }, 150);
    });
    const agent = (await call(0, 'POST', '/api/v1/agents', { name: 'serial' })).json.data.id;
    await call(0, 'POST', `/api/v1/agents/${agent}/skills`, {
      name: 'book',
      description: 'book',
      skillType: 'http_webhook',
      nonParallelizable: true,
      parametersSchema: {
        type: 'object',
        properties: { n: { type: 'integer' } },
        required: ['n'],
        additionalProperties: false,
      },
      executionConfig: { url: `http://127.0.0.1:${hook.port}/serial` },
    });
    await call(0, 'POST', `/api/v1/agents/${agent}/publish`, {});
    const invoke = (i: number, n: number, conversationId: string) =>
      call(i, 'POST', `/api/v1/agents/${agent}/tools/book/invoke`, { arguments: { n }, conversationId });

    const same = await Promise.all([0, 1, 2, 3, 4, 5].map((n) => invoke(n % 2, n, 'conv-shared')));
    expect(same.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(peak).toBe(1);

    // Other conversations are not held up by each other: the lock is per conversation.
    peak = 0;
    const apart = await Promise.all([0, 1, 2, 3].map((n) => invoke(n % 2, n, `conv-${n}`)));
    expect(apart.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(peak).toBeGreaterThan(1);
  });

  test('the per-organization rate limit is one budget for every instance', async () => {
    // Windows are wall-clock minutes: start early in one so the budget cannot reset mid-test.
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 45_000) await new Promise((r) => setTimeout(r, 60_500 - intoMinute));
    const get = async (i: number) =>
      (await fetch(`${urls[i]}/api/v1/agents`, { headers: { authorization: `Bearer ${rateKey}` } })).status;
    const first = await Promise.all(Array.from({ length: 40 }, () => get(0)));
    expect(first.every((s) => s === 200)).toBe(true);
    await new Promise((r) => setTimeout(r, 600)); // instance 0 has told the store by now
    const second: number[] = [];
    for (let n = 0; n < 80; n++) second.push(await get(1 + (n % 2)));
    const admitted = second.filter((s) => s === 200).length;
    expect(second.filter((s) => s !== 200).every((s) => s === 429)).toBe(true);
    // 20 left in the budget; alone, instances 1 and 2 would each admit all of their 40. Each asks
    // the store for the total on its first request of the minute, then adds its counts every
    // 100 ms: it can overshoot by what the other admits within one such interval (a dozen or so
    // here, sequential requests), never by the whole of another instance's budget.
    expect(admitted).toBeGreaterThanOrEqual(20);
    expect(admitted).toBeLessThanOrEqual(50);
  }, 30_000);
});
