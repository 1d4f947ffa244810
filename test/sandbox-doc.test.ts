/**
 * docs/sandbox.md, run as written: `npm run demo`, then every shell block of its steps by bash in
 * one session — a key minted with `npx flowyte`, the OAuth consent answered by the fake from the
 * URL, provisioning, publishing, and a booking of the first free slot. Changed: the port only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
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
import { shellCommand } from './support/services.ts';

const skip = (await shellCommand('curl')) ?? (await shellCommand('jq')) ?? (await shellCommand('bash'));

describe.skipIf(skip)('docs/sandbox.md, run as written', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'flowyte-sandbox-doc-'));
  let server: DocumentedServer | undefined;

  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('catalog → OAuth consent → provision → publish → availability → confirmed booking', async () => {
    const [startBlock, ...blocks] = shellBlocks('docs/sandbox.md', '## 1. Start the server', '## 6. Shopify');
    const settings = settingsBefore(startBlock, 'npm run demo');
    const env = { ...process.env, FLOWYTE_DATA_DIR: dataDir, LOG_LEVEL: 'warn', DATABASE_URL: '' };
    server = await startDocumentedServer('demo', settings, env);
    const { port } = server;

    const script = replaceOnce(blocks.join('\n'), /http:\/\/127\.0\.0\.1:8080/, `http://127.0.0.1:${port}`);
    const answers = await runShell(script, env, { failOnHttpError: false });

    const [catalog, callback, list, provision, publish, tools, slots, unconfirmed, booked] = answers;
    expect(answers).toHaveLength(9);
    expect(catalog.data.map((p: any) => p.kind)).toContain('google_calendar');
    expect(callback).toMatchObject({
      success: true,
      data: { kind: 'google_calendar', status: 'connected', accountLabel: 'demo@example.com' },
    });
    expect(list.data).toEqual([expect.objectContaining({ kind: 'google_calendar', status: 'connected' })]);
    expect(provision.data.map((r: any) => r.skill.name)).toEqual(['check_availability', 'book_appointment']);
    expect(publish.data).toMatchObject({ number: 1 });
    expect(tools.data.tools.map((t: any) => t.function.name)).toEqual([
      'check_availability',
      'book_appointment',
    ]);
    const first = slots.data.result.slots[0];
    expect(first.start).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00[+-]\d\d:\d\d$/);
    expect(unconfirmed).toMatchObject({ status: 409, code: 'confirmation_required' });
    expect(booked).toMatchObject({ success: true, data: { result: { booked: true, start: first.start } } });
  }, 120_000);

  test('Shopify: connect → discover → pack install → publish → lookup_order with and without the right email', async () => {
    expect(server, 'the server of the first test').toBeDefined();
    const [, keyBlock] = shellBlocks('docs/sandbox.md', '## 1. Start the server', '## 2.');
    const blocks = shellBlocks('docs/sandbox.md', '## 6. Shopify', '## 7. And then');
    const script = replaceOnce(
      [keyBlock, ...blocks].join('\n'),
      /http:\/\/127\.0\.0\.1:8080/,
      `http://127.0.0.1:${server!.port}`,
    );
    const env = { ...process.env, FLOWYTE_DATA_DIR: dataDir, LOG_LEVEL: 'warn', DATABASE_URL: '' };
    const answers = await runShell(script, env, { failOnHttpError: true });
    const [connect, discover, install, publish, found, wrong] = answers;
    expect(answers).toHaveLength(6);
    expect(connect).toMatchObject({
      success: true,
      data: { status: 'connected', accountLabel: 'Flowyte Outfitters' },
    });
    expect(discover.data.objectCount).toBeGreaterThan(500);
    expect(install.data.map((r: any) => r.skill.name)).toContain('lookup_order');
    expect(publish.data).toMatchObject({ number: 1 });
    expect(found.data.result).toMatchObject({ found: true, order: { orderNumber: '#1001' } });
    expect(found.data.result.order.fulfillments[0].tracking[0].number).toEqual(expect.any(String));
    expect(wrong.data.result.found).toBe(false);
  }, 120_000);
});
