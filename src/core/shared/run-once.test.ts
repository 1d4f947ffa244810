import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { loadConfig } from '../../config.ts';
import { createServices, type Services } from '../../services.ts';
import { getIdempotencyRecord } from '../../store/idempotency.ts';
import { type OnceRequest, RunOnce } from './run-once.ts';

let services: Services;
let dataDir: string;
let once: RunOnce;
let orgId: string;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'flowyte-once-'));
  services = await createServices(loadConfig({ FLOWYTE_DATA_DIR: dataDir }));
  once = new RunOnce(services.store, services.vault);
  orgId = (await services.apiKeys.create({ orgName: 'once', scopes: ['agents:write'] })).orgId;
});

afterAll(async () => {
  await once.close();
  await services.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const request = (key: string, hash = 'h1'): OnceRequest => ({
  orgId,
  key,
  hash,
  aad: `test:${orgId}:${key}`,
  keyName: 'test key',
});

test('the first claim runs; a retry with the same hash gets its answer back, decrypted', async () => {
  const first = await once.claim<{ id: string }>(request('k1'));
  if (!('claim' in first)) throw new Error('expected a claim');
  expect(await once.finish(first.claim, 201, { id: 'agt_1' })).toBe(true);
  const stored = await getIdempotencyRecord(services.store, orgId, 'k1');
  expect(stored?.response).not.toContain('agt_1'); // kept encrypted
  expect(await once.claim(request('k1'))).toEqual({ answer: { status: 201, value: { id: 'agt_1' } } });
});

test('the same key with another hash is refused, naming the key as the caller does', async () => {
  await once.claim(request('k2', 'a'));
  await expect(once.claim(request('k2', 'b'))).rejects.toMatchObject({
    code: 'idempotency_key_reused',
    message: 'this test key was used with a different request',
  });
});

test('a released claim can be claimed again; a release by anyone but the claimant changes nothing', async () => {
  const first = await once.claim(request('k3'));
  if (!('claim' in first)) throw new Error('expected a claim');
  // A stale holder (an older claim of the same key) giving up must not free the current claim.
  await once.release({ ...first.claim, claimedAt: new Date(0).toISOString() });
  expect(await getIdempotencyRecord(services.store, orgId, 'k3')).toMatchObject({ state: 'pending' });
  await once.release(first.claim);
  expect(await getIdempotencyRecord(services.store, orgId, 'k3')).toBeUndefined();
  expect('claim' in (await once.claim(request('k3')))).toBe(true);
});
