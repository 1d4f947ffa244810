/**
 * Read bindings on Pagila (PostgreSQL), end to end over HTTP: bind → publish → invoke, with the
 * answers checked against the database itself; every validation error, scoping refusals, the index
 * hint for an unindexed filter, row caps, and injection strings that find nothing and change nothing.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { localCredentials, openWorld, type World } from './bindings-helpers.ts';
import { PG, postgresDb } from './support/services.ts';

const skip = await postgresDb('pagila');

const lookup = {
  toolName: 'find_customer',
  operation: 'customer.search_by_last_name',
  inputs: [{ param: 'caller_last_name', arg: 'last_name' }],
  projection: [
    { path: ['first_name'] },
    { path: ['email'] },
    { path: ['customer.address', 'phone'], as: 'phone' },
    { path: ['create_date'] },
    { path: ['last_update'] },
    { path: ['activebool'], as: 'active' },
  ],
};

const INJECTIONS = [
  "' OR '1'='1",
  "SMITH' --",
  "SMITH'; DROP TABLE customer; --",
  "x' UNION SELECT email, email, email FROM staff --",
  '%',
  '_MITH',
  '\\',
  '$1',
  "SMITH\u0000'",
  'SMITH" OR ""="',
];

describe.skipIf(skip)('read bindings on Pagila', () => {
  let w: World;
  let sql: pg.Client;
  beforeAll(async () => {
    w = await openWorld('postgres', localCredentials('postgres', 'pagila'));
    sql = new pg.Client({ ...PG, database: 'pagila' });
    await sql.connect();
  });
  afterAll(async () => {
    await w?.server.close();
    await sql?.end();
  });

  test('GET /canonical-parameters serves the registry with types, descriptions and classes', async () => {
    const r = await w.server.call('GET', '/api/v1/canonical-parameters', { key: w.key });
    expect(r.status).toBe(200);
    const names = r.json.data.map((p: any) => p.name);
    for (const n of [
      'caller_phone',
      'caller_name',
      'caller_email',
      'service_address',
      'order_number',
      'appointment_time',
      'date',
      'party_size',
      'notes',
    ])
      expect(names).toContain(n);
    expect(r.json.data.find((p: any) => p.name === 'caller_email')).toMatchObject({
      type: 'string',
      pii: 'email',
      fits: ['string'],
      schema: { format: 'email' },
    });
    expect(r.json.data.every((p: any) => p.description.length > 20)).toBe(true);
    const { key } = await w.server.key('bind-noscope', ['skills:invoke']);
    expect((await w.server.call('GET', '/api/v1/canonical-parameters', { key })).status).toBe(403);
  });

  test('a customer looked up by last name returns first name, email and phone through one foreign-key hop', async () => {
    const r = await w.bind({ ...lookup, enabled: true });
    expect(r.status, r.text).toBe(201);
    // The Skill is at data (Flowyte's shape), with the binding and its compiled outputs as fields.
    const { binding, compiled, ...skill } = r.json.data;
    expect(skill).toMatchObject({
      name: 'find_customer',
      skillType: 'native_sql',
      isEnabled: true,
      isWrite: false,
      requiresConfirmation: false,
      source: { kind: 'postgres', binding: 'customer.search_by_last_name' },
    });
    expect(skill.parametersSchema.properties.caller_last_name.description).toMatch(/last \(family\) name/);
    expect(binding.projection.map((p: any) => p.as)).toEqual([
      'first_name',
      'email',
      'phone',
      'create_date',
      'last_update',
      'active',
    ]);
    expect(compiled).toEqual({
      kind: 'postgres',
      outputs: [
        { name: 'first_name', type: 'string', jsonType: 'string', nullable: false },
        { name: 'email', type: 'string', jsonType: 'string', nullable: true },
        { name: 'phone', type: 'string', jsonType: 'string', nullable: true },
        { name: 'create_date', type: 'date', jsonType: 'string', nullable: false },
        { name: 'last_update', type: 'datetime', jsonType: 'string', nullable: true },
        { name: 'active', type: 'boolean', jsonType: 'boolean', nullable: false },
      ],
    });
    expect(r.text).not.toMatch(/SELECT|JOIN|\$1/);
    await w.publish();
    const tools = await w.server.call('GET', `/api/v1/agents/${w.agent}/tools`, { key: w.key });
    expect(tools.json.data.tools.map((t: any) => t.function.name)).toContain('find_customer');

    const res = await w.invoke('find_customer', { caller_last_name: 'WILLIAMS' });
    expect(res.status, res.text).toBe(200);
    const expected = await sql.query(
      `select c.first_name, c.email, a.phone, to_char(c.create_date, 'YYYY-MM-DD') d from customer c left join address a on a.address_id = c.address_id where c.last_name = 'WILLIAMS' order by c.customer_id`,
    );
    const rows = res.json.data.result.rows;
    expect(res.json.data.result.truncated).toBe(false);
    expect(rows.map((x: any) => [x.first_name, x.email, x.phone, x.create_date])).toEqual(
      expect.arrayContaining(expected.rows.map((x) => [x.first_name, x.email, x.phone, x.d])),
    );
    expect(rows).toHaveLength(expected.rows.length);
    expect(rows[0].last_update).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(typeof rows[0].active).toBe('boolean');
    expect(
      (await w.invoke('find_customer', { caller_last_name: 'NOBODY-HAS-THIS' })).json.data.result,
    ).toEqual({ rows: [], rowCount: 0, truncated: false });
  });

  test('a read lands disabled unless enabled: true, and a capped read says when it was cut', async () => {
    await w.newAgent();
    const r = await w.bind({
      toolName: 'store_customers',
      operation: 'customer.search_by_store_id',
      inputs: [{ param: 'store_id', arg: 'store_id' }],
      projection: [{ path: ['customer_id'] }],
      maxRows: 5,
    });
    expect(r.json.data.isEnabled).toBe(false);
    expect(r.json.data.parametersSchema.properties.store_id).toMatchObject({
      type: 'integer',
      minimum: -2147483648,
      maximum: 2147483647,
    });
    await w.patchSkill(r.json.data.id, { isEnabled: true });
    await w.publish();
    const res = await w.invoke('store_customers', { store_id: 1 });
    expect(res.json.data.result).toMatchObject({ rowCount: 5, truncated: true });
    expect(res.json.data.result.rows).toHaveLength(5);
  });

  test('injection strings as arguments return no extra rows and change nothing', async () => {
    await w.newAgent();
    await w.bind({ ...lookup, enabled: true });
    await w.publish();
    const before = (
      await sql.query(
        "select count(*)::int n, md5(string_agg(last_name, ',' order by customer_id)) h from customer",
      )
    ).rows[0];
    for (const evil of INJECTIONS) {
      const res = await w.invoke('find_customer', { caller_last_name: evil });
      if (evil.includes('\u0000')) {
        expect(res.status, evil).toBeLessThan(500);
        continue;
      }
      expect(res.status, `${evil}: ${res.text}`).toBe(200);
      expect(res.json.data.result.rows, evil).toEqual([]);
    }
    const after = (
      await sql.query(
        "select count(*)::int n, md5(string_agg(last_name, ',' order by customer_id)) h from customer",
      )
    ).rows[0];
    expect(after).toEqual(before);
  });

  test('a filter on an unindexed column is refused with the index that would make it bindable', async () => {
    const byArg = await w.bind({
      toolName: 'by_email',
      operation: 'customer.search_by_last_name',
      inputs: [{ param: 'caller_email', arg: 'email' }],
      projection: [{ path: ['first_name'] }],
    });
    expect(byArg.status).toBe(422);
    expect(byArg.json.code).toBe('binding_invalid');
    expect(byArg.json.errors).toEqual([
      {
        field: 'inputs[0].arg',
        message: expect.stringContaining(
          'CREATE INDEX "customer_email_idx" ON "public"."customer" ("email");',
        ),
      },
    ]);
    const byOp = await w.bind({
      toolName: 'by_email',
      operation: 'customer.search_by_email',
      inputs: [{ param: 'caller_email', arg: 'email' }],
      projection: [{ path: ['first_name'] }],
    });
    expect(byOp.json.errors[0]).toMatchObject({
      field: 'operation',
      message: expect.stringContaining('CREATE INDEX "customer_email_idx"'),
    });
  });

  test('every validation problem is reported at once, and nothing is saved', async () => {
    const agent = await w.newAgent();
    const r = await w.bind({
      toolName: 'broken',
      operation: 'customer.search_by_last_name',
      isWrite: true,
      inputs: [
        { param: 'party_size', arg: 'last_name' },
        { param: 'confirmed', arg: 'customer_id' },
      ],
      projection: [
        { path: ['nope'] },
        { path: ['address'] },
        { path: ['customer.rentals', 'rental_id'] },
        { path: ['customer.address', 'city', 'city'] },
        { path: ['address', 'nope'] },
        { path: ['first_name'], as: 'bad name' },
        { path: ['email'], as: 'x' },
        { path: ['last_name'], as: 'x' },
        { path: ['nosuchrel', 'phone'] },
      ],
      inputObjectMap: [{ field: 'email', param: 'e' }],
      keyColumn: 'customer_id',
    });
    expect(r.status).toBe(422);
    const messages = Object.fromEntries(r.json.errors.map((e: any) => [e.field, e.message]));
    expect(messages.isWrite).toMatch(/read/);
    expect(messages.inputs).toMatch(/exactly one filter.*got 2/);
    expect(messages['inputs[0].param']).toMatch(/type mismatch/);
    expect(messages['inputs[1].param']).toMatch(/reserved/);
    expect(messages['projection[0].path']).toMatch(/no field "nope"/);
    expect(messages['projection[1].path']).toMatch(/relationship, not a scalar leaf/);
    expect(messages['projection[2].path']).toMatch(/many-to-one/);
    expect(messages['projection[3].path']).toMatch(/at most one foreign-key hop/);
    expect(messages['projection[4].path']).toMatch(/address has no field "nope"/);
    expect(messages['projection[5].as']).toMatch(/must start with a letter/);
    expect(messages['projection[7].as']).toMatch(/used twice/);
    expect(messages['projection[8].path']).toMatch(/no relationship "nosuchrel"/);
    expect(messages.inputObjectMap).toMatch(/only write bindings/);
    expect(messages.keyColumn).toMatch(/only update bindings/);
    expect(r.json.errors.length).toBeGreaterThanOrEqual(14);
    const arrays = await w.bind({
      toolName: 'films',
      operation: 'film.search_by_title',
      inputs: [{ param: 'title', arg: 'title' }],
      projection: [{ path: ['special_features'] }],
    });
    expect(arrays.json.errors[0]).toMatchObject({
      field: 'projection[0].path',
      message: expect.stringMatching(/array/),
    });
    const unknown = await w.bind({
      toolName: 'x',
      operation: 'custmer.search_by_last_name',
      inputs: [],
      projection: [],
    });
    expect(unknown.json.errors[0]).toMatchObject({
      field: 'operation',
      message: expect.stringMatching(/no operation/),
    });
    const wrongOp = await w.bind({
      toolName: 'x',
      operation: 'customer.search_by_last_name',
      inputs: [{ param: 'id', arg: 'customer_id' }],
      projection: [{ path: ['email'] }],
    });
    expect(wrongOp.json.errors[0].message).toMatch(
      /filters on last_name, not customer_id; use customer\.(get|search_by_customer_id)/,
    );
    expect((await w.server.call('GET', `/api/v1/agents/${agent}/skills`, { key: w.key })).json.data).toEqual(
      [],
    );
  });

  test("scoping refuses blocked objects and fields at bind time, naming the operator's scoping", async () => {
    await w.newAgent();
    const scope = (body: unknown) =>
      w.server.call('PATCH', '/api/v1/integrations/postgres/scoping', { key: w.key, body });
    try {
      expect((await scope({ blockedObjects: ['address'], blockedFields: ['customer.email'] })).status).toBe(
        200,
      );
      const r = await w.bind(lookup);
      expect(r.status).toBe(422);
      const messages = Object.fromEntries(r.json.errors.map((e: any) => [e.field, e.message]));
      expect(messages['projection[1].path']).toMatch(
        /"customer\.email" is blocked by the operator's scoping/,
      );
      expect(messages['projection[2].path']).toMatch(/"address" is blocked|no relationship/);
      const filter = await w.bind({
        ...lookup,
        toolName: 'by_mail',
        operation: 'customer.search_by_last_name',
        inputs: [{ param: 'e', arg: 'email' }],
        projection: [{ path: ['first_name'] }],
      });
      expect(filter.json.errors[0].message).toMatch(/blocked by the operator's scoping/);
      await scope({ blockedObjects: ['customer'], blockedFields: [] });
      const whole = await w.bind(lookup);
      expect(whole.json.errors[0]).toMatchObject({
        field: 'operation',
        message: expect.stringMatching(/"customer" is blocked/),
      });
    } finally {
      await scope({ blockedObjects: [], blockedFields: [] });
    }
    expect((await w.bind(lookup)).status).toBe(201);
  });

  test('binding needs skills:write, a known agent, a connected and discovered kind', async () => {
    const { key } = await w.server.key(`bind-ro-${Date.now()}`, ['agents:read', 'integrations:read']);
    const denied = await w.server.call('POST', `/api/v1/agents/${w.agent}/integrations/postgres/bindings`, {
      key,
      body: lookup,
    });
    expect(denied.status).toBe(403);
    expect(
      (
        await w.server.call('POST', '/api/v1/agents/agt_nope/integrations/postgres/bindings', {
          key: w.key,
          body: lookup,
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await w.bind({ ...lookup, toolName: 'mysql_one' }).then(() =>
          w.server.call('POST', `/api/v1/agents/${w.agent}/integrations/mysql/bindings`, {
            key: w.key,
            body: lookup,
          }),
        )
      ).json.code,
    ).toBe('integration_not_connected');
    expect(
      (
        await w.server.call('POST', `/api/v1/agents/${w.agent}/integrations/hubspot/bindings`, {
          key: w.key,
          body: lookup,
        })
      ).status,
    ).toBe(403);
    const extra = await w.server.call('POST', `/api/v1/agents/${w.agent}/integrations/postgres/bindings`, {
      key: w.key,
      body: { ...lookup, sql: 'select 1' },
    });
    expect(extra.status).toBe(400);
  });
});
