/** The product presets: a product search for callers, and stock per location by SKU. */
import { AppError } from '../../errors.ts';
import type { ProviderContext } from '../types.ts';
import { connectionAuth, shopifyGraphql } from './client.ts';
import { quoteSearchValue, searchTerm } from './search-string.ts';

interface Money {
  amount: string;
  currencyCode: string;
}

const text = (s: unknown) => (typeof s === 'string' ? s.trim() : '');

export async function searchProducts(
  credentials: Record<string, unknown>,
  args: Record<string, unknown>,
  ctx: ProviderContext,
) {
  const query = text(args.query).slice(0, 200);
  if (!query)
    throw new AppError('validation_error', 'query is required', {
      errors: [{ field: 'arguments.query', message: 'is required' }],
    });
  // The caller's words are one quoted phrase over Shopify's default fields; only active products are offered.
  const data = await shopifyGraphql(ctx, connectionAuth(credentials, ctx), {
    query: `query FlowyteSearchProducts($q: String!) { products(first: 5, query: $q) { nodes {
      title status totalInventory tracksInventory
      priceRangeV2 { minVariantPrice { amount currencyCode } maxVariantPrice { amount currencyCode } } } } }`,
    variables: { q: `${quoteSearchValue(query)} AND status:active` },
  });
  const nodes = ((data.products as { nodes?: unknown[] } | null)?.nodes ?? []) as {
    title: string;
    status: string;
    totalInventory: number | null;
    tracksInventory: boolean | null;
    priceRangeV2: { minVariantPrice: Money; maxVariantPrice: Money } | null;
  }[];
  return {
    count: nodes.length,
    products: nodes.map((p) => ({
      title: p.title,
      status: p.status,
      price: p.priceRangeV2
        ? {
            min: p.priceRangeV2.minVariantPrice.amount,
            max: p.priceRangeV2.maxVariantPrice.amount,
            currency: p.priceRangeV2.minVariantPrice.currencyCode,
          }
        : null,
      inStock: p.tracksInventory === false || (p.totalInventory ?? 0) > 0,
    })),
  };
}

export async function checkInventory(
  credentials: Record<string, unknown>,
  args: Record<string, unknown>,
  ctx: ProviderContext,
) {
  const sku = text(args.sku).slice(0, 255);
  if (!sku)
    throw new AppError('validation_error', 'sku is required', {
      errors: [{ field: 'arguments.sku', message: 'is required' }],
    });
  const data = await shopifyGraphql(ctx, connectionAuth(credentials, ctx), {
    query: `query FlowyteInventory($q: String!) { productVariants(first: 5, query: $q) { nodes {
      sku displayName title product { title }
      inventoryItem { tracked inventoryLevels(first: 10) { nodes { location { name } quantities(names: ["available"]) { name quantity } } } } } } }`,
    variables: { q: searchTerm('sku', sku) },
  });
  const nodes = ((data.productVariants as { nodes?: unknown[] } | null)?.nodes ?? []) as {
    sku: string | null;
    displayName: string;
    title: string;
    product: { title: string } | null;
    inventoryItem: {
      tracked: boolean;
      inventoryLevels: {
        nodes: { location: { name: string } | null; quantities: { name: string; quantity: number }[] }[];
      };
    } | null;
  }[];
  // SKU search is a search; only the exact SKU (case-insensitive) answers.
  const variants = nodes
    .filter((v) => (v.sku ?? '').toLowerCase() === sku.toLowerCase())
    .map((v) => {
      const locations = (v.inventoryItem?.inventoryLevels.nodes ?? []).map((l) => ({
        location: l.location?.name ?? null,
        available: l.quantities.find((q) => q.name === 'available')?.quantity ?? 0,
      }));
      return {
        sku: v.sku,
        product: v.product?.title ?? null,
        variant: v.title,
        tracked: v.inventoryItem?.tracked ?? null,
        totalAvailable: locations.reduce((n, l) => n + l.available, 0),
        locations,
      };
    });
  return variants.length
    ? { found: true, variants }
    : { found: false, message: `No product variant has the SKU ${sku}.` };
}
