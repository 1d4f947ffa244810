/** A server whose Shopify endpoint is the Shopify fake on a real socket, with its demo shop. */
import { expect } from 'vitest';
import { createShopifyFake, type DemoShop, type ShopifyFake } from '../src/sandbox/shopify/index.ts';
import { invoker, newAgent, publish } from './google-e2e-support.ts';
import { startTestServer, type TestServer } from './support/harness.ts';
import { ALL_SCOPES, testClock } from './support/oauth-dance.ts';

export { invoker, newAgent, publish };

export interface ShopifyE2e {
  s: TestServer;
  fake: ShopifyFake;
  shop: DemoShop;
  fakeUrl: string;
  clock: ReturnType<typeof testClock>;
  close(): Promise<void>;
}

export async function startShopifyE2e(env: Record<string, string> = {}): Promise<ShopifyE2e> {
  const fake = createShopifyFake();
  const shop = fake.seedDemoShop();
  const listening = await fake.listen();
  const clock = testClock();
  const s = await startTestServer({ FLOWYTE_SHOPIFY_API_URL: `${listening.url}/{shop}`, ...env }, { clock });
  return {
    s,
    fake,
    shop,
    fakeUrl: listening.url,
    clock,
    async close() {
      await s.close();
      await listening.close();
    },
  };
}

export async function connectShop(e: ShopifyE2e, org: string, credentials: Record<string, unknown>) {
  const { key, orgId } = await e.s.key(org, [...ALL_SCOPES, 'keys:write']);
  const res = await e.s.call('POST', '/api/v1/integrations/shopify/connect', { key, body: { credentials } });
  expect(res.status, res.text).toBe(200);
  return { key, orgId };
}

/** An agent with the whole Order support pack installed (writes enabled) and published. */
export async function packAgent(e: ShopifyE2e, key: string) {
  const agentId = await newAgent(e.s, key);
  const installed = await e.s.call('POST', `/api/v1/agents/${agentId}/integrations/shopify/pack/install`, {
    key,
    body: {},
  });
  expect(installed.status, installed.text).toBe(200);
  for (const r of installed.json.data as { skill: { id: string; isEnabled: boolean } }[]) {
    if (r.skill.isEnabled) continue;
    const on = await e.s.call('PATCH', `/api/v1/agents/${agentId}/skills/${r.skill.id}`, {
      key,
      body: { isEnabled: true },
    });
    expect(on.status, on.text).toBe(200);
  }
  await publish(e.s, key, agentId);
  return { agentId, installed: installed.json.data, invoke: invoker(e.s, key, agentId) };
}
