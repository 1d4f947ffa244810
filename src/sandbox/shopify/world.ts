/**
 * The in-memory world: shops, their records and the tokens that reach them. Records are plain
 * objects shaped like the Admin API's types (field names of the 2026-10 schema) with a `__typename`,
 * so the resolver can serve any selection over them by property lookup.
 */

/** One record: a GraphQL object value. Fields taking arguments may be functions of the arguments. */
export interface ShopifyObject {
  __typename: string;
  id?: string;
  [field: string]: unknown;
}

export const DEFAULT_SCOPES = [
  'read_orders',
  'write_orders',
  'read_customers',
  'read_products',
  'read_inventory',
  'read_locations',
  'read_fulfillments',
];

/** Shopify Plus–like bucket: 2000 points, restoring 100 per second. */
export const BUCKET_MAXIMUM = 2000;
export const BUCKET_RESTORE_RATE = 100;

const gidNumbers: Record<string, number> = {
  Order: 5_810_000_001,
  LineItem: 14_300_000_001,
  Fulfillment: 4_920_000_001,
  Customer: 7_020_000_001,
  MailingAddress: 8_610_000_001,
  Product: 8_100_000_001,
  ProductVariant: 44_900_000_001,
  InventoryItem: 46_700_000_001,
  Location: 71_200_000_001,
};

export class ShopState {
  readonly id: string;
  /** The `shop` root field's value. */
  readonly info: ShopifyObject;
  readonly nodes = new Map<string, ShopifyObject>();
  readonly orders: ShopifyObject[] = [];
  readonly customers: ShopifyObject[] = [];
  readonly products: ShopifyObject[] = [];
  readonly variants: ShopifyObject[] = [];
  readonly inventoryItems: ShopifyObject[] = [];
  readonly locations: ShopifyObject[] = [];
  /** Leaky bucket of query cost points (per shop). */
  readonly bucket: { available: number; at: number };
  private counters = new Map<string, number>();

  constructor(
    readonly domain: string,
    readonly name: string,
    readonly currencyCode: string,
    /** Epoch ms now; the bucket restores by it (a test freezes it to read an exact bucket). */
    readonly clock: () => number = Date.now,
  ) {
    this.bucket = { available: BUCKET_MAXIMUM, at: clock() };
    this.id = `gid://shopify/Shop/${60_000_000 + domain.length * 7919}`;
    const handle = domain.split('.')[0];
    this.info = {
      __typename: 'Shop',
      id: this.id,
      name,
      myshopifyDomain: domain,
      currencyCode,
      email: `owner@${handle}.example`,
      contactEmail: `support@${handle}.example`,
      shopOwnerName: 'Sam Rivera',
      ianaTimezone: 'America/New_York',
      timezoneAbbreviation: 'EST',
      url: `https://${domain}`,
      primaryDomain: {
        __typename: 'Domain',
        id: `gid://shopify/Domain/${gidNumber(this.id)}`,
        host: domain,
        url: `https://${domain}`,
        sslEnabled: true,
      },
      plan: {
        __typename: 'ShopPlan',
        displayName: 'Shopify Plus',
        publicDisplayName: 'Shopify Plus',
        shopifyPlus: true,
        partnerDevelopment: false,
      },
      createdAt: '2024-03-01T15:00:00Z',
      updatedAt: '2026-01-01T00:00:00Z',
    };
  }

  /** A fresh `gid://shopify/<type>/<n>`, numbered per type like real (large, increasing) ids. */
  gid(type: string): string {
    const n = this.counters.get(type) ?? 0;
    this.counters.set(type, n + 1);
    return `gid://shopify/${type}/${(gidNumbers[type] ?? 1_000_000_001) + n * 17}`;
  }

  /** Registers a record (and makes it reachable by `node(id:)`). */
  add<T extends ShopifyObject>(list: ShopifyObject[] | undefined, obj: T): T {
    if (obj.id) this.nodes.set(obj.id, obj);
    list?.push(obj);
    return obj;
  }

  /** Refills the bucket for the time passed and returns the points available now. */
  available(now = this.clock()): number {
    const restored = ((now - this.bucket.at) / 1000) * BUCKET_RESTORE_RATE;
    this.bucket.available = Math.min(BUCKET_MAXIMUM, this.bucket.available + restored);
    this.bucket.at = now;
    return this.bucket.available;
  }
}

export interface TokenRecord {
  token: string;
  shop: string;
  scopes: string[];
  /** Epoch ms; undefined: never expires (an Admin API token from the admin). */
  expiresAt?: number;
  revoked: boolean;
  /** Issued by the client-credentials grant. */
  granted: boolean;
}

export interface ClientApp {
  clientId: string;
  clientSecret: string;
  shop: string;
  scopes: string[];
}

export class ShopifyWorld {
  readonly shops = new Map<string, ShopState>();
  readonly tokens = new Map<string, TokenRecord>();
  readonly apps = new Map<string, ClientApp>();

  /** The token's record if it is usable now (known, not revoked, not expired). */
  validToken(token: string | undefined, now = Date.now()): TokenRecord | undefined {
    const rec = token ? this.tokens.get(token) : undefined;
    if (!rec || rec.revoked || (rec.expiresAt !== undefined && rec.expiresAt <= now)) return undefined;
    return rec;
  }
}

/** Money as Shopify's Decimal strings. */
export function money(amount: number, currencyCode: string): { amount: string; currencyCode: string } {
  return { amount: amount.toFixed(2), currencyCode };
}

export function moneyBag(amount: number, currencyCode: string): Record<string, unknown> {
  return { shopMoney: money(amount, currencyCode), presentmentMoney: money(amount, currencyCode) };
}

/** The number at the end of a gid (its legacy resource id). */
export function gidNumber(gid: string): number {
  const m = /\/(\d+)(?:\?.*)?$/.exec(gid);
  return m ? Number(m[1]) : 0;
}
