/**
 * Revoking a key from the CLI — another process writing the store — takes effect on a running
 * server within a second, although the server caches key lookups for 5 s.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestServer, type TestServer } from './support/harness.ts';

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ LOG_LEVEL: 'warn' });
});
afterAll(() => server?.close());

test('a key revoked by `flowyte keys revoke` is refused by the running server within 1 s', async () => {
  const { key, keyId } = await server.key('revoke-org', ['agents:read']);
  const list = () => server.call('GET', '/api/v1/agents', { key });
  expect((await list()).status).toBe(200);
  // Keep the key busy (and cached) while the CLI runs, as a live client would.
  let busy = true;
  const traffic = (async () => {
    while (busy) {
      await list();
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  await run(process.execPath, [path.join(root, 'bin/flowyte.js'), 'keys', 'revoke', keyId], {
    cwd: root,
    timeout: 30_000,
    env: { ...process.env, FLOWYTE_DATA_DIR: server.dataDir, FLOWYTE_MASTER_KEY: '', DATABASE_URL: '' },
  });
  const revokedAt = Date.now();
  let refusedAfter = -1;
  while (Date.now() - revokedAt < 6_000) {
    const r = await list();
    if (r.status === 401) {
      refusedAfter = Date.now() - revokedAt;
      break;
    }
    expect(r.status).toBe(200);
    await new Promise((res) => setTimeout(res, 25));
  }
  busy = false;
  await traffic;
  console.log(`revoked by the CLI: refused by the running server after ${refusedAfter} ms`);
  expect(refusedAfter).toBeGreaterThanOrEqual(0);
  expect(refusedAfter).toBeLessThanOrEqual(1_000);
}, 40_000);
