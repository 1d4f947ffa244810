/** Test helper: a fake with the demo shop on a real socket, and a tiny GraphQL client for it. */
import { afterAll, beforeAll } from 'vitest';
import {
  createShopifyFake,
  type DemoShop,
  SHOPIFY_FAKE_API_VERSION,
  type ShopifyFake,
} from '../../src/sandbox/shopify/index.ts';

export interface GraphqlAnswer {
  status: number;
  headers: Headers;
  body: any;
}

export interface FakeUnderTest {
  fake: ShopifyFake;
  demo: DemoShop;
  url: string;
  /** POST a document to `/<demo shop>/admin/api/2026-10/graphql.json` (or `path`). */
  gql(
    query: string,
    variables?: Record<string, unknown>,
    opts?: { token?: string | null; path?: string; operationName?: string },
  ): Promise<GraphqlAnswer>;
  post(path: string, body: string, headers?: Record<string, string>): Promise<GraphqlAnswer>;
}

/** Starts one fake per test file (the schema is built once per process). */
export function shopifyFakeForSuite(opts?: Parameters<typeof createShopifyFake>[0]): FakeUnderTest {
  const ctx = {} as FakeUnderTest;
  let close: () => Promise<void> = async () => {};
  beforeAll(async () => {
    ctx.fake = createShopifyFake(opts);
    ctx.demo = ctx.fake.seedDemoShop();
    const server = await ctx.fake.listen();
    ctx.url = server.url;
    close = server.close;
  });
  afterAll(() => close());

  ctx.post = async (path, body, headers = {}) => {
    const res = await fetch(ctx.url + path, { method: 'POST', headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {}
    return { status: res.status, headers: res.headers, body: parsed };
  };
  ctx.gql = (query, variables, opts = {}) => {
    const path = opts.path ?? `/${ctx.demo.domain}/admin/api/${SHOPIFY_FAKE_API_VERSION}/graphql.json`;
    const token = opts.token === undefined ? ctx.demo.accessToken : opts.token;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token !== null) headers['x-shopify-access-token'] = token;
    return ctx.post(path, JSON.stringify({ query, variables, operationName: opts.operationName }), headers);
  };
  return ctx;
}
