/** What the OAuth lifecycle shares: its dependencies, the stored credential shape, and the client per provider. */
import { AppError } from '../errors.ts';
import { GoogleOAuthClient, type GoogleOAuthSettings } from '../providers/google/oauth-client.ts';
import type { ProviderRegistry } from '../providers/registry.ts';
import type { ProviderModule } from '../providers/types.ts';
import type { Vault } from '../security/vault.ts';
import type { Store } from '../store/db.ts';

/** Milliseconds since the epoch; tests move it forward to expire states and tokens. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export interface OAuthDeps {
  store: Store;
  vault: Vault;
  registry: ProviderRegistry;
  /** Google's endpoints and app credentials; null fields mean Google OAuth is not configured. */
  google: Omit<GoogleOAuthSettings, 'clientId' | 'clientSecret'> & {
    clientId: string | null;
    clientSecret: string | null;
  };
  /** `FLOWYTE_PUBLIC_URL`: the fixed redirect URI hangs off it. */
  publicUrl: string;
  clock: Clock;
}

/** What an OAuth connection stores (sealed by the vault). */
export interface OAuthCredentials {
  access_token: string;
  refresh_token?: string;
  /** ISO time the access token stops working. */
  expires_at?: string;
  scope?: string;
  token_type?: string;
  email?: string | null;
}

export const CALLBACK_PATH = '/api/v1/integrations/oauth/callback';

export const iso = (ms: number) => new Date(ms).toISOString();

/** The OAuth client for a provider's authorization server, or 503 when the operator has not configured it. */
export function clientFor(deps: OAuthDeps, provider: ProviderModule): GoogleOAuthClient {
  const spec = provider.auth.oauth;
  if (provider.auth.type !== 'oauth2' || !spec)
    throw new AppError('validation_error', `${provider.kind} does not use OAuth`);
  const { clientId, clientSecret } = deps.google;
  if (!clientId || !clientSecret) {
    throw new AppError(
      'unavailable',
      'Google OAuth is not configured: set GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET (or run the sandbox with FLOWYTE_SANDBOX=1)',
    );
  }
  return new GoogleOAuthClient({ ...deps.google, clientId, clientSecret });
}
