/**
 * Shopify discovery and GraphQL bindings over HTTP against the fake serving the real Admin
 * 2026-10 schema: discovery counts, scoping, a hand binding through objects and connections, a
 * search value that tries to add a filter (it stays one quoted term), a gated mutation binding,
 * binder refusals, and auto-map on the Shopify schema.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import {
  connectShop,
  invoker,
  newAgent,
  publish,
  type ShopifyE2e,
  startShopifyE2e,
} from './shopify-support.ts';

let e: ShopifyE2e;
let key: string;
let agentId: string;

beforeAll(async () => {
  e = await startShopifyE2e();
  ({ key } = await connectShop(e, 'bind-org', { shop: e.shop.domain, access_token: e.shop.accessToken }));
  agentId = await newAgent(e.s, key);
});
afterAll(() => e.close());

const bind = (body: unknown) =>
  e.s.call('POST', `/api/v1/agents/${agentId}/integrations/shopify/bindings`, { key, body });

test('discovery normalizes the Admin schema: objects, fields, relationships and operations', async () => {
  expect((await e.s.call('GET', '/api/v1/integrations/shopify/schema', { key })).json.code).toBe(
    'not_discovered',
  );
  const res = await e.s.call('POST', '/api/v1/integrations/shopify/discover', { key, body: {} });
  expect(res.status, res.text).toBe(200);
  const d = res.json.data;
  expect(d.objectCount).toBeGreaterThan(500);
  expect(d.fieldCount).toBeGreaterThan(2000);
  expect(d.edgeCount).toBeGreaterThan(1000);
  expect(d.operationCount).toBeGreaterThan(500);
  const objects = await e.s.call('GET', '/api/v1/integrations/shopify/objects?q=Order&limit=200', { key });
  const order = objects.json.data.find((o: any) => o.name === 'Order');
  expect(order).toMatchObject({
    kind: 'graphql_type',
    capabilities: ['read', 'search', 'create', 'update'],
    primaryKey: ['id'],
  });
  const schema = (await e.s.call('GET', '/api/v1/integrations/shopify/schema', { key })).json.data;
  const o = schema.objects.find((x: any) => x.name === 'Order');
  const field = (n: string) => o.fields.find((f: any) => f.name === n);
  expect(field('email')).toMatchObject({ type: 'string', pii: 'email', leadingIndex: true });
  expect(field('displayFinancialStatus')).toMatchObject({
    type: 'enum',
    enumValues: expect.arrayContaining(['PAID']),
  });
  expect(o.fields.some((f: any) => f.deprecated)).toBe(true);
  expect(schema.relationships.find((r: any) => r.name === 'Order.lineItems')).toMatchObject({
    to: { object: 'LineItem' },
    cardinality: 'one_to_many',
  });
  expect(schema.relationships.find((r: any) => r.name === 'Order.customer')).toMatchObject({
    cardinality: 'many_to_one',
  });
  const ops = schema.operations.filter((x: any) => x.object === 'Order').map((x: any) => x.name);
  expect(ops).toEqual(
    expect.arrayContaining([
      'Order.get',
      'Order.search_by_email',
      'Order.search_by_name',
      'Order.orderUpdate',
    ]),
  );
});

test('a hand binding through an object and a connection returns rows with lists, capped', async () => {
  const res = await bind({
    toolName: 'orders_by_email',
    operation: 'Order.search_by_email',
    inputs: [{ param: 'caller_email', arg: 'email' }],
    projection: [
      { path: ['name'], as: 'order_number' },
      { path: ['displayFulfillmentStatus'], as: 'status' },
      { path: ['totalPriceSet', 'shopMoney', 'amount'], as: 'total' },
      { path: ['customer', 'email'], as: 'customer_email' },
      { path: ['lineItems', 'title'], as: 'items' },
    ],
    enabled: true,
  });
  expect(res.status, res.text).toBe(201);
  const skill = res.json.data;
  const { compiled } = skill;
  expect(skill).toMatchObject({ skillType: 'native_graphql', isEnabled: true, isWrite: false });
  expect(compiled.outputs.find((x: any) => x.name === 'items')).toMatchObject({ list: true });
  expect(JSON.stringify(res.json)).not.toContain('query FlowyteBinding');
  await publish(e.s, key, agentId);
  const o = e.shop.orders.find((x) => x.email)!;
  const out = await invoker(e.s, key, agentId)('orders_by_email', { caller_email: o.email });
  expect(out.status, out.text).toBe(200);
  const rows = out.json.data.result.rows;
  expect(rows.length).toBe(Math.min(5, e.shop.orders.filter((x) => x.email === o.email).length));
  expect(rows[0]).toMatchObject({
    customer_email: o.email,
    items: expect.any(Array),
    total: expect.any(String),
  });
  expect(rows.map((r: any) => r.order_number)).toContain(o.name);
});

test('a search value cannot add a filter: it reaches Shopify as one quoted term and matches nothing', async () => {
  const o = e.shop.orders.find((x) => x.email)!;
  // A parameter without the canonical email format, so any text reaches the search.
  const made = await bind({
    toolName: 'orders_by_text',
    operation: 'Order.search_by_email',
    inputs: [{ param: 'email_text', arg: 'email' }],
    projection: [{ path: ['name'] }],
    enabled: true,
  });
  expect(made.status, made.text).toBe(201);
  await publish(e.s, key, agentId);
  const invoke = invoker(e.s, key, agentId);
  expect(
    (await invoke('orders_by_text', { email_text: o.email })).json.data.result.rows.length,
  ).toBeGreaterThan(0);
  e.fake.requests.length = 0;
  for (const attack of [`${o.email} OR status:any`, `x" OR email:${o.email}`, `x\\" OR name:*`, '*']) {
    const res = await invoke('orders_by_text', { email_text: attack });
    expect(res.status, res.text).toBe(200);
    expect(res.json.data.result.rows, attack).toEqual([]);
  }
  const sent = e.fake.requests
    .filter((r) => r.kind === 'graphql')
    .map((r) => (r.variables as { q: string }).q);
  expect(sent[0]).toBe(`email:"${o.email} OR status:any"`);
  expect(sent[1]).toBe(`email:"x\\" OR email:${o.email}"`);
});

test('the binder refuses what does not fit, one error per problem', async () => {
  const res = await bind({
    toolName: 'bad_one',
    operation: 'Order.search_by_email',
    inputs: [{ param: 'confirmed', arg: 'name' }],
    projection: [
      { path: ['customer'] },
      { path: ['lineItems', 'nope'] },
      { path: ['userErrors', 'message'] },
      { path: ['lineItems', 'variant', 'title', 'x'] },
    ],
  });
  expect(res.status, res.text).toBe(422);
  expect(res.json.code).toBe('binding_invalid');
  const fields = res.json.errors.map((x: any) => x.field);
  expect(fields).toEqual(
    expect.arrayContaining([
      'inputs[0].param',
      'projection[0].path[0]',
      'projection[1].path[1]',
      'projection[2].path',
      'projection[3].path[2]',
    ]),
  );
  const unknown = await bind({
    toolName: 'x',
    operation: 'Order.search_by_emial',
    inputs: [{ param: 'e', arg: 'email' }],
    projection: [{ path: ['name'] }],
  });
  expect(unknown.json.errors[0].message).toContain('Order.search_by_email');
});

test('scoping hides a field from the schema and from binding', async () => {
  const scoped = await e.s.call('PATCH', '/api/v1/integrations/shopify/scoping', {
    key,
    body: { blockedObjects: [], blockedFields: ['Order.phone'] },
  });
  expect(scoped.status, scoped.text).toBe(200);
  const res = await bind({
    toolName: 'phones',
    operation: 'Order.get',
    inputs: [{ param: 'order_id', arg: 'id' }],
    projection: [{ path: ['phone'] }],
  });
  expect(res.status).toBe(422);
  expect(res.json.errors[0].message).toContain('blocked');
  await e.s.call('PATCH', '/api/v1/integrations/shopify/scoping', {
    key,
    body: { blockedObjects: [], blockedFields: [] },
  });
});

test('a mutation binding lands disabled and gated, and writes through Shopify', async () => {
  const res = await bind({
    toolName: 'set_order_note',
    operation: 'Order.orderUpdate',
    inputObjectMap: [
      { field: 'id', param: 'order_id' },
      { field: 'note', param: 'notes' },
    ],
    projection: [{ path: ['note'] }],
    enabled: true,
  });
  expect(res.status, res.text).toBe(201);
  const skill = res.json.data;
  expect(skill).toMatchObject({
    isWrite: true,
    isEnabled: false,
    requiresConfirmation: true,
    requiresVerifiedIdentity: true,
  });
  await e.s.call('PATCH', `/api/v1/agents/${agentId}/skills/${skill.id}`, { key, body: { isEnabled: true } });
  await publish(e.s, key, agentId);
  const o = e.shop.orders[0];
  const invoke = invoker(e.s, key, agentId);
  const out = await invoke(
    'set_order_note',
    { order_id: o.id, notes: 'Gift wrap, please.' },
    { confirmed: true, callerVerified: true },
  );
  expect(out.status, out.text).toBe(200);
  expect(out.json.data.result.record.note).toBe('Gift wrap, please.');
  const bad = await invoke(
    'set_order_note',
    { order_id: 'gid://shopify/Order/1', notes: 'x' },
    { confirmed: true, callerVerified: true },
  );
  expect(bad.status).toBe(422);
  expect(bad.json.code).toBe('write_not_applied');
});

test('auto-map turns a goal into a Shopify binding', async () => {
  const res = await e.s.call('POST', `/api/v1/agents/${agentId}/integrations/shopify/bindings/auto`, {
    key,
    body: { goal: 'let callers check their order status by email' },
  });
  expect(res.status, res.text).toBe(201);
  expect(res.json.data.binding.operation).toBe('Order.search_by_email');
  expect(res.json.data.skill.skillType).toBe('native_graphql');
});

test('Order.get takes the number a caller reads out as well as a global id', async () => {
  const made = await bind({
    toolName: 'order_by_id',
    operation: 'Order.get',
    inputs: [{ param: 'order_id', arg: 'id' }],
    projection: [{ path: ['name'] }, { path: ['lineItems', 'quantity'], as: 'quantities' }],
    enabled: true,
  });
  expect(made.status, made.text).toBe(201);
  await publish(e.s, key, agentId);
  const o = e.shop.orders[1];
  const invoke = invoker(e.s, key, agentId);
  const byNumber = await invoke('order_by_id', { order_id: o.id.split('/').pop() });
  expect(byNumber.status, byNumber.text).toBe(200);
  expect(byNumber.json.data.result.rows).toEqual([{ name: o.name, quantities: expect.any(Array) }]);
  const byGid = await invoke('order_by_id', { order_id: o.id });
  expect(byGid.json.data.result.rows[0].name).toBe(o.name);
  expect((await invoke('order_by_id', { order_id: '1' })).json.data.result.rows).toEqual([]);
});

test('a mutation Shopify answers 5xx is not sent again, and the answer says it may have applied', async () => {
  const invoke = invoker(e.s, key, agentId);
  const o = e.shop.orders[2];
  e.fake.faults.failNext(502, 3);
  const before = e.fake.requests.filter((r) => r.kind === 'graphql').length;
  const res = await invoke(
    'set_order_note',
    { order_id: o.id, notes: 'Again?' },
    { confirmed: true, callerVerified: true },
  );
  e.fake.faults.reset();
  expect(res.status).toBe(502);
  expect(res.json).toMatchObject({ code: 'provider_error', mayHaveApplied: true });
  expect(e.fake.requests.filter((r) => r.kind === 'graphql').length - before).toBe(1);
});
