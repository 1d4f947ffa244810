/**
 * A PostgreSQL store that stops answering, is cut off or refuses connections, reached through a
 * TCP proxy the test breaks and heals: /readyz says 503 within 2 s, API requests answer 503
 * `unavailable` with Retry-After within 5 s (default deadlines), never a 500, and the same running
 * server recovers once the store answers again.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AppError } from '../src/errors.ts';
import { openStore } from '../src/store/db.ts';
import { type FaultProxy, faultProxy } from './support/fault-proxy.ts';
import { startTestServer, type TestServer } from './support/harness.ts';
import { type ScratchDatabase, scratchPostgres } from './support/scratch-db.ts';
import { PG, postgresServer } from './support/services.ts';

const skip = await postgresServer();

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await fn();
  return { value, ms: Date.now() - started };
}

describe.skipIf(skip)('a hung or lost PostgreSQL store', () => {
  let scratch: ScratchDatabase;
  let proxy: FaultProxy;
  let server: TestServer;
  let key: string;

  beforeAll(async () => {
    scratch = await scratchPostgres('deadline');
    proxy = await faultProxy({ host: PG.host, port: PG.port });
    // Default deadlines: the promise is about what ships.
    server = await startTestServer({
      DATABASE_URL: scratch.url.replace(`:${PG.port}/`, `:${proxy.port}/`),
      LOG_LEVEL: 'warn',
    });
    key = (await server.key('deadline-org', ['agents:write'])).key;
  }, 60_000);
  afterAll(async () => {
    proxy?.forward();
    await server?.close();
    await proxy?.close();
    await scratch?.drop();
  });

  const listAgents = () => server.call('GET', '/api/v1/agents', { key });

  async function recovers(): Promise<number> {
    const started = Date.now();
    for (;;) {
      const r = await server.call('GET', '/readyz');
      if (r.status === 200) break;
      if (Date.now() - started > 15_000) throw new Error('the store did not come back within 15 s');
      await new Promise((res) => setTimeout(res, 100));
    }
    expect((await listAgents()).status).toBe(200);
    expect((await server.call('POST', '/api/v1/agents', { key, body: { name: 'after' } })).status).toBe(201);
    return Date.now() - started;
  }

  test('black-holed: readyz 503 within 2 s, requests 503 unavailable + Retry-After within 5 s', async () => {
    expect((await listAgents()).status).toBe(200);
    expect((await server.call('GET', '/readyz')).status).toBe(200);
    const doomed = (await server.call('POST', '/api/v1/agents', { key, body: { name: 'doomed' } })).json.data
      .id;
    proxy.blackhole();

    const ready = await timed(() => server.call('GET', '/readyz'));
    expect(ready.value.status).toBe(503);
    expect(ready.ms).toBeLessThan(2_000);

    // Reads and writes, several at once (more than one pool connection hangs).
    const calls = await Promise.all([
      timed(listAgents),
      timed(listAgents),
      timed(() => server.call('POST', '/api/v1/agents', { key, body: { name: 'during' } })),
      // A delete, which runs in a transaction: bounded too.
      timed(() => server.call('DELETE', `/api/v1/agents/${doomed}`, { key })),
    ]);
    for (const { value, ms } of calls) {
      expect(value.status).toBe(503);
      expect(value.json.code).toBe('unavailable');
      expect(value.json.retryable).toBe(true);
      expect(Number(value.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(ms).toBeLessThan(5_000);
    }
    // Still hung: every new request is bounded too, not queued behind the first ones.
    const again = await timed(listAgents);
    expect(again.value.status).toBe(503);
    expect(again.ms).toBeLessThan(5_000);

    proxy.forward();
    const healed = await recovers();
    console.log(
      `black-hole: readyz 503 in ${ready.ms} ms, requests 503 in ${calls.map((c) => c.ms).join('/')} ms, ` +
        `recovered in ${healed} ms`,
    );
  }, 60_000);

  test('refused and cut: 503, never 500, and recovery without a restart', async () => {
    proxy.refuse();
    proxy.cut();
    const ready = await timed(() => server.call('GET', '/readyz'));
    expect(ready.value.status).toBe(503);
    expect(ready.ms).toBeLessThan(2_000);
    const r = await timed(listAgents);
    expect(r.value.status).toBe(503);
    expect(r.value.json.code).toBe('unavailable');
    expect(r.value.headers.get('retry-after')).not.toBeNull();
    expect(r.ms).toBeLessThan(5_000);
    proxy.forward();
    await recovers();

    // Cut in the middle of a burst of requests: each answers 200/201 or 503, nothing else.
    const burst = Array.from({ length: 20 }, (_, i) =>
      i % 2 ? listAgents() : server.call('POST', '/api/v1/agents', { key, body: { name: `b${i}` } }),
    );
    await new Promise((res) => setTimeout(res, 5));
    proxy.cut();
    const statuses = (await Promise.all(burst)).map((x) => x.status);
    for (const s of statuses) expect([200, 201, 503]).toContain(s);
    await recovers();
    expect(server.logs.join('')).not.toContain('unhandled error');
  }, 60_000);
});

describe.skipIf(skip)('a transaction whose connection goes silent', () => {
  test('fails after one statement deadline, not two (its ROLLBACK is not sent down the dead line)', async () => {
    const scratch = await scratchPostgres('deadtx');
    const proxy = await faultProxy({ host: PG.host, port: PG.port });
    const store = await openStore({
      dataDir: '/nonexistent',
      databaseUrl: scratch.url.replace(`:${PG.port}/`, `:${proxy.port}/`),
      storeTimeoutMs: 500,
      storeConnectTimeoutMs: 500,
    });
    try {
      const started = { at: 0 };
      const outcome = await store.db
        .transaction()
        .execute(async (trx) => {
          await sql`select 1`.execute(trx);
          proxy.blackhole();
          started.at = Date.now();
          await sql`select 1`.execute(trx);
        })
        .then(
          () => null,
          (e: unknown) => e,
        );
      const ms = Date.now() - started.at;
      expect(outcome).toBeInstanceOf(AppError);
      expect((outcome as AppError).code).toBe('unavailable');
      // The statement deadline is 500 + 500 ms; a ROLLBACK that waited its own would double it.
      expect(ms).toBeGreaterThanOrEqual(950);
      expect(ms).toBeLessThan(1_600);
      proxy.forward();
      expect((await sql<{ ok: number }>`select 1 as ok`.execute(store.db)).rows[0].ok).toBe(1);
    } finally {
      proxy.forward();
      await store.close();
      await proxy.close();
      await scratch.drop();
    }
  }, 30_000);
});
