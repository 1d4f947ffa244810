/**
 * The production build the README documents (`npm run build`, then `node dist/cli/index.js serve`):
 * compiled with the build's own tsconfig, it mints a key and serves the API without tsx, and it
 * carries none of the test-only helpers that live beside the sources.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { freePort, waitHealthy } from './support/server-processes.ts';

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Inside node_modules so the compiled files resolve their dependencies as dist/ would.
const outDir = path.join(root, 'node_modules', '.cache', `flowyte-build-test-${process.pid}`);
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'flowyte-build-'));
const env = { ...process.env, FLOWYTE_DATA_DIR: dataDir, FLOWYTE_MASTER_KEY: '', DATABASE_URL: '' };
let server: ChildProcess | undefined;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' });
}

describe('the compiled build', () => {
  beforeAll(async () => {
    const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    await run(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', outDir], {
      cwd: root,
      timeout: 120_000,
    });
  }, 150_000);

  afterAll(() => {
    if (server?.exitCode === null) server.kill('SIGKILL');
    rmSync(outDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('holds JavaScript only for the product: no tests, fixtures or expected catalogs', () => {
    const files = filesUnder(outDir).filter((f) => f.endsWith('.js'));
    expect(files).toContain(path.join('cli', 'index.js'));
    expect(
      files.filter((f) => /\.test\.js$|(^|\/)test-|-expected\.js$|-fixture\.js$|catalog-check/.test(f)),
    ).toEqual([]);
    expect(filesUnder(outDir).filter((f) => f.endsWith('.ts'))).toEqual([]);
  });

  test('mints a key and serves the API with plain node', async () => {
    const cli = path.join(outDir, 'cli', 'index.js');
    const created = await run(
      process.execPath,
      [cli, 'keys', 'create', '--org', 'built', '--scopes', 'integrations:read', '--json'],
      { env, cwd: root, timeout: 30_000 },
    );
    const { key } = JSON.parse(created.stdout) as { key: string };
    const port = await freePort();
    server = spawn(process.execPath, [cli, 'serve'], {
      env: { ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
      stdio: 'ignore',
    });
    const url = `http://127.0.0.1:${port}`;
    await waitHealthy(url, server);
    const res = await fetch(`${url}/api/v1/integrations/catalog`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { success: boolean; data: { kind: string }[] };
    expect(body.success).toBe(true);
    expect(body.data.map((p) => p.kind)).toEqual(expect.arrayContaining(['postgres', 'mysql']));
  }, 60_000);
});
