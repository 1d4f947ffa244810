/**
 * FLOWYTE_SANDBOX (`npm run demo`): the server also serves the fakes of the providers' APIs under
 * `/sandbox/…`, seeded with a small demo world, and config.ts points the provider endpoints at
 * them — so catalog → connect → provision → publish → invoke works with no account and no network.
 * The fakes sit outside /api/v1 and declare no scope, so API keys do not apply to them.
 */
import type { FastifyInstance } from 'fastify';
import type { Services } from '../services.ts';
import type { DemoWorld } from './google/demo-world.ts';
import { createGoogleFake, type GoogleFake, seedDemoWorld } from './google/index.ts';
import { createShopifyFake, type DemoShop, type ShopifyFake } from './shopify/index.ts';

export const GOOGLE_SANDBOX_PREFIX = '/sandbox/google';
export const SHOPIFY_SANDBOX_PREFIX = '/sandbox/shopify';

export interface Sandbox {
  google: GoogleFake;
  demo: DemoWorld;
  shopify: ShopifyFake;
  shop: DemoShop;
}

const mounted = new WeakMap<FastifyInstance, Sandbox>();

/** The sandbox an app serves, for tests that want its counters and fault switches. */
export const sandboxOf = (app: FastifyInstance): Sandbox | undefined => mounted.get(app);

export async function registerSandbox(app: FastifyInstance, services: Services): Promise<Sandbox> {
  const { clientId, clientSecret } = services.config.oauthApps.google;
  const google = createGoogleFake({
    // config.ts fills in sandbox app credentials unless the operator gave real-looking ones.
    clientId: clientId ?? 'sandbox-client',
    clientSecret: clientSecret ?? 'sandbox-secret',
    redirectUris: [services.oauth.redirectUri],
  });
  const demo = seedDemoWorld(google);
  const shopify = createShopifyFake();
  const shop = shopify.seedDemoShop();
  for (const [prefix, plugin] of [
    [GOOGLE_SANDBOX_PREFIX, google.plugin],
    [SHOPIFY_SANDBOX_PREFIX, shopify.plugin],
  ] as const) {
    await app.register(
      async (scope) => {
        // The fakes are not part of the API: keep them out of the OpenAPI document.
        scope.addHook('onRoute', (route) => {
          route.schema = { ...(route.schema ?? {}), hide: true };
        });
        await scope.register(plugin);
      },
      { prefix },
    );
  }
  app.log.info({ prefix: GOOGLE_SANDBOX_PREFIX, account: demo.email }, 'sandbox: serving the Google fake');
  app.log.info({ prefix: SHOPIFY_SANDBOX_PREFIX, shop: shop.domain }, 'sandbox: serving the Shopify fake');
  const sandbox = { google, demo, shopify, shop };
  mounted.set(app, sandbox);
  return sandbox;
}
