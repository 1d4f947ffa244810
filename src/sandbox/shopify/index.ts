/**
 * HTTP-level fake of Shopify's Admin GraphQL API (2026-10) and its client-credentials grant, as one
 * Fastify plugin. It executes any document with graphql-js over the real schema (vendored
 * introspection) against an in-memory world. Tests start it with `listen()`; `npm run demo` mounts
 * it under `/sandbox/shopify`.
 *
 * Routes (relative to the mount point; the shop segment is optional, the token names the shop):
 *   POST [/:shop]/admin/api/:version/graphql.json   X-Shopify-Access-Token, { query, variables?, operationName? }
 *   POST [/:shop]/admin/oauth/access_token          client_credentials grant (form or JSON)
 */
import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyError, type FastifyPluginAsync } from 'fastify';
import sjson from 'secure-json-parse';
import { DEMO_SHOP_DOMAIN, DEMO_SHOP_NAME, prng, seedDemoRecords } from './demo-shop.ts';
import { type DemoShop, demoSummary } from './demo-summary.ts';
import { entryOf, FaultState, type LoggedShopifyRequest, type ShopifyFaults } from './faults.ts';
import { registerGraphqlEndpoint } from './graphql-endpoint.ts';
import { addOrder } from './order-records.ts';
import { addProduct } from './product-records.ts';
import { addCustomer, addLocation } from './records.ts';
import type { ShopHandle } from './shop-handle.ts';
import { newAccessToken, registerTokenEndpoint } from './token-endpoint.ts';
import { BUCKET_MAXIMUM, DEFAULT_SCOPES, ShopifyWorld, ShopState } from './world.ts';

export { DEMO_BASE_DATE, DEMO_SHOP_DOMAIN } from './demo-shop.ts';
export type { DemoCustomer, DemoOrder, DemoProduct, DemoShop } from './demo-summary.ts';
export type { LoggedShopifyRequest, ShopifyFaults } from './faults.ts';
export { INVALID_TOKEN_BODY } from './graphql-endpoint.ts';
export { adminSchema, loadAdminIntrospection } from './schema.ts';
export { parseSearchQuery } from './search-query.ts';
export type { ShopHandle } from './shop-handle.ts';
export { DEFAULT_SCOPES, type ShopifyObject, ShopState } from './world.ts';

export const SHOPIFY_FAKE_API_VERSION = '2026-10';
/** 24 h minus a second, what Shopify's client-credentials grant answers. */
export const DEFAULT_TOKEN_TTL_SECONDS = 86_399;

export interface ShopifyFake {
  plugin: FastifyPluginAsync;
  addShop(seed: { domain: string; name: string; currencyCode?: string; empty?: boolean }): ShopHandle;
  seedDemoShop(): DemoShop;
  faults: ShopifyFaults;
  counters: { graphql: number; tokenGrants: number };
  requests: LoggedShopifyRequest[];
  /** Client-credentials tokens issued so far expire now (tokens from `issueAccessToken` stay). */
  expireTokens(): void;
  /** The in-memory world (shops, tokens, apps). */
  world: ShopifyWorld;
  /** Standalone on 127.0.0.1:0 for tests. */
  listen(): Promise<{ url: string; close(): Promise<void> }>;
}

const MAX_LOG = 5000;

export function createShopifyFake(
  opts: {
    apiVersions?: string[];
    tokenTtlSeconds?: number;
    /** Epoch ms now for the cost buckets (default `Date.now`); a test freezes it. */
    clock?: () => number;
  } = {},
): ShopifyFake {
  const clock = opts.clock ?? Date.now;
  const world = new ShopifyWorld();
  const apiVersions = opts.apiVersions ?? [SHOPIFY_FAKE_API_VERSION];
  const tokenTtlSeconds = opts.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS;
  const faults = new FaultState((points) => {
    for (const shop of world.shops.values()) {
      shop.bucket.available = points;
      shop.bucket.at = clock();
    }
  }, BUCKET_MAXIMUM);
  const counters = { graphql: 0, tokenGrants: 0 };
  const requests: LoggedShopifyRequest[] = [];
  const log = (entry: LoggedShopifyRequest) => {
    requests.push(entry);
    if (requests.length > MAX_LOG) requests.splice(0, requests.length - MAX_LOG);
  };

  const plugin: FastifyPluginAsync = async (app) => {
    // Parse bodies ourselves, leniently: garbage must reach the handler and get Shopify's 400, not
    // a framework error. JSON goes through secure-json-parse (no prototype poisoning).
    const lenient = (body: string): unknown => {
      try {
        return sjson.parse(body, undefined, { protoAction: 'remove', constructorAction: 'remove' });
      } catch {
        return undefined;
      }
    };
    const form = (body: string) => Object.fromEntries(new URLSearchParams(body));
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (_r, body, done) =>
      done(null, lenient(body as string)),
    );
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_r, body, done) =>
      done(null, form(body as string)),
    );
    app.addContentTypeParser('application/graphql', { parseAs: 'string' }, (_r, body, done) =>
      done(null, body),
    );
    app.addContentTypeParser('*', { parseAs: 'string' }, (_r, body, done) =>
      done(null, lenient(body as string)),
    );
    app.addHook('onResponse', async (req, reply) => {
      const entry = entryOf.get(req);
      if (entry) entry.status = reply.statusCode;
    });
    app.setErrorHandler((err: FastifyError, _req, reply) => {
      const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
      return reply.code(status).send({ errors: status === 500 ? 'Internal Server Error' : err.message });
    });
    registerGraphqlEndpoint(app, { world, faults, counters, apiVersions, log });
    registerTokenEndpoint(app, { world, faults, counters, log, tokenTtlSeconds });
  };

  function addShop(seed: {
    domain: string;
    name: string;
    currencyCode?: string;
    empty?: boolean;
  }): ShopHandle {
    const domain = seed.domain.toLowerCase();
    if (world.shops.has(domain)) throw new Error(`shop ${domain} exists`);
    const state = new ShopState(domain, seed.name, seed.currencyCode ?? 'USD', clock);
    world.shops.set(domain, state);
    return {
      domain,
      state,
      issueAccessToken(scopes = DEFAULT_SCOPES, token = newAccessToken()) {
        world.tokens.set(token, { token, shop: domain, scopes: [...scopes], revoked: false, granted: false });
        return token;
      },
      addClientApp(scopes = DEFAULT_SCOPES, creds) {
        const clientId = creds?.clientId ?? randomBytes(16).toString('hex');
        const clientSecret = creds?.clientSecret ?? `shpss_${randomBytes(16).toString('hex')}`;
        world.apps.set(clientId, { clientId, clientSecret, shop: domain, scopes: [...scopes] });
        return { clientId, clientSecret };
      },
      revokeToken(token) {
        const rec = world.tokens.get(token);
        if (rec) rec.revoked = true;
      },
      addCustomer: (s) => addCustomer(state, s),
      addLocation: (s) => addLocation(state, s),
      addProduct: (s) => addProduct(state, s),
      addOrder: (s) => addOrder(state, s),
    };
  }

  function seedDemoShop(): DemoShop {
    const handle = addShop({ domain: DEMO_SHOP_DOMAIN, name: DEMO_SHOP_NAME });
    seedDemoRecords(handle.state);
    // Fixed credentials, so the demo's configuration can name them.
    const rng = prng(7);
    const hex = (n: number) => Array.from({ length: n }, () => Math.floor(rng() * 16).toString(16)).join('');
    const accessToken = handle.issueAccessToken(DEFAULT_SCOPES, `shpat_${hex(32)}`);
    const app = handle.addClientApp(DEFAULT_SCOPES, { clientId: hex(32), clientSecret: `shpss_${hex(32)}` });
    return demoSummary(handle, accessToken, app, DEFAULT_SCOPES);
  }

  return {
    plugin,
    addShop,
    seedDemoShop,
    faults,
    counters,
    requests,
    world,
    expireTokens() {
      const now = Date.now();
      for (const rec of world.tokens.values()) if (rec.granted) rec.expiresAt = now - 1;
    },
    async listen() {
      const app = Fastify({ logger: false, forceCloseConnections: true });
      await app.register(plugin);
      await app.listen({ host: '127.0.0.1', port: 0 });
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      return { url: `http://127.0.0.1:${port}`, close: () => app.close() };
    },
  };
}
