/**
 * The README's walk-throughs, run as written: the server started with the settings its first block
 * gives, then every later shell block of the two database walk-throughs run by bash in one session
 * — `npx flowyte keys create`, then each curl — against the sample database pagila. Only what a
 * reader must change is changed (the port, and pasting the printed key), each substitution checked
 * to apply, so a README that drifts from the product fails here.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, test } from 'vitest';
import { freePort, waitHealthy } from './support/server-processes.ts';
import { postgresDb, shellCommand } from './support/services.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');

const skip = (await postgresDb('pagila')) ?? (await shellCommand('curl')) ?? (await shellCommand('bash'));

/** The ```sh blocks between two headings of the README. */
function shellBlocks(from: string, to: string): string[] {
  const start = readme.indexOf(from);
  const end = readme.indexOf(to, start);
  expect(start, `README section "${from}"`).toBeGreaterThan(-1);
  expect(end, `README section "${to}"`).toBeGreaterThan(start);
  return [...readme.slice(start, end).matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
}

/** Replaces exactly one occurrence, so a reworded README cannot silently skip a step. */
function replaceOnce(text: string, find: RegExp, replacement: string): string {
  const hits = text.match(new RegExp(find.source, `${find.flags.replace('g', '')}g`)) ?? [];
  expect(hits.length, `README text matching ${find}`).toBe(1);
  return text.replace(find, replacement);
}

describe.skipIf(skip)('the README walk-throughs, run as written', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'flowyte-readme-'));
  let server: ChildProcess | undefined;

  afterAll(async () => {
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((r) => server!.once('exit', r));
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('database → discovery → binding → publish → a phone agent’s call', async () => {
    const [startBlock, ...blocks] = shellBlocks(
      '### Walk-through: a PostgreSQL database',
      '### Try it offline',
    );
    // The first block starts the server: its settings, then `npm start`, which runs this.
    const start = startBlock.trim().match(/^((?:[A-Z_]+=\S+ )+)npm start$/);
    expect(start, 'the first block is `SETTINGS… npm start`').not.toBeNull();
    const settings = Object.fromEntries(
      start![1]
        .trim()
        .split(/\s+/)
        .map((kv) => kv.split('=', 2)),
    );
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
    expect(pkg.scripts.start).toBe('node bin/flowyte.js serve');
    const port = await freePort();
    const env = { ...process.env, FLOWYTE_DATA_DIR: dataDir, LOG_LEVEL: 'warn', DATABASE_URL: '' };
    server = spawn(process.execPath, ['bin/flowyte.js', 'serve'], {
      cwd: root,
      env: { ...env, ...settings, PORT: String(port), HOST: '127.0.0.1' },
      stdio: 'ignore',
    });
    await waitHealthy(`http://127.0.0.1:${port}`, server);

    let script = blocks.join('\n');
    script = replaceOnce(script, /(npx flowyte keys create[^\n]*\\\n[^\n]*)/, '$1 | tee "$KEY_JSON"');
    script = replaceOnce(
      script,
      /export KEY=flowyte_sk_live_….*/,
      `export KEY=$(node -pe 'JSON.parse(require("fs").readFileSync(process.argv[1])).key' "$KEY_JSON")`,
    );
    script = replaceOnce(script, /http:\/\/127\.0\.0\.1:8080/, `http://127.0.0.1:${port}`);
    // One answer per line, so each can be read back.
    const prelude = 'set -euo pipefail\ncurl() { command curl --fail-with-body "$@"; echo; }\n';
    const { stdout } = await promisify(execFile)('bash', ['-c', prelude + script], {
      cwd: root,
      env: { ...env, KEY_JSON: path.join(dataDir, 'key.json') },
      timeout: 90_000,
      maxBuffer: 16 * 1024 * 1024,
    });

    const printedKey = JSON.parse(readFileSync(path.join(dataDir, 'key.json'), 'utf8'));
    expect(printedKey).toMatchObject({ key: expect.stringMatching(/^flowyte_sk_live_/) });
    const api = stdout
      .split('\n')
      .filter((line) => line.startsWith('{"success"'))
      .map((line) => JSON.parse(line));
    // catalog, sql/test, connect, list, scripts, disconnect, connect, discover, binding, publish,
    // tools, invoke (the agent's creation is read by the script itself)
    expect(api).toHaveLength(12);
    expect(api.every((a) => a.success === true)).toBe(true);
    expect(api.filter((a) => a.data?.status === 'connected')).toHaveLength(2);
    expect(api).toContainEqual({ success: true, data: { disconnected: true, disabledSkills: 0 } });
    const invoked = api.at(-1).data.result;
    expect(invoked).toMatchObject({ rowCount: 1, truncated: false });
    expect(invoked.rows[0]).toMatchObject({
      first_name: 'MARY',
      email: 'MARY.SMITH@sakilacustomer.org',
      phone: expect.stringMatching(/\d/),
    });
  }, 120_000);
});
