/**
 * Connecting Shopify over HTTP against the Shopify fake: both credential forms, the shop's domain
 * rules, refused tokens and app credentials (nothing stored, an earlier connection untouched), an
 * unknown shop, and the client-credentials token renewed before expiry and after a 401 — once,
 * under twenty concurrent calls.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { connectShop, packAgent, type ShopifyE2e, startShopifyE2e } from './shopify-support.ts';
import { ALL_SCOPES } from './support/oauth-dance.ts';

let e: ShopifyE2e;
beforeAll(async () => {
  e = await startShopifyE2e();
});
afterAll(() => e.close());

const connect = (key: string, credentials: unknown) =>
  e.s.call('POST', '/api/v1/integrations/shopify/connect', { key, body: { credentials } });

test('the catalog lists Shopify as a pack-based API-key provider', async () => {
  const { key } = await e.s.key('catalog-org', ALL_SCOPES);
  const catalog = (await e.s.call('GET', '/api/v1/integrations/catalog', { key })).json.data;
  expect(catalog.map((p: any) => p.kind)).toEqual([
    'google_calendar',
    'google_sheets',
    'shopify',
    'postgres',
    'mysql',
  ]);
  expect(catalog.find((p: any) => p.kind === 'shopify')).toMatchObject({
    name: 'Shopify',
    category: 'Commerce',
    authType: 'api_key',
    actionCount: 0,
    hasPack: true,
    connected: false,
  });
});

test('an Admin API token connects; the shop name labels it and its scopes are shown, never the token', async () => {
  const { key } = await connectShop(e, 'token-org', {
    shop: `https://${e.shop.domain.toUpperCase()}/`,
    access_token: e.shop.accessToken,
  });
  const list = await e.s.call('GET', '/api/v1/integrations', { key });
  expect(list.json.data).toEqual([
    expect.objectContaining({
      kind: 'shopify',
      status: 'connected',
      accountLabel: e.shop.name,
      grantedScopes: expect.arrayContaining(['read_orders', 'write_orders', 'read_products']),
    }),
  ]);
  expect(list.text).not.toContain(e.shop.accessToken);
});

test('the shop must be a myshopify domain; the answer names the expected form', async () => {
  const { key } = await e.s.key('form-org', ALL_SCOPES);
  for (const shop of ['acme.com', 'acme', 'https://acme.myshopify.com/admin', '-x.myshopify.com']) {
    const res = await connect(key, { shop, access_token: 'shpat_x' });
    expect(res.status, shop).toBe(400);
    expect(res.json.detail).toContain('acme.myshopify.com');
  }
  const both = await connect(key, {
    shop: e.shop.domain,
    access_token: 'shpat_x',
    client_id: 'a',
    client_secret: 'b',
  });
  expect(both.status).toBe(400);
  expect(both.json.errors[0].message).toContain('not both');
  const neither = await connect(key, { shop: e.shop.domain });
  expect(neither.status).toBe(400);
});

test('a refused token or app secret is 422 credentials_rejected saying which, and keeps the earlier connection', async () => {
  const { key } = await connectShop(e, 'reject-org', {
    shop: e.shop.domain,
    access_token: e.shop.accessToken,
  });
  const badToken = await connect(key, { shop: e.shop.domain, access_token: 'shpat_wrong' });
  expect(badToken.status).toBe(422);
  expect(badToken.json).toMatchObject({ code: 'credentials_rejected', reason: 'token_refused' });
  const badSecret = await connect(key, {
    shop: e.shop.domain,
    client_id: e.shop.clientId,
    client_secret: 'shpss_wrong',
  });
  expect(badSecret.status).toBe(422);
  expect(badSecret.json).toMatchObject({ code: 'credentials_rejected', reason: 'client_refused' });
  expect(badSecret.json.detail).toContain('client id or secret');
  expect(badSecret.text).not.toContain('shpss_wrong');
  const list = await e.s.call('GET', '/api/v1/integrations', { key });
  expect(list.json.data[0]).toMatchObject({ status: 'connected', accountLabel: e.shop.name });
});

test('an unknown shop is 422 naming the shop', async () => {
  const { key } = await e.s.key('unknown-org', ALL_SCOPES);
  const res = await connect(key, { shop: 'no-such-store.myshopify.com', access_token: e.shop.accessToken });
  expect(res.status).toBe(422);
  expect(res.json).toMatchObject({ code: 'credentials_rejected', reason: 'unknown_shop' });
  expect(res.json.detail).toContain('no-such-store.myshopify.com');
});

test('client credentials: one token grant for twenty concurrent calls after expiry, and one after a 401', async () => {
  const { key } = await connectShop(e, 'app-org', {
    shop: e.shop.domain,
    client_id: e.shop.clientId,
    client_secret: e.shop.clientSecret,
  });
  const { invoke } = await packAgent(e, key);
  const args = { sku: e.shop.products[0].variants[0].sku };
  const grants = () => e.fake.counters.tokenGrants;

  const before = grants();
  expect((await invoke('check_inventory', args)).status).toBe(200);
  expect(grants()).toBe(before);

  // A day later the stored token is past its expiry: renewed before use, once for all callers.
  e.clock.offset += 25 * 3_600_000;
  const after = await Promise.all(Array.from({ length: 20 }, () => invoke('check_inventory', args)));
  expect(after.map((r) => r.status)).toEqual(Array(20).fill(200));
  expect(grants()).toBe(before + 1);

  // Shopify stops honouring the token early: the first 401 renews it once, then every call succeeds.
  e.fake.expireTokens();
  const again = await Promise.all(Array.from({ length: 20 }, () => invoke('check_inventory', args)));
  expect(again.map((r) => r.status)).toEqual(Array(20).fill(200));
  expect(grants()).toBe(before + 2);
});

test('a stored token Shopify stops accepting marks the connection needs_reconnect', async () => {
  const token = e.shop.handle.issueAccessToken();
  const { key } = await connectShop(e, 'revoked-org', { shop: e.shop.domain, access_token: token });
  const { invoke } = await packAgent(e, key);
  e.shop.handle.revokeToken(token);
  const res = await invoke('check_inventory', { sku: e.shop.products[0].variants[0].sku });
  expect(res.status).toBe(409);
  expect(res.json.code).toBe('needs_reconnect');
  const list = await e.s.call('GET', '/api/v1/integrations', { key });
  expect(list.json.data[0].status).toBe('needs_reconnect');
});
