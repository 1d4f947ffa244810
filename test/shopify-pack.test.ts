/**
 * The Shopify "Order support" pack end to end over HTTP against the fake: every preset invoked, the
 * second-factor rule (a wrong factor and an unknown order answer alike), the gates of the write,
 * a preset whose scope the token lacks installs disabled naming it, Shopify's throttling honoured,
 * and another organization sees nothing.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { strictSchemaErrors } from '../src/core/skills/index.ts';
import { shopify } from '../src/providers/shopify/index.ts';
import { connectShop, newAgent, packAgent, type ShopifyE2e, startShopifyE2e } from './shopify-support.ts';
import { ALL_SCOPES } from './support/oauth-dance.ts';

let e: ShopifyE2e;
let key: string;
let agentId: string;
let invoke: Awaited<ReturnType<typeof packAgent>>['invoke'];

beforeAll(async () => {
  e = await startShopifyE2e();
  ({ key } = await connectShop(e, 'shop-org', { shop: e.shop.domain, access_token: e.shop.accessToken }));
  ({ agentId, invoke } = await packAgent(e, key));
});
afterAll(() => e.close());

const shipped = () =>
  e.shop.orders.find(
    (o) => o.fulfillmentStatus === 'FULFILLED' && o.trackingNumbers.length && o.email && o.phone,
  )!;

test('the pack lists five presets whose schemas pass OpenAI strict mode; the write lands disabled', async () => {
  for (const a of shopify.pack!.actions!) expect(strictSchemaErrors(a.parameters), a.slug).toEqual([]);
  const fresh = await newAgent(e.s, key);
  const pack = await e.s.call('GET', `/api/v1/agents/${fresh}/integrations/shopify/pack`, { key });
  expect(pack.json.data.presets.map((p: any) => p.slug)).toEqual([
    'lookup_order',
    'order_status_by_email',
    'search_products',
    'check_inventory',
    'add_order_note',
  ]);
  const installed = await e.s.call('POST', `/api/v1/agents/${fresh}/integrations/shopify/pack/install`, {
    key,
    body: {},
  });
  const bySlug = Object.fromEntries(installed.json.data.map((r: any) => [r.skill.name, r.skill]));
  expect(bySlug.add_order_note).toMatchObject({
    isWrite: true,
    isEnabled: false,
    requiresConfirmation: true,
    requiresVerifiedIdentity: true,
  });
  expect(bySlug.recent_orders_by_email).toMatchObject({ requiresVerifiedIdentity: true, isEnabled: true });
  expect(bySlug.lookup_order).toMatchObject({ skillType: 'native_graphql', isEnabled: true });
  const again = await e.s.call('POST', `/api/v1/agents/${fresh}/integrations/shopify/pack/install`, {
    key,
    body: {},
  });
  expect(again.json.data.every((r: any) => r.created === false)).toBe(true);
});

test('lookup_order: the number with the email or the phone finds the order, with items, total and tracking', async () => {
  const o = shipped();
  const byEmail = await invoke('lookup_order', {
    order_number: o.name,
    email: o.email!.toUpperCase(),
    phone: null,
  });
  expect(byEmail.status, byEmail.text).toBe(200);
  const order = byEmail.json.data.result.order;
  expect(byEmail.json.data.result.found).toBe(true);
  expect(order.orderNumber).toBe(o.name);
  expect(order.items.length).toBeGreaterThan(0);
  expect(order.total).toMatchObject({ currency: expect.any(String), amount: expect.any(String) });
  expect(order.fulfillments.flatMap((f: any) => f.tracking.map((t: any) => t.number))).toEqual(
    expect.arrayContaining(o.trackingNumbers),
  );
  // "1001" without the #, and the phone in another format (digits compared).
  const digits = o.phone!.replace(/\D/g, '');
  const spaced = `(${digits.slice(1, 4)}) ${digits.slice(4, 7)}-${digits.slice(7)}`;
  const byPhone = await invoke('lookup_order', { order_number: o.name.slice(1), email: null, phone: spaced });
  expect(byPhone.json.data.result.order.orderNumber).toBe(o.name);
});

test('a wrong second factor and an unknown order answer exactly alike; no factor is a 400', async () => {
  const o = shipped();
  const wrong = await invoke('lookup_order', {
    order_number: o.name,
    email: 'someone.else@example.com',
    phone: null,
  });
  const unknown = await invoke('lookup_order', { order_number: '#999999', email: o.email, phone: null });
  expect(wrong.status).toBe(200);
  expect(wrong.json.data.result).toEqual(unknown.json.data.result);
  expect(wrong.json.data.result.found).toBe(false);
  const none = await invoke('lookup_order', { order_number: o.name, email: null, phone: null });
  expect(none.status).toBe(400);
});

test("order_status_by_email needs a verified caller and lists only that caller's recent orders", async () => {
  const o = shipped();
  const refused = await invoke('recent_orders_by_email', { email: o.email });
  expect(refused.status).toBe(403);
  expect(refused.json.code).toBe('verification_required');
  const res = await invoke('recent_orders_by_email', { email: o.email }, { callerVerified: true });
  expect(res.status, res.text).toBe(200);
  const { orders } = res.json.data.result;
  const expected = e.shop.orders.filter((x) => x.email === o.email).length;
  expect(orders.length).toBe(Math.min(5, expected));
  expect(orders.map((x: any) => x.orderNumber)).toContain(o.name);
  const dates = orders.map((x: any) => x.placedAt);
  expect([...dates].sort().reverse()).toEqual(dates);
});

test('search_products and check_inventory answer from the shop', async () => {
  const product = e.shop.products.find((p) => p.status === 'ACTIVE')!;
  const found = await invoke('search_products', { query: product.title });
  expect(found.status, found.text).toBe(200);
  expect(found.json.data.result.products.map((p: any) => p.title)).toContain(product.title);
  const variant = product.variants[0];
  const stock = await invoke('check_inventory', { sku: variant.sku });
  expect(stock.status, stock.text).toBe(200);
  const [v] = stock.json.data.result.variants;
  expect(v).toMatchObject({ sku: variant.sku, product: product.title });
  expect(v.locations).toHaveLength(2);
  expect(v.totalAvailable).toBe(v.locations.reduce((n: number, l: any) => n + l.available, 0));
  const missing = await invoke('check_inventory', { sku: 'NO-SUCH-SKU' });
  expect(missing.json.data.result.found).toBe(false);
});

test('add_order_note asks for confirmation and verification, then appends the note at Shopify', async () => {
  const o = shipped();
  const args = { order_number: o.name, email: o.email, phone: null, note: 'Leave it with the neighbour.' };
  expect((await invoke('add_order_note', args, { callerVerified: true })).json.code).toBe(
    'confirmation_required',
  );
  expect((await invoke('add_order_note', args, { confirmed: true })).json.code).toBe('verification_required');
  const done = await invoke('add_order_note', args, { confirmed: true, callerVerified: true });
  expect(done.status, done.text).toBe(200);
  expect(done.json.data.result).toEqual({ updated: true, orderNumber: o.name });
  const stored = e.fake.world.shops
    .get(e.shop.domain)!
    .orders.find((x: any) => x.name === o.name) as unknown as { note: string };
  expect(stored.note).toContain('Leave it with the neighbour.');
  const wrong = await invoke(
    'add_order_note',
    { ...args, email: 'x@example.com' },
    { confirmed: true, callerVerified: true },
  );
  expect(wrong.json.data.result.found).toBe(false);
});

test('a preset whose scope the token lacks installs disabled, naming the missing scopes', async () => {
  const handle = e.fake.world.shops.get(e.shop.domain)!;
  const token = e.shop.handle.issueAccessToken(['read_orders']);
  expect(handle).toBeDefined();
  const { key: k2 } = await connectShop(e, 'narrow-org', { shop: e.shop.domain, access_token: token });
  const agent = await newAgent(e.s, k2);
  const res = await e.s.call('POST', `/api/v1/agents/${agent}/integrations/shopify/pack/install`, {
    key: k2,
    body: {},
  });
  const byName = Object.fromEntries(res.json.data.map((r: any) => [r.skill.name, r]));
  expect(byName.lookup_order.skill.isEnabled).toBe(true);
  expect(byName.lookup_order.missingScopes).toBeUndefined();
  expect(byName.check_inventory.skill.isEnabled).toBe(false);
  expect(byName.check_inventory.missingScopes).toEqual(['read_products', 'read_inventory']);
  expect(byName.add_order_note.missingScopes).toEqual(['write_orders']);
});

test("Shopify's throttling: a short wait is honoured; a long one is 429 rate_limited with Retry-After", async () => {
  const sku = e.shop.products[0].variants[0].sku;
  e.fake.faults.throttleNext(1);
  const waited = await invoke('check_inventory', { sku });
  expect(waited.status, waited.text).toBe(200);
  e.fake.faults.throttleNext(20);
  const limited = await invoke('check_inventory', { sku });
  expect(limited.status).toBe(429);
  expect(limited.json.code).toBe('rate_limited');
  expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  e.fake.faults.reset();
  e.fake.faults.failNext(503, 1);
  expect((await invoke('check_inventory', { sku })).status).toBe(200);
});

test('another organization sees neither the agent nor the connection', async () => {
  const { key: other } = await e.s.key('other-org', ALL_SCOPES);
  const res = await e.s.call('POST', `/api/v1/agents/${agentId}/tools/lookup_order/invoke`, {
    key: other,
    body: { arguments: { order_number: '1001', email: 'x@example.com', phone: null } },
  });
  expect(res.status).toBe(404);
  expect((await e.s.call('GET', '/api/v1/integrations', { key: other })).json.data).toEqual([]);
});
