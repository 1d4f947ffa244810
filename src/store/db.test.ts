import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, expect, test } from 'vitest';
import { AppError } from '../errors.ts';
import { openStore } from './db.ts';

const parent = mkdtempSync(path.join(os.tmpdir(), 'flowyte-modes-'));
afterAll(() => rmSync(parent, { recursive: true, force: true }));

test('the embedded store is owner-only in an owner-only directory, whatever the umask', async () => {
  const dataDir = path.join(parent, 'data');
  const before = process.umask(0o022);
  try {
    const store = await openStore({ dataDir, databaseUrl: null });
    await sql`select 1`.execute(store.db);
    await store.close();
  } finally {
    process.umask(before);
  }
  const mode = (p: string) => statSync(p).mode & 0o777;
  expect(mode(dataDir)).toBe(0o700);
  expect(mode(path.join(dataDir, 'flowyte.db'))).toBe(0o600);
});

test('a write lock held by another process past the store timeout: 503 unavailable, then it works', async () => {
  const dataDir = path.join(parent, 'locked');
  const store = await openStore({ dataDir, databaseUrl: null, storeTimeoutMs: 200 });
  const other = new SQLite(path.join(dataDir, 'flowyte.db'));
  try {
    other.exec('begin immediate');
    const started = Date.now();
    const err = await store.db
      .insertInto('settings')
      .values({ name: 'locked-test', value: 'x' })
      .execute()
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('unavailable');
    expect((err as AppError).extras.retryAfter).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(1_000);
    other.exec('rollback');
    await store.db.insertInto('settings').values({ name: 'locked-test', value: 'x' }).execute();
  } finally {
    other.close();
    await store.close();
  }
});
