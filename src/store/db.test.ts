import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, expect, test } from 'vitest';
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
