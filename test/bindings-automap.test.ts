/**
 * Auto-map over HTTP: plain-language goals become the same bindings an operator would write,
 * validated by the binder and saved as disabled drafts; the same goal always gives the same answer;
 * a goal nothing fits is 422 goal_not_mappable with the closest candidates (index hints included).
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { localCredentials, openWorld, SHOP_SQL, type World } from './bindings-helpers.ts';
import { type ScratchDatabase, scratchPostgres } from './support/scratch-db.ts';
import { PG, postgresDb, postgresServer } from './support/services.ts';

const skip = (await postgresServer()) ?? (await postgresDb('pagila'));

describe.skipIf(skip)('auto-map', () => {
  let db: ScratchDatabase;
  let shop: World;
  let pagila: World;
  beforeAll(async () => {
    db = await scratchPostgres('automap');
    const c = new pg.Client({ ...PG, database: db.name });
    await c.connect();
    await c.query(SHOP_SQL);
    await c.end();
    shop = await openWorld('postgres', localCredentials('postgres', db.name));
    pagila = await openWorld('postgres', localCredentials('postgres', 'pagila'), shop.server);
  });
  afterAll(async () => {
    await shop?.server.close();
    await db?.drop();
  });

  test('"check their order status by email" binds orders by the indexed email column with caller_email', async () => {
    const r = await shop.auto({ goal: 'Let callers check their order status by email' });
    expect(r.status, r.text).toBe(201);
    const { skill, binding, explanation, confidence, alternatives } = r.json.data;
    expect(binding.operation).toBe('orders.search_by_customer_email');
    expect(binding.inputs).toEqual([{ param: 'caller_email', arg: 'customer_email' }]);
    expect(binding.projection.map((p: any) => p.as)).toContain('status');
    expect(skill).toMatchObject({ isEnabled: false, isWrite: false, skillType: 'native_sql' });
    expect(skill.parametersSchema.properties.caller_email).toMatchObject({ type: 'string', format: 'email' });
    expect(explanation).toMatch(/orders/);
    expect(confidence).toBeGreaterThanOrEqual(0.6);
    expect(Array.isArray(alternatives)).toBe(true);
    await shop.patchSkill(skill.id, { isEnabled: true });
    await shop.publish();
    const res = await shop.invoke(skill.name, { caller_email: 'ada@example.com' });
    expect(res.status, res.text).toBe(200);
    expect(res.json.data.result.rows.map((x: any) => x.status).sort()).toEqual(['received', 'shipped']);
  });

  test('"look up an order by order number" uses the canonical order_number', async () => {
    const r = await shop.auto({ goal: 'look up an order by order number', enabled: true });
    expect(r.status, r.text).toBe(201);
    expect(r.json.data.binding).toMatchObject({
      operation: 'orders.search_by_order_number',
      inputs: [{ param: 'order_number', arg: 'order_number' }],
    });
    expect(r.json.data.skill.isEnabled).toBe(true);
  });

  test('a write goal lands disabled and gated, with canonical names for what it changes', async () => {
    const r = await shop.auto({ goal: 'let callers update their phone number', enabled: true });
    expect(r.status, r.text).toBe(201);
    expect(r.json.data.binding).toMatchObject({
      operation: 'customers.update',
      keyColumn: 'id',
      inputObjectMap: [{ field: 'phone', param: 'caller_phone' }],
    });
    expect(r.json.data.skill).toMatchObject({
      isEnabled: false,
      isWrite: true,
      requiresConfirmation: true,
      requiresVerifiedIdentity: true,
    });
  });

  test('the same goal gives the same binding every time, and returns the draft it already made', async () => {
    const goal = 'find a customer by phone';
    const a = await shop.auto({ goal });
    expect(a.status, a.text).toBe(201);
    expect(a.json.data.created).toBe(true);
    const b = await shop.auto({ goal });
    expect(b.status, b.text).toBe(200);
    expect(b.json.data).toMatchObject({ created: false, confidence: a.json.data.confidence });
    expect(b.json.data.skill.id).toBe(a.json.data.skill.id);
    expect(b.json.data.binding).toEqual(a.json.data.binding);
    expect(a.json.data.binding.inputs).toEqual([{ param: 'caller_phone', arg: 'phone' }]);
    expect(b.json.data.explanation).toMatch(/already made/);
  });

  test('a dry run proposes without saving; each choice is explained in a sentence', async () => {
    await shop.newAgent();
    const r = await shop.auto({
      goal: 'look up an order by order number and tell me its status and total',
      dryRun: true,
      enabled: true,
    });
    expect(r.status, r.text).toBe(200);
    expect(r.json.data).toMatchObject({ skill: null, created: false, dryRun: true });
    expect(r.json.data.binding).toMatchObject({
      operation: 'orders.search_by_order_number',
      projection: [
        { path: ['status'], as: 'status' },
        { path: ['total'], as: 'total' },
      ],
    });
    expect(r.json.data.choices).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Filters orders\.order_number: the goal looks up by "order number"/),
        expect.stringMatching(/^Returns status \(the goal says "status"\); total/),
        'Dry run: nothing was saved.',
      ]),
    );
    const skills = await shop.server.call('GET', `/api/v1/agents/${shop.agent}/skills`, { key: shop.key });
    expect(skills.json.data).toEqual([]);
  });

  test('enabling is honoured only for a confident proposal; a write never', async () => {
    await shop.newAgent();
    // No lookup named: the key is a guess, so the goal is refused rather than saved.
    const vague = await shop.auto({ goal: 'show a customer', enabled: true });
    expect(vague.status, vague.text).toBe(422);
    expect(vague.json.code).toBe('goal_not_mappable');
    expect(vague.json.candidates[0]).toMatchObject({ operation: expect.stringMatching(/^customers\./) });
    expect(vague.json.candidates[0].confidence).toBeLessThan(0.6);
    const sure = await shop.auto({ goal: 'find a customer by email and give their name', enabled: true });
    expect(sure.status, sure.text).toBe(201);
    expect(sure.json.data.confidence).toBeGreaterThanOrEqual(0.75);
    expect(sure.json.data.skill.isEnabled).toBe(true);
    expect(sure.json.data.binding.projection).toEqual([{ path: ['full_name'], as: 'full_name' }]);
  });

  test('on Pagila a customer lookup follows the address key for the phone', async () => {
    const r = await pagila.auto({
      goal: 'look up a customer by last name and return first name, email and phone',
    });
    expect(r.status, r.text).toBe(201);
    const b = r.json.data.binding;
    expect(b.operation).toBe('customer.search_by_last_name');
    expect(b.inputs).toEqual([{ param: 'caller_last_name', arg: 'last_name' }]);
    expect(b.projection).toEqual(
      expect.arrayContaining([
        { path: ['first_name'], as: 'first_name' },
        { path: ['email'], as: 'email' },
        { path: ['address', 'phone'], as: 'phone' },
      ]),
    );
  });

  test('goals nothing fits are 422 goal_not_mappable with the closest candidates', async () => {
    const none = await shop.auto({ goal: 'book a flight to Mars' });
    expect(none.status).toBe(422);
    expect(none.json.code).toBe('goal_not_mappable');
    expect(Array.isArray(none.json.candidates)).toBe(true);
    // Pagila keeps no index on customer.email: the candidate says which index would fix that.
    const unindexed = await pagila.auto({ goal: 'let callers check their order status by email' });
    expect(unindexed.status).toBe(422);
    expect(unindexed.json.candidates).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          object: 'customer',
          field: 'email',
          createIndex: 'CREATE INDEX "customer_email_idx" ON "public"."customer" ("email");',
        }),
      ]),
    );
    const skills = await pagila.server.call('GET', `/api/v1/agents/${pagila.agent}/skills`, {
      key: pagila.key,
    });
    expect(skills.json.data.every((s: any) => s.source.binding !== undefined)).toBe(true);
  });

  test('"find the caller by phone" looks the caller up among customers, by the indexed phone column', async () => {
    await shop.newAgent(); // tool names of the earlier tests stay out of the way
    for (const [goal, column, param] of [
      ['find the caller by phone number', 'phone', 'caller_phone'],
      ['look up the caller by email', 'email', 'caller_email'],
    ]) {
      const r = await shop.auto({ goal });
      expect(r.status, `${goal}: ${r.text}`).toBe(201);
      expect(r.json.data.binding).toMatchObject({
        operation: `customers.search_by_${column}`,
        inputs: [{ param, arg: column }],
      });
    }
  });
});
