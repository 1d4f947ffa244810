/**
 * The connect body: a store's Admin API token, or a Dev Dashboard app's client id and secret (the
 * client-credentials grant). What is stored after the live check: the shop's domain normalized,
 * and for an app also its current token and when it expires.
 */
import { Type } from '@sinclair/typebox';
import { AppError } from '../../errors.ts';
import { normalizeShop } from './shop.ts';

export const ShopifyCredentials = Type.Object(
  {
    shop: Type.String({ minLength: 1, maxLength: 300, description: 'the store, e.g. acme.myshopify.com' }),
    access_token: Type.Optional(
      Type.String({ minLength: 1, maxLength: 512, description: "the store's Admin API token (shpat_…)" }),
    ),
    client_id: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 256,
        description: 'a Dev Dashboard app installed on the store',
      }),
    ),
    client_secret: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
  },
  { additionalProperties: false },
);

export type ConnectForm =
  | { kind: 'token'; shop: string; access_token: string }
  | { kind: 'client_credentials'; shop: string; client_id: string; client_secret: string };

/** Exactly one of the two forms, the shop normalized; anything else is a 400 naming what to send. */
export function connectForm(c: Record<string, unknown>): ConnectForm {
  const shop = normalizeShop(c.shop);
  const token = typeof c.access_token === 'string' ? c.access_token.trim() : '';
  const id = typeof c.client_id === 'string' ? c.client_id.trim() : '';
  const secret = typeof c.client_secret === 'string' ? c.client_secret : '';
  if (token && !id && !secret) return { kind: 'token', shop, access_token: token };
  if (!token && id && secret)
    return { kind: 'client_credentials', shop, client_id: id, client_secret: secret };
  throw new AppError(
    'validation_error',
    'send { shop, access_token } or { shop, client_id, client_secret }',
    {
      errors: [
        {
          field: 'credentials',
          message: token
            ? 'give either access_token or client_id with client_secret, not both'
            : 'needs access_token, or client_id and client_secret',
        },
      ],
    },
  );
}
