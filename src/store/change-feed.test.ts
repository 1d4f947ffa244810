import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type ScratchDatabase, scratchPostgres } from '../../test/support/scratch-db.ts';
import { PG, postgresServer } from '../../test/support/services.ts';
import { openStore, type Store } from './db.ts';

const skip = await postgresServer();

const until = async (check: () => boolean, ms = 5_000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

test('on the embedded store, a change is told to this process at once', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flowyte-feed-'));
  const store = await openStore({ dataDir: dir, databaseUrl: null });
  try {
    const heard: (string | null)[] = [];
    store.changes.subscribe((t) => heard.push(t));
    expect(store.changes.live).toBe(true);
    await store.changes.notify('live:agt_1');
    expect(heard).toEqual(['live:agt_1']);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

describe.skipIf(skip)('two instances on one PostgreSQL store', () => {
  let db: ScratchDatabase;
  let a: Store;
  let b: Store;

  beforeAll(async () => {
    db = await scratchPostgres('feed');
    a = await openStore({ dataDir: '', databaseUrl: db.url });
    b = await openStore({ dataDir: '', databaseUrl: db.url });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await db?.drop();
  });

  test("one instance's change reaches the other", async () => {
    const heard: (string | null)[] = [];
    b.changes.subscribe((t) => heard.push(t));
    expect(b.changes.live).toBe(true);
    await a.changes.notify(`live:agt_${randomBytes(4).toString('hex')}`);
    await until(() => heard.length > 0);
    expect(heard[0]).toMatch(/^live:agt_/);
  });

  test('a cut listening connection makes the feed not live, says "forget everything", and comes back', async () => {
    const heard: (string | null)[] = [];
    b.changes.subscribe((t) => heard.push(t));
    const admin = new pg.Client({ ...PG, database: db.name });
    await admin.connect();
    try {
      // Every session listening on the channel, i.e. both feeds' connections.
      await admin.query(
        `select pg_terminate_backend(pid) from pg_stat_activity
          where datname = $1 and query ilike 'LISTEN%' and pid <> pg_backend_pid()`,
        [db.name],
      );
    } finally {
      await admin.end();
    }
    await until(() => !b.changes.live);
    expect(heard).toContain(null);
    await until(() => b.changes.live);
    const topic = `live:agt_${randomBytes(4).toString('hex')}`;
    await until(() => a.changes.live);
    await a.changes.notify(topic);
    await until(() => heard.includes(topic));
  });
});
