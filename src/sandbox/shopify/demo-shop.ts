/**
 * The demo shop `flowyte-demo.myshopify.com`: 20 customers, 2 locations, 30 products, 56 orders
 * (#1001–#1056) over the 90 days before a fixed date, all from a seeded PRNG — the same world on
 * every run, so tests and the demo can name a real order, email, phone or SKU.
 */
import {
  CARRIERS,
  CITIES,
  EMAIL_DOMAINS,
  FIRST_NAMES,
  LAST_NAMES,
  LOCATIONS,
  ORDER_NOTES,
  PRODUCTS,
  STREETS,
} from './demo-catalog.ts';
import { addOrder, type FulfillmentSeed, type OrderSeed } from './order-records.ts';
import { addProduct } from './product-records.ts';
import { addCustomer, addLocation } from './records.ts';
import type { ShopifyObject, ShopState } from './world.ts';

export const DEMO_SHOP_DOMAIN = 'flowyte-demo.myshopify.com';
export const DEMO_SHOP_NAME = 'Flowyte Outfitters';
/** "Now" of the demo world: the newest order is a day older than this. */
export const DEMO_BASE_DATE = '2026-11-20T15:00:00.000Z';
const DAY = 86_400_000;

/** mulberry32: small, fast, deterministic. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;
const int = (rng: Rng, n: number) => Math.floor(rng() * n);
const digits = (rng: Rng, n: number) => Array.from({ length: n }, () => int(rng, 10)).join('');
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

export function trackingFor(company: (typeof CARRIERS)[number], rng: Rng): FulfillmentSeed['tracking'] {
  switch (company) {
    case 'UPS': {
      const alnum = 'ABCDEFGHJKLMNPRSTUVWXY0123456789';
      const shipper = Array.from({ length: 6 }, () => alnum[int(rng, alnum.length)]).join('');
      const number = `1Z${shipper}03${digits(rng, 8)}`;
      return { company, number, url: `https://www.ups.com/track?tracknum=${number}` };
    }
    case 'USPS': {
      const number = `9400${digits(rng, 18)}`;
      return { company, number, url: `https://tools.usps.com/go/TrackConfirmAction?tLabels=${number}` };
    }
    case 'FedEx': {
      const number = `7${digits(rng, 11)}`;
      return { company, number, url: `https://www.fedex.com/fedextrack/?trknbr=${number}` };
    }
    default: {
      const number = digits(rng, 10);
      return { company, number, url: `https://www.dhl.com/en/express/tracking.html?AWB=${number}&brand=DHL` };
    }
  }
}

function seedCustomers(shop: ShopState, rng: Rng): ShopifyObject[] {
  return FIRST_NAMES.map((first, i) => {
    const last = LAST_NAMES[(i * 7) % LAST_NAMES.length];
    const city = CITIES[i % CITIES.length];
    const ascii = (s: string) =>
      s
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')
        .toLowerCase();
    return addCustomer(shop, {
      firstName: first,
      lastName: last,
      email: `${ascii(first)}.${ascii(last)}@${EMAIL_DOMAINS[i % EMAIL_DOMAINS.length]}`,
      // 555-0100..0199 is reserved for fictional use.
      phone: `+1${city.area}5550${String(100 + i * 3).padStart(3, '0')}`,
      address: { ...city, address1: `${100 + int(rng, 8900)} ${STREETS[i % STREETS.length]}` },
      createdAt: iso(Date.parse(DEMO_BASE_DATE) - (400 - i * 9) * DAY),
      tags: i % 6 === 0 ? ['vip'] : i % 9 === 4 ? ['wholesale'] : [],
    });
  });
}

function seedProducts(shop: ShopState, rng: Rng): void {
  PRODUCTS.forEach(([title, vendor, productType, stem, price, options, status], i) => {
    const values = options?.values ?? [null];
    addProduct(shop, {
      title,
      vendor,
      productType,
      status,
      tags: [productType.toLowerCase(), vendor === 'Northbound' ? 'merino' : 'outdoor'],
      description: `${title} by ${vendor}.`,
      createdAt: iso(Date.parse(DEMO_BASE_DATE) - (500 - i * 5) * DAY),
      variants: values.map((value, v) => ({
        title: value ?? 'Default Title',
        sku: value ? `${stem}-${value.toUpperCase().replace(/[^A-Z0-9]/g, '')}` : stem,
        price: price + (options?.name === 'Volume' ? v * 20 : 0) - 0.01 * (price % 2),
        available: LOCATIONS.map(() => (rng() < 0.12 ? 0 : int(rng, 40))),
        committed: LOCATIONS.map((_, l) => (l === 0 ? int(rng, 4) : 0)),
        option: value && options ? { name: options.name, value } : undefined,
        barcode: `0${digits(rng, 11)}`,
      })),
    });
  });
}

function orderSeed(i: number, shop: ShopState, customers: ShopifyObject[], rng: Rng): OrderSeed {
  const base = Date.parse(DEMO_BASE_DATE);
  const created = base - DAY - (55 - i) * 1.6 * DAY - int(rng, 10) * 3_600_000;
  const ageDays = (base - created) / DAY;
  const sellable = shop.variants.filter((v) => (v.product as ShopifyObject).status === 'ACTIVE');
  // Every 7th order ships partially and every 10th in two parcels: both need two lines or more.
  const split = i % 7 === 3 || i % 10 === 6;
  const lineCount = split ? 2 + int(rng, 2) : 1 + int(rng, rng() < 0.7 ? 1 : 3);
  const picked = new Set<ShopifyObject>();
  while (picked.size < lineCount) picked.add(sellable[int(rng, sellable.length)]);
  const lines = [...picked].map((variant) => ({ variant, quantity: rng() < 0.8 ? 1 : 2 }));
  const customer =
    i < customers.length ? customers[(i * 7) % customers.length] : customers[int(rng, customers.length)];
  const seed: OrderSeed = {
    number: 1001 + i,
    customer,
    lines,
    createdAt: iso(created),
    financialStatus: 'PAID',
  };

  const cancelled = (
    { 9: ['CUSTOMER', 'REFUNDED'], 27: ['INVENTORY', 'VOIDED'], 44: ['FRAUD', 'REFUNDED'] } as const
  )[i as 9 | 27 | 44];
  if (cancelled) {
    seed.cancelled = { at: iso(created + 5 * 3_600_000), reason: cancelled[0] };
    seed.financialStatus = cancelled[1];
    return seed;
  }
  const ship = (lineIdx: number[]): FulfillmentSeed => {
    const at = created + DAY + int(rng, 12) * 3_600_000;
    const delivered = at + 3 * DAY < base;
    return {
      lines: lineIdx,
      tracking: trackingFor(CARRIERS[int(rng, CARRIERS.length)], rng),
      createdAt: iso(at),
      displayStatus: delivered ? 'DELIVERED' : 'IN_TRANSIT',
      deliveredAt: delivered ? iso(at + 3 * DAY) : undefined,
    };
  };
  if (ageDays > 20) {
    const all = lines.map((_, k) => k);
    if (i % 7 === 3) seed.fulfillments = [ship([0])];
    else if (i % 10 === 6) seed.fulfillments = [ship([0]), ship(all.slice(1))];
    else seed.fulfillments = [ship(all)];
  } else if (i % 3 === 0) {
    seed.fulfillments = [ship(lines.map((_, k) => k))];
  } else {
    seed.financialStatus = i % 4 === 1 ? 'PENDING' : i % 4 === 2 ? 'AUTHORIZED' : 'PAID';
  }
  if (i % 11 === 5) {
    seed.financialStatus = 'PARTIALLY_REFUNDED';
    seed.refunded = Number(lines[0].variant.price);
  } else if (i % 13 === 7) {
    seed.financialStatus = 'REFUNDED';
  }
  const fullyShipped = seed.fulfillments && i % 7 !== 3;
  if (fullyShipped && seed.financialStatus !== 'PENDING' && ageDays > 30)
    seed.closedAt = iso(created + 10 * DAY);
  if (i % 6 === 2) seed.note = ORDER_NOTES[((i / 6) % ORDER_NOTES.length) | 0];
  if ((customer.tags as string[]).includes('wholesale')) seed.tags = ['wholesale'];
  return seed;
}

/** Fills an empty shop with the demo world (same data every time for the same shop). */
export function seedDemoRecords(shop: ShopState): void {
  const rng = prng(20_261_010);
  for (const loc of LOCATIONS) addLocation(shop, loc);
  const customers = seedCustomers(shop, rng);
  seedProducts(shop, rng);
  for (let i = 0; i < 56; i++) addOrder(shop, orderSeed(i, shop, customers, rng));
}
