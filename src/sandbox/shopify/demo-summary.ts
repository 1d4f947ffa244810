/** The demo shop as tests see it: ids and values they can query by, without the object graph. */
import type { ShopHandle } from './shop-handle.ts';
import type { ShopifyObject } from './world.ts';

export interface DemoOrder {
  id: string;
  /** "#1001" */
  name: string;
  email: string | null;
  phone: string | null;
  customerId: string | null;
  financialStatus: string;
  fulfillmentStatus: string;
  cancelled: boolean;
  note: string | null;
  skus: string[];
  trackingNumbers: string[];
}

export interface DemoCustomer {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  phone: string | null;
  numberOfOrders: number;
}

export interface DemoProduct {
  id: string;
  title: string;
  status: string;
  vendor: string;
  productType: string;
  variants: {
    id: string;
    sku: string;
    title: string;
    price: string;
    inventoryQuantity: number;
    inventoryItemId: string;
  }[];
}

export interface DemoShop {
  domain: string;
  name: string;
  /** Non-expiring token with the default scopes. */
  accessToken: string;
  clientId: string;
  clientSecret: string;
  scopes: string[];
  orders: DemoOrder[];
  customers: DemoCustomer[];
  products: DemoProduct[];
  locations: { id: string; name: string }[];
  handle: ShopHandle;
}

const obj = (v: unknown) => v as ShopifyObject;

export function demoSummary(
  handle: ShopHandle,
  accessToken: string,
  app: { clientId: string; clientSecret: string },
  scopes: string[],
): DemoShop {
  const { state } = handle;
  return {
    domain: state.domain,
    name: state.name,
    accessToken,
    ...app,
    scopes: [...scopes],
    orders: state.orders.map((o) => ({
      id: String(o.id),
      name: String(o.name),
      email: (o.email as string | null) ?? null,
      phone: (o.phone as string | null) ?? null,
      customerId: (obj(o.customer)?.id as string | undefined) ?? null,
      financialStatus: String(o.displayFinancialStatus),
      fulfillmentStatus: String(o.displayFulfillmentStatus),
      cancelled: Boolean(o.cancelledAt),
      note: (o.note as string | null) ?? null,
      skus: (o.lineItems as ShopifyObject[]).map((li) => String(li.sku)),
      trackingNumbers: (o.fulfillments as ShopifyObject[]).flatMap((f) =>
        (f.trackingInfo as { number: string }[]).map((t) => t.number),
      ),
    })),
    customers: state.customers.map((c) => ({
      id: String(c.id),
      firstName: String(c.firstName),
      lastName: String(c.lastName),
      email: String(c.email),
      phone: (c.phone as string | null) ?? null,
      numberOfOrders: Number(c.numberOfOrders),
    })),
    products: state.products.map((p) => ({
      id: String(p.id),
      title: String(p.title),
      status: String(p.status),
      vendor: String(p.vendor),
      productType: String(p.productType),
      variants: (p.variants as ShopifyObject[]).map((v) => ({
        id: String(v.id),
        sku: String(v.sku),
        title: String(v.title),
        price: String(v.price),
        inventoryQuantity: Number(v.inventoryQuantity),
        inventoryItemId: String(obj(v.inventoryItem).id),
      })),
    })),
    locations: state.locations.map((l) => ({ id: String(l.id), name: String(l.name) })),
    handle,
  };
}
