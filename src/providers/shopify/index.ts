/**
 * The Shopify provider: a pack-based commerce provider over the Admin GraphQL API. Connect with a
 * store's Admin API token or a Dev Dashboard app's client credentials (renewed before they expire);
 * discover the Admin schema; bind its reads and mutations (native_graphql); install "Order support".
 */
import { AppError } from '../../errors.ts';
import type { ExecuteRequest, ProviderContext, ProviderModule } from '../types.ts';
import type { CompiledGraphql } from './binding-plan.ts';
import { shopifyBindingTarget } from './binding-target.ts';
import { checkInventory, searchProducts } from './catalog-lookup.ts';
import { ShopifyCredentials } from './credentials.ts';
import { discoverShopify } from './discover.ts';
import { executeGraphqlBinding } from './execute-binding.ts';
import { addOrderNote, lookupOrder, ordersByEmail } from './orders.ts';
import { ORDER_SUPPORT_PACK } from './pack.ts';
import { renewShopifyToken } from './token.ts';
import { verifyShopify } from './verify.ts';

const PRESETS: Record<
  string,
  (c: Record<string, unknown>, a: Record<string, unknown>, ctx: ProviderContext) => Promise<unknown>
> = {
  lookup_order: lookupOrder,
  order_status_by_email: ordersByEmail,
  search_products: searchProducts,
  check_inventory: checkInventory,
  add_order_note: addOrderNote,
};

async function execute(credentials: Record<string, unknown>, request: ExecuteRequest, ctx: ProviderContext) {
  if (request.compiled)
    return executeGraphqlBinding(credentials, request.compiled as CompiledGraphql, request.arguments, ctx);
  const run = request.action ? PRESETS[request.action] : undefined;
  if (!run)
    throw new AppError(
      'unknown_action',
      `shopify has no action ${String(request.action ?? '(none)').slice(0, 64)}`,
    );
  return run(credentials, request.arguments, ctx);
}

export const shopify: ProviderModule = {
  kind: 'shopify',
  skillType: 'native_graphql',
  name: 'Shopify',
  category: 'Commerce',
  blurb: 'Let agents look up orders and tracking, find products and check stock in your Shopify store.',
  logo: 'shopify',
  auth: { type: 'api_key', credentials: ShopifyCredentials, renew: renewShopifyToken },
  verify: verifyShopify,
  actions: [],
  pack: ORDER_SUPPORT_PACK,
  discover: discoverShopify,
  bindingTarget: shopifyBindingTarget,
  execute,
};
