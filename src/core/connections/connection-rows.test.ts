import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { connectionsChanged, setConnectionStatus, upsertConnection } from '../../store/connections.ts';
import { openStore, type Store } from '../../store/db.ts';
import { ConnectionRows } from './connection-rows.ts';

let dir: string;
let store: Store;
const ORG = 'org_rows';

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'flowyte-rows-'));
  store = await openStore({ dataDir: dir, databaseUrl: null });
  await store.db
    .insertInto('organizations')
    .values({ id: ORG, name: 'rows', created_at: new Date().toISOString() } as never)
    .execute();
});

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A change made behind the cache's back: no notification, as another process would make it. */
const silently = (status: string) =>
  store.db.updateTable('connections').set({ status }).where('org_id', '=', ORG).execute();

test('a row is served from memory until a write tells the change feed, then read afresh', async () => {
  const rows = new ConnectionRows(store);
  expect(await rows.get(ORG, 'postgres')).toBeUndefined(); // "not connected" is cached too
  const row = await upsertConnection(
    store,
    ORG,
    'postgres',
    { status: 'connected', accountLabel: 'pg' },
    () => 'x',
  );
  expect((await rows.get(ORG, 'postgres'))?.status).toBe('connected');

  await silently('needs_reconnect');
  expect((await rows.get(ORG, 'postgres'))?.status).toBe('connected'); // no store read
  await connectionsChanged(store, ORG);
  expect((await rows.get(ORG, 'postgres'))?.status).toBe('needs_reconnect');

  await setConnectionStatus(store, ORG, row.id, 'connected'); // the store's own writes notify
  expect((await rows.get(ORG, 'postgres'))?.status).toBe('connected');
});

test('an entry is trusted for one second at most, whatever the feed heard', async () => {
  const rows = new ConnectionRows(store);
  await silently('connected');
  expect((await rows.get(ORG, 'postgres'))?.status).toBe('connected');
  await silently('needs_reconnect');
  const now = Date.now();
  const clock = vi.spyOn(Date, 'now').mockReturnValue(now + 1_001);
  try {
    expect((await rows.get(ORG, 'postgres'))?.status).toBe('needs_reconnect');
  } finally {
    clock.mockRestore();
  }
});
