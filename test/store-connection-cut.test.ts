/**
 * The PostgreSQL store and a PostgreSQL provider pool when the server cuts their connections —
 * idle ones and ones checked out in the middle of a query: the query fails, the process lives
 * (an 'error' event without a listener would kill it), and the next query works without a restart.
 */
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, test } from 'vitest';
import { createPostgresPool } from '../src/providers/postgres/connect.ts';
import { EgressPolicy } from '../src/security/egress.ts';
import { openStore, type Store } from '../src/store/db.ts';
import { type ScratchDatabase, scratchPostgres } from './support/scratch-db.ts';
import { PG, postgresServer } from './support/services.ts';

const skip = await postgresServer();

async function terminateAll(database: string): Promise<number> {
  const admin = new pg.Client({ ...PG, database: 'postgres' });
  await admin.connect();
  try {
    const r = await admin.query(
      'select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
      [database],
    );
    return r.rows[0].n;
  } finally {
    await admin.end();
  }
}

describe.skipIf(skip)('connections cut by the server', () => {
  let scratch: ScratchDatabase;
  let store: Store | undefined;
  afterAll(async () => {
    await store?.close();
    await scratch?.drop();
  });

  test('the store: a query cut mid-flight fails, idle clients die quietly, the next query works', async () => {
    scratch = await scratchPostgres('cut');
    store = await openStore({ dataDir: '/nonexistent', databaseUrl: scratch.url });
    // Two idle clients in the pool, then one checked out in a long query.
    await Promise.all([sql`select 1`.execute(store.db), sql`select 1`.execute(store.db)]);
    // The outcome is taken at once, so the rejection is handled when it happens.
    const running = sql`select pg_sleep(5)`.execute(store.db).then(
      () => null,
      (e: Error) => e,
    );
    await new Promise((r) => setTimeout(r, 200));
    expect(await terminateAll(scratch.name)).toBeGreaterThanOrEqual(1);
    expect(await running).toBeInstanceOf(Error);
    await new Promise((r) => setTimeout(r, 100));
    const after = await sql<{ ok: number }>`select 1 as ok`.execute(store.db);
    expect(after.rows[0].ok).toBe(1);
  });

  test('the store: a connection cut while checked out between statements (in a transaction)', async () => {
    const db = store!.db;
    const outcome = db
      .transaction()
      .execute(async (trx) => {
        await sql`select 1`.execute(trx);
        // Checked out, no statement running: only the client's own listener hears the cut.
        await new Promise((r) => setTimeout(r, 400));
        await sql`select 1`.execute(trx);
      })
      .then(
        () => null,
        (e: Error) => e,
      );
    await new Promise((r) => setTimeout(r, 150));
    expect(await terminateAll(scratch.name)).toBeGreaterThanOrEqual(1);
    expect(await outcome).toBeInstanceOf(Error);
    const after = await sql<{ ok: number }>`select 1 as ok`.execute(db);
    expect(after.rows[0].ok).toBe(1);
  });

  test('a provider pool: the same', async () => {
    const egress = new EgressPolicy(['127.0.0.0/8']);
    const pool = createPostgresPool(
      {
        host: PG.host,
        port: PG.port,
        database: scratch.name,
        user: PG.user,
        password: '',
        sslmode: 'disable',
      },
      {
        endpoints: { googleApiUrl: '', shopifyApiUrl: null, shopifyApiVersion: '2026-10' },
        resolveHost: (h) => egress.resolve(h),
        allowPlaintextSql: true,
        timeoutMs: 5000,
      },
    );
    try {
      await Promise.all([pool.query('select 1'), pool.query('select 1')]);
      const running = pool.query('select pg_sleep(5)').then(
        () => null,
        (e: Error) => e,
      );
      await new Promise((r) => setTimeout(r, 200));
      await terminateAll(scratch.name);
      expect(await running).toBeInstanceOf(Error);
      await new Promise((r) => setTimeout(r, 100));
      expect((await pool.query('select 1 as ok')).rows[0].ok).toBe(1);
      // Checked out and idle when the server goes: the process lives, the client's next query fails.
      const client = await pool.connect();
      await terminateAll(scratch.name);
      await new Promise((r) => setTimeout(r, 200));
      expect(
        await client.query('select 1').then(
          () => null,
          (e: Error) => e,
        ),
      ).toBeInstanceOf(Error);
      client.release(true);
      expect((await pool.query('select 1 as ok')).rows[0].ok).toBe(1);
    } finally {
      await pool.end();
    }
  });
});
