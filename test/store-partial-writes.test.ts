/**
 * No partial writes when the PostgreSQL store's connections are cut in the middle of a write: a
 * publish either happened whole (version recorded and live) or not at all, and a retry with the
 * same Idempotency-Key converges on one result. The cut is made at a known point: a trigger holds
 * the statement in pg_sleep, the test terminates every backend of the database, then heals it.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from './support/harness.ts';
import { type ScratchDatabase, scratchPostgres } from './support/scratch-db.ts';
import { PG, postgresServer } from './support/services.ts';

const skip = await postgresServer();

describe.skipIf(skip)('connections cut mid-write', () => {
  let scratch: ScratchDatabase;
  let server: TestServer;
  let admin: pg.Client;
  let key: string;

  beforeAll(async () => {
    scratch = await scratchPostgres('partial');
    server = await startTestServer({ DATABASE_URL: scratch.url, LOG_LEVEL: 'warn' });
    key = (await server.key('partial-org', ['agents:write', 'skills:write'])).key;
    admin = new pg.Client({ ...PG, database: scratch.name });
    await admin.connect();
    await admin.query(`create function flowyte_test_stall() returns trigger language plpgsql as
      $$ begin perform pg_sleep(20); return new; end $$`);
  }, 60_000);
  afterAll(async () => {
    await admin?.end();
    await server?.close();
    await scratch?.drop();
  });

  /** Waits until a statement of the server sits in the trigger's sleep, then cuts every connection. */
  async function cutWhenStalled(): Promise<void> {
    const started = Date.now();
    for (;;) {
      const r = await admin.query(
        `select count(*)::int as n from pg_stat_activity
          where datname = $1 and wait_event = 'PgSleep' and pid <> pg_backend_pid()`,
        [scratch.name],
      );
      if (r.rows[0].n > 0) break;
      if (Date.now() - started > 5_000) throw new Error('no statement reached the stall');
      await new Promise((res) => setTimeout(res, 20));
    }
    await admin.query(
      'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
      [scratch.name],
    );
  }

  const count = async (q: string, params: unknown[]) => (await admin.query(q, params)).rows[0].n as number;

  test('a publish cut between recording the version and making it live leaves neither; the retry publishes once', async () => {
    const agent = (await server.call('POST', '/api/v1/agents', { key, body: { name: 'pub' } })).json.data.id;
    await admin.query(`create trigger stall_live before update of live_version_id on agents
      for each row execute function flowyte_test_stall()`);
    const headers = { 'idempotency-key': 'publish-once' };
    const first = server.call('POST', `/api/v1/agents/${agent}/publish`, { key, headers, body: {} });
    await cutWhenStalled();
    await admin.query('drop trigger stall_live on agents');
    const cut = await first;
    expect(cut.status).toBe(503);
    expect(cut.json.code).toBe('unavailable');
    expect(cut.headers.get('retry-after')).not.toBeNull();
    // Nothing half-done: no version row, the live pointer untouched.
    expect(await count('select count(*)::int as n from agent_versions where agent_id = $1', [agent])).toBe(0);
    expect((await admin.query('select live_version_id from agents where id = $1', [agent])).rows[0]).toEqual({
      live_version_id: null,
    });

    const retry = await server.call('POST', `/api/v1/agents/${agent}/publish`, { key, headers, body: {} });
    expect(retry.status).toBe(201);
    const again = await server.call('POST', `/api/v1/agents/${agent}/publish`, { key, headers, body: {} });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.json.data.id).toBe(retry.json.data.id);
    expect(await count('select count(*)::int as n from agent_versions where agent_id = $1', [agent])).toBe(1);
    expect((await admin.query('select live_version_id from agents where id = $1', [agent])).rows[0]).toEqual({
      live_version_id: retry.json.data.id,
    });
  }, 60_000);

  test('an idempotent write whose answer could not be recorded: the retry replays it, nothing runs twice', async () => {
    // The write itself (creating the agent) commits; recording its answer under the key is cut.
    await admin.query(`create trigger stall_done before update on idempotency_keys
      for each row when (new.state = 'done') execute function flowyte_test_stall()`);
    const headers = { 'idempotency-key': 'create-once' };
    const body = { name: 'exactly-once' };
    const first = server.call('POST', '/api/v1/agents', { key, headers, body });
    await cutWhenStalled();
    await admin.query('drop trigger stall_done on idempotency_keys');
    const answered = await first;
    // What was done is reported: the agent exists.
    expect(answered.status).toBe(201);
    const id = answered.json.data.id;

    const retry = await server.call('POST', '/api/v1/agents', { key, headers, body });
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.json.data.id).toBe(id);
    expect(await count('select count(*)::int as n from agents where name = $1', ['exactly-once'])).toBe(1);
  }, 60_000);

  test('a claim whose insert is cut: the retry is not stuck behind it and runs once', async () => {
    await admin.query(`create trigger stall_claim before insert on idempotency_keys
      for each row execute function flowyte_test_stall()`);
    const headers = { 'idempotency-key': 'claim-cut' };
    const body = { name: 'claimed-once' };
    const first = server.call('POST', '/api/v1/agents', { key, headers, body });
    await cutWhenStalled();
    await admin.query('drop trigger stall_claim on idempotency_keys');
    expect((await first).status).toBe(503);
    const retry = await server.call('POST', '/api/v1/agents', { key, headers, body });
    expect(retry.status).toBe(201);
    expect(await count('select count(*)::int as n from agents where name = $1', ['claimed-once'])).toBe(1);
  }, 60_000);
});
