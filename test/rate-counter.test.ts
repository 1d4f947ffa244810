/**
 * The per-organization rate limit counted by several instances: counters sharing one PostgreSQL
 * store add up to one limit per organization; alone, a counter keeps its own window.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RateCounter } from '../src/core/runtime/index.ts';
import { openStore, type Store } from '../src/store/db.ts';
import { type ScratchDatabase, scratchPostgres } from './support/scratch-db.ts';
import { postgresServer } from './support/services.ts';

const skip = await postgresServer();
// The middle of a wall-clock minute, far from the windows the real clock is in.
const T = Date.UTC(2030, 0, 1, 12, 0, 30);

const hits = (counter: RateCounter, org: string, n: number, now = T) =>
  Array.from({ length: n }, () => counter.hit(org, now) === null);

describe('a counter alone', () => {
  test('admits the limit per window from the first request, then gives the reset time', () => {
    const counter = new RateCounter(3);
    expect(hits(counter, 'org_a', 4)).toEqual([true, true, true, false]);
    expect(counter.hit('org_a', T + 1_000)).toBe(T + 60_000);
    expect(counter.hit('org_b', T + 1_000)).toBeNull();
    expect(counter.hit('org_a', T + 60_000)).toBeNull();
  });
});

describe.skipIf(skip)('counters of several instances on one PostgreSQL store', () => {
  let db: ScratchDatabase;
  let store: Store;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'flowyte-rate-'));

  beforeAll(async () => {
    db = await scratchPostgres('rate');
    store = await openStore({ dataDir, databaseUrl: db.url });
  });

  afterAll(async () => {
    await store?.close();
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('add up to one limit per organization, overshooting only by what one flush admits', async () => {
    const a = new RateCounter(10, store);
    const b = new RateCounter(10, store);
    expect(hits(a, 'org_1', 6)).toEqual(Array(6).fill(true));
    await a.settle();
    // b has not heard of a's six yet: its first request goes through and its flush learns the total.
    expect(b.hit('org_1', T)).toBeNull();
    await b.settle();
    expect(hits(b, 'org_1', 4)).toEqual([true, true, true, false]);
    await b.settle();
    // a still believes 6: one more is admitted (the bounded overshoot), then its flush learns 11.
    expect(a.hit('org_1', T)).toBeNull();
    await a.settle();
    expect(a.hit('org_1', T)).toBe(Math.ceil(T / 60_000) * 60_000);
    // Another organization has its own count; the next wall-clock minute starts from zero.
    expect(hits(b, 'org_2', 3)).toEqual([true, true, true]);
    expect(b.hit('org_1', T + 30_000)).toBeNull();
  });

  test('windows are wall-clock minutes, so every instance resets at the same moment', () => {
    const a = new RateCounter(1, store);
    const b = new RateCounter(1, store);
    a.hit('org_3', T);
    b.hit('org_3', T + 10_000);
    expect(a.hit('org_3', T + 20_000)).toBe(T + 30_000);
    expect(b.hit('org_3', T + 20_000)).toBe(T + 30_000);
    a.close();
    b.close();
  });

  test('an unreachable store leaves each instance counting alone instead of refusing requests', async () => {
    const closed = await openStore({ dataDir, databaseUrl: db.url });
    await closed.close();
    const errors: unknown[] = [];
    const c = new RateCounter(2, closed, (e) => errors.push(e));
    expect(c.hit('org_4', T)).toBeNull();
    await c.settle();
    expect(errors.length).toBeGreaterThan(0); // the flush (and the sweep of old windows) failed
    expect(hits(c, 'org_4', 2)).toEqual([true, false]);
  });
});
