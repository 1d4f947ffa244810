/**
 * The client-credentials grant of a Dev Dashboard app installed on the store: a token that lasts
 * about a day and has no refresh token, so the server asks again before it expires (core's token
 * lock keeps that to one request per connection at a time, across instances).
 */
import { AppError } from '../../errors.ts';
import type { ProviderContext, RenewedToken } from '../types.ts';
import { shopRequest } from './http.ts';
import { tokenUrl } from './shop.ts';

/** Without expires_in, assume Shopify's documented day, minus a margin. */
const DEFAULT_TTL_S = 86_000;

export interface GrantedToken extends RenewedToken {
  scopes: string[];
  /** ISO time it stops working, by this process's clock (stored at connect). */
  expires_at: string;
}

/** Why a grant was refused, for the connect answer: which of the app's credentials did not work. */
export class ClientRefused extends Error {
  constructor(readonly error: string) {
    super(`Shopify refused the app's client id or secret (${error})`);
  }
}

export async function clientCredentialsToken(
  ctx: ProviderContext,
  c: { shop: string; client_id: string; client_secret: string },
  now = Date.now(),
): Promise<GrantedToken> {
  const body = new URLSearchParams({
    client_id: c.client_id,
    client_secret: c.client_secret,
    grant_type: 'client_credentials',
  }).toString();
  const res = await shopRequest(ctx, tokenUrl(ctx, c.shop), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body,
  });
  const answer = (res.body ?? {}) as Record<string, unknown>;
  if (res.status === 400 || res.status === 401 || res.status === 403) {
    const error =
      typeof answer.error === 'string' && /^[a-z_]{1,64}$/.test(answer.error)
        ? answer.error
        : 'invalid_client';
    throw new ClientRefused(error);
  }
  if (res.status === 404) {
    throw new AppError('provider_error', `Shopify has no shop ${c.shop}`, {
      extensions: { retryable: false, providerStatus: 404 },
    });
  }
  if (res.status !== 200 || typeof answer.access_token !== 'string') {
    throw new AppError('provider_error', `Shopify's token endpoint answered ${res.status}`, {
      extensions: { retryable: res.status >= 500 || res.status === 429 },
    });
  }
  const ttl =
    typeof answer.expires_in === 'number' && answer.expires_in > 0 ? answer.expires_in : DEFAULT_TTL_S;
  const scopes = typeof answer.scope === 'string' ? answer.scope.split(/[\s,]+/).filter(Boolean) : [];
  return {
    access_token: answer.access_token,
    expiresInSeconds: ttl,
    expires_at: new Date(now + ttl * 1000).toISOString(),
    scopes,
    extra: { scope: scopes.join(',') },
  };
}

/** Core's renewal hook: a fresh token, or needs_reconnect once the app's credentials are refused. */
export async function renewShopifyToken(
  credentials: Record<string, unknown>,
  ctx: ProviderContext,
): Promise<RenewedToken> {
  if (typeof credentials.client_id !== 'string' || typeof credentials.client_secret !== 'string') {
    throw new AppError(
      'needs_reconnect',
      'this Shopify connection has a fixed token that cannot be renewed; reconnect the shop',
    );
  }
  try {
    return await clientCredentialsToken(ctx, {
      shop: String(credentials.shop),
      client_id: credentials.client_id,
      client_secret: credentials.client_secret,
    });
  } catch (e) {
    if (e instanceof ClientRefused)
      throw new AppError(
        'needs_reconnect',
        `${e.message}; reconnect the shop with the app's current credentials`,
      );
    throw e;
  }
}
