/**
 * Builders of the world's records with the 2026-10 field names (checked against the introspection):
 * customers, locations, products with variants and inventory, orders with line items and
 * fulfillments. Links are object references (order.customer, variant.product…), so any path a
 * query takes through them resolves.
 */
import { gidNumber, money, type ShopifyObject, type ShopState } from './world.ts';

export interface AddressSeed {
  address1: string;
  city: string;
  province: string;
  provinceCode: string;
  zip: string;
  country?: string;
  countryCode?: string;
}

export interface CustomerSeed {
  firstName: string;
  lastName: string;
  email: string;
  /** E.164. */
  phone?: string;
  address?: AddressSeed;
  createdAt?: string;
  tags?: string[];
  note?: string;
}

export interface LocationSeed {
  name: string;
  address: AddressSeed;
  isActive?: boolean;
}

export interface VariantSeed {
  title: string;
  sku: string;
  price: number;
  /** Available units per location (by index in the shop's locations); missing: 0. */
  available: number[];
  /** Units committed to open orders per location (on_hand = available + committed). */
  committed?: number[];
  option?: { name: string; value: string };
  barcode?: string;
  compareAtPrice?: number;
}

export interface ProductSeed {
  title: string;
  vendor: string;
  productType: string;
  status?: 'ACTIVE' | 'DRAFT' | 'ARCHIVED' | 'UNLISTED';
  tags?: string[];
  description?: string;
  createdAt?: string;
  variants: VariantSeed[];
}

export interface LineSeed {
  variant: ShopifyObject;
  quantity: number;
}

export interface TrackingSeed {
  company: string;
  number: string;
  url: string;
}

export interface FulfillmentSeed {
  /** Indexes into the order's lines (whole quantities). */
  lines: number[];
  tracking: TrackingSeed;
  createdAt: string;
  displayStatus: 'IN_TRANSIT' | 'DELIVERED' | 'OUT_FOR_DELIVERY' | 'CONFIRMED' | 'LABEL_PRINTED';
  deliveredAt?: string;
}

export interface OrderSeed {
  number: number;
  customer?: ShopifyObject;
  lines: LineSeed[];
  createdAt: string;
  financialStatus: string;
  fulfillments?: FulfillmentSeed[];
  cancelled?: { at: string; reason: 'CUSTOMER' | 'DECLINED' | 'FRAUD' | 'INVENTORY' | 'OTHER' | 'STAFF' };
  closedAt?: string;
  note?: string;
  tags?: string[];
  /** Part of the total refunded (PARTIALLY_REFUNDED). */
  refunded?: number;
}

function mailingAddress(
  shop: ShopState,
  a: AddressSeed,
  first: string,
  last: string,
  phone?: string,
): ShopifyObject {
  const country = a.country ?? 'United States';
  return {
    __typename: 'MailingAddress',
    id: `${shop.gid('MailingAddress')}?model_name=CustomerAddress`,
    firstName: first,
    lastName: last,
    name: `${first} ${last}`,
    address1: a.address1,
    address2: null,
    city: a.city,
    province: a.province,
    provinceCode: a.provinceCode,
    zip: a.zip,
    country,
    countryCodeV2: a.countryCode ?? 'US',
    phone: phone ?? null,
    formatted: [a.address1, `${a.city} ${a.provinceCode} ${a.zip}`, country],
  };
}

export function addCustomer(shop: ShopState, s: CustomerSeed): ShopifyObject {
  const createdAt = s.createdAt ?? '2025-06-01T12:00:00Z';
  const address = s.address ? mailingAddress(shop, s.address, s.firstName, s.lastName, s.phone) : null;
  return shop.add(shop.customers, {
    __typename: 'Customer',
    id: shop.gid('Customer'),
    firstName: s.firstName,
    lastName: s.lastName,
    displayName: `${s.firstName} ${s.lastName}`,
    email: s.email,
    phone: s.phone ?? null,
    defaultEmailAddress: {
      __typename: 'CustomerEmailAddress',
      emailAddress: s.email,
      marketingState: 'NOT_SUBSCRIBED',
    },
    defaultPhoneNumber: s.phone ? { __typename: 'CustomerPhoneNumber', phoneNumber: s.phone } : null,
    defaultAddress: address,
    addresses: address ? [address] : [],
    addressesV2: address ? [address] : [],
    numberOfOrders: '0',
    amountSpent: money(0, shop.currencyCode),
    orders: [],
    lastOrder: null,
    state: 'ENABLED',
    verifiedEmail: true,
    tags: s.tags ?? [],
    note: s.note ?? null,
    createdAt,
    updatedAt: createdAt,
  });
}

export function addLocation(shop: ShopState, s: LocationSeed): ShopifyObject {
  const a = s.address;
  const levels: ShopifyObject[] = [];
  return shop.add(shop.locations, {
    __typename: 'Location',
    id: shop.gid('Location'),
    name: s.name,
    isActive: s.isActive ?? true,
    fulfillsOnlineOrders: true,
    shipsInventory: true,
    hasActiveInventory: true,
    address: {
      __typename: 'LocationAddress',
      address1: a.address1,
      city: a.city,
      province: a.province,
      provinceCode: a.provinceCode,
      zip: a.zip,
      country: a.country ?? 'United States',
      countryCode: a.countryCode ?? 'US',
      formatted: [a.address1, `${a.city} ${a.provinceCode} ${a.zip}`, a.country ?? 'United States'],
    },
    inventoryLevels: levels,
    inventoryLevel: (args: { inventoryItemId?: string }) =>
      levels.find((l) => (l.item as ShopifyObject).id === args.inventoryItemId) ?? null,
    createdAt: '2024-03-01T15:00:00Z',
    updatedAt: '2024-03-01T15:00:00Z',
  });
}

function inventoryLevel(
  shop: ShopState,
  item: ShopifyObject,
  location: ShopifyObject,
  available: number,
  committed: number,
  at: string,
) {
  const quantities: Record<string, number> = {
    available,
    committed,
    on_hand: available + committed,
    incoming: 0,
    reserved: 0,
    damaged: 0,
    quality_control: 0,
    safety_stock: 0,
  };
  const levelNumber = gidNumber(String(location.id)) * 10 + (gidNumber(String(item.id)) % 10);
  const level: ShopifyObject = {
    __typename: 'InventoryLevel',
    // Real InventoryLevel ids carry the item: gid://shopify/InventoryLevel/<n>?inventory_item_id=<m>
    id: `gid://shopify/InventoryLevel/${levelNumber}?inventory_item_id=${gidNumber(String(item.id))}`,
    item,
    location,
    isActive: true,
    canDeactivate: false,
    deactivationAlert: null,
    createdAt: at,
    updatedAt: at,
    quantities: (args: { names?: string[] }) =>
      (args.names ?? []).map((name) => ({
        __typename: 'InventoryQuantity',
        id: `gid://shopify/InventoryQuantity/${levelNumber}?inventory_item_id=${gidNumber(String(item.id))}&name=${name}`,
        name,
        quantity: quantities[name] ?? 0,
        updatedAt: at,
      })),
  };
  shop.add(undefined, level);
  (location.inventoryLevels as ShopifyObject[]).push(level);
  return level;
}

export function addProduct(shop: ShopState, s: ProductSeed): ShopifyObject {
  const createdAt = s.createdAt ?? '2025-05-01T12:00:00Z';
  const handle = s.title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  const product: ShopifyObject = {
    __typename: 'Product',
    id: shop.gid('Product'),
    title: s.title,
    handle,
    status: s.status ?? 'ACTIVE',
    vendor: s.vendor,
    productType: s.productType,
    tags: s.tags ?? [],
    description: s.description ?? '',
    descriptionHtml: s.description ? `<p>${s.description}</p>` : '',
    tracksInventory: true,
    hasOnlyDefaultVariant: s.variants.length === 1 && !s.variants[0].option,
    onlineStoreUrl: s.status === 'ACTIVE' || !s.status ? `https://${shop.domain}/products/${handle}` : null,
    createdAt,
    updatedAt: createdAt,
    publishedAt: s.status === 'ACTIVE' || !s.status ? createdAt : null,
    variants: [],
    options: [],
  };
  const variants = s.variants.map((v, position) => {
    const variant: ShopifyObject = {
      __typename: 'ProductVariant',
      id: shop.gid('ProductVariant'),
      title: v.option?.value ?? 'Default Title',
      displayName: `${s.title} - ${v.option?.value ?? 'Default Title'}`,
      sku: v.sku,
      barcode: v.barcode ?? null,
      price: v.price.toFixed(2),
      compareAtPrice: v.compareAtPrice?.toFixed(2) ?? null,
      position: position + 1,
      taxable: true,
      inventoryPolicy: 'DENY',
      selectedOptions: [
        {
          __typename: 'SelectedOption',
          name: v.option?.name ?? 'Title',
          value: v.option?.value ?? 'Default Title',
        },
      ],
      product,
      createdAt,
      updatedAt: createdAt,
    };
    const item: ShopifyObject = {
      __typename: 'InventoryItem',
      id: shop.gid('InventoryItem'),
      sku: v.sku,
      tracked: true,
      requiresShipping: true,
      variant,
      createdAt,
      updatedAt: createdAt,
    };
    const levels = shop.locations.map((loc, i) =>
      inventoryLevel(shop, item, loc, v.available[i] ?? 0, v.committed?.[i] ?? 0, createdAt),
    );
    item.inventoryLevels = levels;
    item.inventoryLevel = (args: { locationId?: string }) =>
      levels.find((l) => (l.location as ShopifyObject).id === args.locationId) ?? null;
    variant.inventoryItem = item;
    variant.inventoryQuantity = v.available.reduce((a, b) => a + b, 0);
    variant.availableForSale = product.status === 'ACTIVE' && (variant.inventoryQuantity as number) > 0;
    shop.add(shop.inventoryItems, item);
    return shop.add(shop.variants, variant);
  });
  const prices = s.variants.map((v) => v.price);
  product.variants = variants;
  product.variantsCount = { __typename: 'Count', count: variants.length, precision: 'EXACT' };
  product.totalInventory = variants.reduce((n, v) => n + (v.inventoryQuantity as number), 0);
  product.priceRangeV2 = {
    __typename: 'ProductPriceRangeV2',
    minVariantPrice: money(Math.min(...prices), shop.currencyCode),
    maxVariantPrice: money(Math.max(...prices), shop.currencyCode),
  };
  const option = s.variants[0]?.option;
  product.options = option
    ? [
        {
          __typename: 'ProductOption',
          id: `gid://shopify/ProductOption/${gidNumber(String(product.id))}1`,
          name: option.name,
          position: 1,
          values: s.variants.map((v) => v.option?.value),
        },
      ]
    : [
        {
          __typename: 'ProductOption',
          id: `gid://shopify/ProductOption/${gidNumber(String(product.id))}1`,
          name: 'Title',
          position: 1,
          values: ['Default Title'],
        },
      ];
  return shop.add(shop.products, product);
}
