import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { loadConfig } from '../../config.ts';
import { newId, nowIso } from '../../ids.ts';
import { createServices, type Services } from '../../services.ts';
import type { ExecutionsTable } from '../../store/schema.ts';
import { ExecutionLog } from './execution-log.ts';

let services: Services;
let dataDir: string;
let orgId: string;
let agentId: string;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'flowyte-exelog-'));
  services = await createServices(loadConfig({ FLOWYTE_DATA_DIR: dataDir }));
  orgId = (await services.apiKeys.create({ orgName: 'exelog', scopes: ['agents:write'] })).orgId;
  agentId = (await services.agents.create(orgId, { name: 'logged' } as any)).id;
});

afterAll(async () => {
  await services.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const row = (i: number, agent = agentId): ExecutionsTable => ({
  id: newId('exe'),
  org_id: orgId,
  agent_id: agent,
  skill_id: 'skl_x',
  skill_name: `tool_${i}`,
  version_id: null,
  version_number: null,
  outcome: 'ok',
  error_code: null,
  duration_ms: 1,
  arguments: '{}',
  conversation_id: null,
  created_at: nowIso(),
});

const count = async () =>
  Number(
    (
      await services.store.db
        .selectFrom('executions')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('agent_id', '=', agentId)
        .executeTakeFirstOrThrow()
    ).n,
  );

test('a burst of 500 records lands whole, in chunks that let the event loop turn between them', async () => {
  const log = new ExecutionLog(services.store, () => {});
  const before = await count();
  for (let i = 0; i < 500; i++) log.record(row(i)); // the 500th starts a flush
  let turns = 0;
  let done = false;
  const tick = () => {
    if (done) return;
    turns++;
    setImmediate(tick);
  };
  setImmediate(tick);
  await log.flush();
  done = true;
  expect(await count()).toBe(before + 500);
  // SQLite writes are synchronous: one 500-row statement would let no turn happen until it ended.
  expect(turns).toBeGreaterThanOrEqual(5);
});

test('a row that cannot be stored costs only itself', async () => {
  const errors: unknown[] = [];
  const log = new ExecutionLog(services.store, (e) => errors.push(e));
  const before = await count();
  for (let i = 0; i < 120; i++) log.record(row(i, i === 60 ? 'agt_gone' : agentId));
  await log.flush();
  expect(await count()).toBe(before + 119);
  expect(errors).toHaveLength(1);
});
