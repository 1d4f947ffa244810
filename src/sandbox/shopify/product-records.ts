/**
 * Products with their variants, inventory items and one inventory level per location
 * (`quantities(names:)` answers available, on_hand, committed and the other quantity names).
 */
import { gidNumber, money, type ShopifyObject, type ShopState } from './world.ts';

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
