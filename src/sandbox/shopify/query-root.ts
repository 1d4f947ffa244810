/**
 * The root fields the fake serves from its world. Fields not listed here still execute: the
 * resolver answers them with null, an empty connection or neutral values.
 */
import { accessDenied, grants, typeRequirement } from './access-scopes.ts';
import type { ExecutionContext } from './resolvers.ts';
import type { ShopifyObject } from './world.ts';

type Args = Record<string, any>;

/** The record with this gid if it is of one of `types`. */
function byId(ctx: ExecutionContext, id: unknown, ...types: string[]): ShopifyObject | null {
  const obj = typeof id === 'string' ? ctx.shop.nodes.get(id) : undefined;
  return obj && (types.length === 0 || types.includes(obj.__typename)) ? obj : null;
}

/** `node(id:)` returns an interface, so the record type's own scope is checked here. */
function visibleNode(ctx: ExecutionContext, id: unknown, field: string): ShopifyObject | null {
  const obj = byId(ctx, id);
  const req = obj ? typeRequirement(obj.__typename) : null;
  if (req && !grants(ctx.scopes, req)) throw accessDenied(field, req);
  return obj;
}

const SCOPE_DESCRIPTIONS: Record<string, string> = {
  read_orders: 'Read orders, transactions and fulfillments',
  write_orders: 'Modify orders, transactions and fulfillments',
  read_customers: 'Read customer details and customer groups',
  write_customers: 'Modify customer details and customer groups',
  read_products: 'Read products, variants and collections',
  write_products: 'Modify products, variants and collections',
  read_inventory: 'Read inventory',
  write_inventory: 'Modify inventory',
  read_locations: 'Read locations',
  read_fulfillments: 'Read fulfillment services',
  write_fulfillments: 'Modify fulfillment services',
};

export function queryRoot(ctx: ExecutionContext): Record<string, (args: Args) => unknown> {
  const { shop } = ctx;
  return {
    shop: () => shop.info,
    currentAppInstallation: () => ({
      __typename: 'AppInstallation',
      id: `gid://shopify/AppInstallation/${shop.id.split('/').pop()}1`,
      accessScopes: [...ctx.scopes].map((handle) => ({
        __typename: 'AccessScope',
        handle,
        description: SCOPE_DESCRIPTIONS[handle] ?? handle,
      })),
      app: {
        __typename: 'App',
        id: 'gid://shopify/App/3200000001',
        title: 'Flowyte',
        handle: 'flowyte',
        apiKey: 'flowyte-sandbox',
      },
    }),
    orders: () => shop.orders,
    customers: () => shop.customers,
    products: () => shop.products,
    productVariants: () => shop.variants,
    inventoryItems: () => shop.inventoryItems,
    locations: (a) =>
      a.includeInactive ? shop.locations : shop.locations.filter((l) => l.isActive !== false),
    order: (a) => byId(ctx, a.id, 'Order'),
    customer: (a) => byId(ctx, a.id, 'Customer'),
    product: (a) => byId(ctx, a.id, 'Product'),
    productVariant: (a) => byId(ctx, a.id, 'ProductVariant'),
    inventoryItem: (a) => byId(ctx, a.id, 'InventoryItem'),
    inventoryLevel: (a) => byId(ctx, a.id, 'InventoryLevel'),
    location: (a) =>
      a.id === undefined || a.id === null ? (shop.locations[0] ?? null) : byId(ctx, a.id, 'Location'),
    node: (a) => visibleNode(ctx, a.id, 'node'),
    nodes: (a) => (a.ids as unknown[]).map((id) => visibleNode(ctx, id, 'nodes')),
    productVariantByIdentifier: (a) => {
      const { id, sku } = (a.identifier ?? {}) as { id?: string; sku?: string };
      if (id) return byId(ctx, id, 'ProductVariant');
      return shop.variants.find((v) => sku !== undefined && v.sku === sku) ?? null;
    },
    orderByIdentifier: (a) => byId(ctx, a.identifier?.id, 'Order'),
    customerByIdentifier: (a) => {
      const { id, emailAddress, phoneNumber } = (a.identifier ?? {}) as Record<string, string | undefined>;
      if (id) return byId(ctx, id, 'Customer');
      const lc = (s: unknown) => String(s ?? '').toLowerCase();
      if (emailAddress) return shop.customers.find((c) => lc(c.email) === lc(emailAddress)) ?? null;
      if (phoneNumber) return shop.customers.find((c) => c.phone === phoneNumber) ?? null;
      return null;
    },
  };
}
