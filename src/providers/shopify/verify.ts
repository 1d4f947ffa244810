/** The live check at connect: the shop answers with its name and the scopes the token was granted. */
import { AppError } from '../../errors.ts';
import type { ProviderContext, VerifyResult } from '../types.ts';
import { shopifyGraphql } from './client.ts';
import { connectForm } from './credentials.ts';
import { ClientRefused, clientCredentialsToken } from './token.ts';

const VERIFY_QUERY = `query FlowyteVerify {
  shop { name myshopifyDomain currencyCode }
  currentAppInstallation { accessScopes { handle } }
}`;

interface VerifyData {
  shop?: { name?: string; myshopifyDomain?: string; currencyCode?: string };
  currentAppInstallation?: { accessScopes?: { handle: string }[] };
}

export async function verifyShopify(
  raw: Record<string, unknown>,
  ctx: ProviderContext,
): Promise<VerifyResult> {
  const form = connectForm(raw);
  let stored: Record<string, unknown>;
  let token: string;
  if (form.kind === 'client_credentials') {
    try {
      const granted = await clientCredentialsToken(ctx, form);
      token = granted.access_token;
      stored = {
        ...form,
        access_token: token,
        expires_at: granted.expires_at,
        scope: granted.scopes.join(','),
      };
    } catch (e) {
      if (e instanceof ClientRefused)
        throw new AppError(
          'credentials_rejected',
          `${e.message}: check the client id and secret of the app installed on ${form.shop}`,
          {
            extensions: { reason: 'client_refused' },
          },
        );
      throw unknownShop(e, form.shop);
    }
  } else {
    token = form.access_token;
    stored = { shop: form.shop, access_token: token };
  }
  let data: VerifyData;
  try {
    data = (await shopifyGraphql(
      ctx,
      { shop: form.shop, renewable: false, token: async () => token },
      { query: VERIFY_QUERY },
    )) as VerifyData;
  } catch (e) {
    if (e instanceof AppError && e.code === 'needs_reconnect')
      throw new AppError(
        'credentials_rejected',
        `Shopify refused the access token for ${form.shop} (401): check that it is the store's Admin API token`,
        {
          extensions: { reason: 'token_refused' },
        },
      );
    if (e instanceof AppError && e.extras.extensions?.missingScope !== undefined)
      throw new AppError('credentials_rejected', `the token may not read the shop (403): ${e.message}`, {
        extensions: { reason: 'forbidden' },
      });
    throw unknownShop(e, form.shop);
  }
  const name = data.shop?.name ?? form.shop;
  const grantedScopes = (data.currentAppInstallation?.accessScopes ?? [])
    .map((s) => s.handle)
    .filter((h) => typeof h === 'string');
  return { accountLabel: name, credentials: stored, grantedScopes };
}

/** A shop Shopify does not know is the operator's typo: a 422 naming it, not a gateway error. */
function unknownShop(e: unknown, shop: string): unknown {
  const status = e instanceof AppError ? e.extras.extensions?.providerStatus : undefined;
  if (status === 404)
    return new AppError('credentials_rejected', `Shopify has no shop ${shop}: check the myshopify domain`, {
      extensions: { reason: 'unknown_shop' },
    });
  if (status === 403)
    return new AppError('credentials_rejected', `Shopify refused these credentials for ${shop} (403)`, {
      extensions: { reason: 'forbidden' },
    });
  return e;
}
