/**
 * SIGTERM on a real `flowyte serve`: in-flight requests get the grace period, and a client that
 * never finishes its request cannot keep the process alive after its port is closed.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ensureServerBuilt } from './support/build-server.ts';

import { freePort, waitHealthy } from './support/server-processes.ts';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'flowyte-shutdown-'));
beforeAll(ensureServerBuilt, 300_000);
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

test('a client stuck half-way through its headers does not keep a stopping server alive', async () => {
  const port = await freePort();
  const child = spawn(process.execPath, ['bin/flowyte.js', 'serve'], {
    env: {
      ...process.env,
      PORT: String(port),
      FLOWYTE_DATA_DIR: dataDir,
      FLOWYTE_SHUTDOWN_GRACE_MS: '500',
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
    },
    stdio: 'ignore',
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await waitHealthy(`http://127.0.0.1:${port}`, child);
  const stuck = net.connect(port, '127.0.0.1');
  stuck.on('error', () => {});
  await new Promise<void>((resolve) => stuck.once('connect', () => resolve()));
  stuck.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
  await new Promise((r) => setTimeout(r, 100));
  const started = Date.now();
  child.kill('SIGTERM');
  const code = await Promise.race([exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 8_000))]);
  stuck.destroy();
  if (code === 'hung') child.kill('SIGKILL');
  expect(code).not.toBe('hung');
  expect(Date.now() - started).toBeLessThan(5_000);
}, 40_000);
