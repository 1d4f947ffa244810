/** A shop's domain as people paste it, and where its Admin API lives (Shopify's, or a configured fake). */
import { AppError } from '../../errors.ts';
import type { ProviderContext } from '../types.ts';

export const SHOP_PATTERN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

/** `https://Name.myshopify.com/` → `name.myshopify.com`; any other form is a 400 naming the expected one. */
export function normalizeShop(raw: unknown): string {
  const shop =
    typeof raw === 'string'
      ? raw
          .trim()
          .toLowerCase()
          .replace(/^https?:\/\//, '')
          .replace(/\/+$/, '')
      : '';
  if (!SHOP_PATTERN.test(shop) || shop.length > 255) {
    throw new AppError(
      'validation_error',
      'shop must be the store\'s myshopify domain, e.g. "acme.myshopify.com"',
      {
        errors: [
          {
            field: 'credentials.shop',
            message: 'must look like name.myshopify.com (https:// and a trailing / are trimmed)',
          },
        ],
      },
    );
  }
  return shop;
}

/** `https://{shop}`, or FLOWYTE_SHOPIFY_API_URL with `{shop}` replaced (a fake tells shops apart by token). */
export function shopOrigin(ctx: ProviderContext, shop: string): string {
  const base = ctx.endpoints.shopifyApiUrl;
  if (!base) return `https://${shop}`;
  return base.replace(/\/+$/, '').replace('{shop}', shop);
}

export const graphqlUrl = (ctx: ProviderContext, shop: string) =>
  `${shopOrigin(ctx, shop)}/admin/api/${ctx.endpoints.shopifyApiVersion}/graphql.json`;

export const tokenUrl = (ctx: ProviderContext, shop: string) =>
  `${shopOrigin(ctx, shop)}/admin/oauth/access_token`;
