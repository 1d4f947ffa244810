import { describe, expect, it } from 'vitest';
import { shopifyFakeForSuite } from '../../../test/support/shopify-test-client.ts';
import { createShopifyFake } from './index.ts';

const t = shopifyFakeForSuite();

describe('Shopify fake: the demo shop', () => {
  it('is the same world on every run (seeded PRNG, fixed dates and credentials)', () => {
    const again = createShopifyFake().seedDemoShop();
    const strip = ({ handle: _h, ...rest }: typeof again) => rest;
    expect(strip(again)).toEqual(strip(t.demo));
  });

  it('has ≥ 50 orders from #1001 with the statuses a support line meets', () => {
    const { orders } = t.demo;
    expect(orders.length).toBeGreaterThanOrEqual(50);
    expect(orders[0].name).toBe('#1001');
    const financial = new Set(orders.map((o) => o.financialStatus));
    for (const s of ['PAID', 'PENDING', 'REFUNDED', 'PARTIALLY_REFUNDED', 'AUTHORIZED'])
      expect(financial).toContain(s);
    const fulfillment = new Set(orders.map((o) => o.fulfillmentStatus));
    for (const s of ['FULFILLED', 'UNFULFILLED', 'PARTIALLY_FULFILLED']) expect(fulfillment).toContain(s);
    expect(orders.filter((o) => o.cancelled).length).toBeGreaterThanOrEqual(2);
    expect(orders.filter((o) => o.note).length).toBeGreaterThan(3);
    expect(orders.filter((o) => o.trackingNumbers.length > 1).length).toBeGreaterThan(0);
  });

  it('gives every order its customer’s email and E.164 phone', () => {
    const byId = new Map(t.demo.customers.map((c) => [c.id, c]));
    for (const o of t.demo.orders) {
      const c = byId.get(o.customerId!)!;
      expect(o.email).toBe(c.email);
      expect(o.phone).toBe(c.phone);
      expect(o.phone).toMatch(/^\+1\d{10}$/);
    }
    expect(t.demo.customers).toHaveLength(20);
    expect(t.demo.customers.every((c) => c.numberOfOrders >= 1)).toBe(true);
  });

  it('has 30 products with 1–3 variants, unique SKUs and every status', () => {
    expect(t.demo.products).toHaveLength(30);
    const skus = t.demo.products.flatMap((p) => p.variants.map((v) => v.sku));
    expect(new Set(skus).size).toBe(skus.length);
    expect(t.demo.products.every((p) => p.variants.length >= 1 && p.variants.length <= 3)).toBe(true);
    expect(new Set(t.demo.products.map((p) => p.status))).toEqual(new Set(['ACTIVE', 'DRAFT', 'ARCHIVED']));
  });

  it('answers a check-inventory query by SKU with per-location available and on_hand', async () => {
    const variant = t.demo.products[1].variants[0];
    const { body } = await t.gql(
      `query($q: String) { productVariants(first: 1, query: $q) { nodes {
        sku inventoryQuantity product { title totalInventory priceRangeV2 { minVariantPrice { amount currencyCode } } }
        inventoryItem { id inventoryLevels(first: 5) { nodes { location { name } quantities(names: ["available", "on_hand"]) { name quantity } } } }
      } } }`,
      { q: `sku:"${variant.sku}"` },
    );
    expect(body.errors).toBeUndefined();
    const node = body.data.productVariants.nodes[0];
    expect(node.sku).toBe(variant.sku);
    const levels = node.inventoryItem.inventoryLevels.nodes;
    expect(levels.map((l: any) => l.location.name)).toEqual(t.demo.locations.map((l) => l.name));
    const available = levels.reduce(
      (n: number, l: any) => n + l.quantities.find((q: any) => q.name === 'available').quantity,
      0,
    );
    expect(available).toBe(node.inventoryQuantity);
    for (const l of levels) {
      const [a, h] = l.quantities;
      expect(a.name).toBe('available');
      expect(h.quantity).toBeGreaterThanOrEqual(a.quantity);
    }
  });

  it('serves locations and an inventory level by location', async () => {
    const variant = t.demo.products[0].variants[0];
    const { body } = await t.gql(
      `query($item: ID!, $loc: ID!) {
        locations(first: 5) { nodes { id name isActive address { city provinceCode } } }
        inventoryItem(id: $item) { sku inventoryLevel(locationId: $loc) { quantities(names: ["available"]) { quantity } } }
      }`,
      { item: variant.inventoryItemId, loc: t.demo.locations[1].id },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.locations.nodes).toHaveLength(2);
    expect(body.data.inventoryItem.sku).toBe(variant.sku);
    expect(body.data.inventoryItem.inventoryLevel.quantities[0].quantity).toEqual(expect.any(Number));
  });

  it('shows a cancelled order with its reason and a zero current total', async () => {
    const cancelled = t.demo.orders.find((o) => o.cancelled)!;
    const { body } = await t.gql(
      'query($id: ID!) { order(id: $id) { cancelledAt cancelReason closed totalPriceSet { shopMoney { amount } } currentTotalPriceSet { shopMoney { amount } } } }',
      { id: cancelled.id },
    );
    expect(body.data.order).toMatchObject({
      cancelReason: expect.any(String),
      closed: true,
      currentTotalPriceSet: { shopMoney: { amount: '0.00' } },
    });
    expect(Number(body.data.order.totalPriceSet.shopMoney.amount)).toBeGreaterThan(0);
  });
});
