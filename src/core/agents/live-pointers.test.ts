import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { loadConfig } from '../../config.ts';
import { createServices, type Services } from '../../services.ts';
import { setLiveVersion } from '../../store/agents.ts';
import { LivePointers } from './live-pointers.ts';

let services: Services;
let dataDir: string;
let orgId: string;
let agentId: string;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'flowyte-pointers-'));
  services = await createServices(loadConfig({ FLOWYTE_DATA_DIR: dataDir }));
  orgId = (await services.apiKeys.create({ orgName: 'pointers', scopes: ['agents:write'] })).orgId;
  agentId = (await services.agents.create(orgId, { name: 'pointed' } as any)).id;
});

afterAll(async () => {
  await services.close();
  rmSync(dataDir, { recursive: true, force: true });
});

// The foreign key wants a real version id only when one is set: null is "nothing live".
const setLive = (id: string | null) =>
  setLiveVersion(services.store, orgId, agentId, id as string, new Date().toISOString());

test('a change told through the feed is served on the next call', async () => {
  const pointers = new LivePointers(services.store);
  expect(await pointers.liveVersionId(orgId, agentId)).toBeNull();
  const { id } = await services.versions.publish(orgId, agentId, null);
  // versions.publish told its own LivePointers; this one hears the same feed.
  expect(await pointers.liveVersionId(orgId, agentId)).toBe(id);
});

test('a change nobody told is served within a second, from the cache until then', async () => {
  const pointers = new LivePointers(services.store);
  const live = await pointers.liveVersionId(orgId, agentId);
  expect(live).not.toBeNull();
  await setLive(null); // written behind the cache's back, as another program could
  expect(await pointers.liveVersionId(orgId, agentId)).toBe(live);
  await new Promise((r) => setTimeout(r, 1_050));
  expect(await pointers.liveVersionId(orgId, agentId)).toBeNull();
});

test("another organization's agent is not found, cached or not", async () => {
  const pointers = new LivePointers(services.store);
  await pointers.liveVersionId(orgId, agentId);
  await expect(pointers.liveVersionId('org_other', agentId)).rejects.toMatchObject({ code: 'not_found' });
});
