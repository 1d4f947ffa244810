/**
 * The README's database walk-throughs, run as written: the server started with the settings of the
 * first block, then every later block run by bash in one session — `npx flowyte keys create`, then
 * each curl — against the sample database pagila. Changed: the port, and pasting the printed key.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import {
  type DocumentedServer,
  replaceOnce,
  runShell,
  settingsBefore,
  shellBlocks,
  startDocumentedServer,
} from './support/doc-script.ts';
import { postgresDb, shellCommand } from './support/services.ts';

const skip = (await postgresDb('pagila')) ?? (await shellCommand('curl')) ?? (await shellCommand('bash'));

describe.skipIf(skip)('the README walk-throughs, run as written', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'flowyte-readme-'));
  let server: DocumentedServer | undefined;

  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('database → discovery → binding → publish → a phone agent’s call', async () => {
    const [startBlock, ...blocks] = shellBlocks(
      'README.md',
      '### Walk-through: a PostgreSQL database',
      '### Try it offline',
    );
    const settings = settingsBefore(startBlock, 'npm start');
    const env = { ...process.env, FLOWYTE_DATA_DIR: dataDir, LOG_LEVEL: 'warn', DATABASE_URL: '' };
    server = await startDocumentedServer('start', settings, env);
    const { port } = server;

    let script = blocks.join('\n');
    script = replaceOnce(script, /(npx flowyte keys create[^\n]*\\\n[^\n]*)/, '$1 | tee "$KEY_JSON"');
    script = replaceOnce(
      script,
      /export KEY=flowyte_sk_live_….*/,
      `export KEY=$(node -pe 'JSON.parse(require("fs").readFileSync(process.argv[1])).key' "$KEY_JSON")`,
    );
    script = replaceOnce(script, /http:\/\/127\.0\.0\.1:8080/, `http://127.0.0.1:${port}`);
    const keyJson = path.join(dataDir, 'key.json');
    const api = await runShell(script, { ...env, KEY_JSON: keyJson }, { failOnHttpError: true });

    expect(JSON.parse(readFileSync(keyJson, 'utf8'))).toMatchObject({
      key: expect.stringMatching(/^flowyte_sk_live_/),
    });
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
