/**
 * Shopify credentials as canaries through every path that handles them — connect with a token and
 * with app credentials (accepted and refused), invoke, a token renewal after Shopify stops honouring
 * it, discovery, a failing shop — never come back in a response or a log line, nor sit in
 * plaintext in the store.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { packAgent, type ShopifyE2e, startShopifyE2e } from './shopify-support.ts';
import type { ApiResponse } from './support/harness.ts';
import { ALL_SCOPES } from './support/oauth-dance.ts';

let e: ShopifyE2e;
beforeAll(async () => {
  e = await startShopifyE2e();
});
afterAll(() => e.close());

test('no Shopify token or app secret appears in a response, a log line or the store file', async () => {
  const token = `shpat_CANARY${randomBytes(10).toString('hex')}`;
  const wrongToken = `shpat_CANARYWRONG${randomBytes(8).toString('hex')}`;
  const secret = `shpss_CANARY${randomBytes(10).toString('hex')}`;
  const wrongSecret = `shpss_CANARYWRONG${randomBytes(8).toString('hex')}`;
  const handle = e.shop.handle;
  handle.issueAccessToken(undefined, token);
  const app = handle.addClientApp(undefined, {
    clientId: `client${randomBytes(6).toString('hex')}`,
    clientSecret: secret,
  });
  const responses: ApiResponse[] = [];
  const { key } = await e.s.key('canary-shop', ALL_SCOPES);
  const call = async (method: string, p: string, body?: unknown) => {
    const res = await e.s.call(method, p, { key, body });
    responses.push(res);
    return res;
  };
  const connect = (credentials: unknown) =>
    call('POST', '/api/v1/integrations/shopify/connect', { credentials });

  expect((await connect({ shop: e.shop.domain, access_token: wrongToken })).status).toBe(422);
  expect(
    (await connect({ shop: e.shop.domain, client_id: app.clientId, client_secret: wrongSecret })).status,
  ).toBe(422);
  expect((await connect({ shop: 'gone.myshopify.com', access_token: token })).status).toBe(422);
  expect((await connect({ shop: e.shop.domain, access_token: token })).status).toBe(200);
  expect(
    (await connect({ shop: e.shop.domain, client_id: app.clientId, client_secret: secret })).status,
  ).toBe(200);
  await call('GET', '/api/v1/integrations');
  const { invoke } = await packAgent(e, key);
  const o = e.shop.orders[0];
  responses.push(await invoke('lookup_order', { order_number: o.name, email: o.email, phone: null }));
  e.fake.expireTokens();
  responses.push(await invoke('lookup_order', { order_number: o.name, email: o.email, phone: null }));
  e.fake.faults.failNext(500, 5);
  responses.push(await invoke('check_inventory', { sku: 'X' }));
  e.fake.faults.reset();
  expect((await call('POST', '/api/v1/integrations/shopify/discover', {})).status).toBe(200);

  const issued = e.fake.requests.filter((r) => r.kind === 'token').length;
  expect(issued).toBeGreaterThanOrEqual(2);
  const canaries = [token, wrongToken, secret, wrongSecret];
  for (const res of responses)
    for (const c of canaries) expect(res.text, `${res.status} answer`).not.toContain(c);
  const logs = e.s.logs.join('\n');
  for (const c of canaries) expect(logs).not.toContain(c);
  // The renewed tokens the server fetched itself are secrets too.
  expect(logs).not.toMatch(/shpat_[0-9a-f]{32}/);
  for (const file of readdirSync(e.s.dataDir)) {
    const bytes = readFileSync(path.join(e.s.dataDir, file)).toString('latin1');
    for (const c of canaries) expect(bytes, file).not.toContain(c);
  }
});
