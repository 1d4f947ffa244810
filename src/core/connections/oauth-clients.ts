/** What the OAuth lifecycle shares: its dependencies, the stored credential shape, and the client per provider. */
import type { OAuthAppConfig } from '../../config.ts';
import { AppError } from '../../errors.ts';
import type { ProviderRegistry } from '../../providers/registry.ts';
import type { OAuthSpec, ProviderModule } from '../../providers/types.ts';
import type { Vault } from '../../security/vault.ts';
import type { Store } from '../../store/db.ts';
import { OAuthClient } from './oauth-client.ts';

/** Milliseconds since the epoch; tests move it forward to expire states and tokens. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export interface OAuthDeps {
  store: Store;
  vault: Vault;
  registry: ProviderRegistry;
  /** The operator's OAuth apps by name; a provider whose app is missing or incomplete cannot connect. */
  apps: Record<string, OAuthAppConfig>;
  /** Upper bound of one call to an authorization server. */
  timeoutMs: number;
  /** `FLOWYTE_PUBLIC_URL`: the fixed redirect URI hangs off it. */
  publicUrl: string;
  clock: Clock;
  /** Told of every renewal this process performs (metrics). */
  onRefresh?: (kind: string, outcome: 'ok' | 'error') => void;
}

/** What an OAuth connection stores (sealed by the vault). */
export interface OAuthCredentials {
  access_token: string;
  refresh_token?: string;
  /** ISO time the access token stops working. */
  expires_at?: string;
  scope?: string;
  token_type?: string;
  /** The account label's claim, e.g. the account's email. */
  email?: string | null;
}

export const CALLBACK_PATH = '/api/v1/integrations/oauth/callback';

export const iso = (ms: number) => new Date(ms).toISOString();

/** The provider's OAuth spec, refusing providers that do not use OAuth. */
export function oauthSpec(provider: ProviderModule): OAuthSpec {
  const spec = provider.auth.oauth;
  if (provider.auth.type !== 'oauth2' || !spec)
    throw new AppError('validation_error', `${provider.kind} does not use OAuth`);
  return spec;
}

/** The OAuth client for a provider's authorization server, or 503 when the operator has not configured its app. */
export function clientFor(deps: OAuthDeps, provider: ProviderModule): OAuthClient {
  const spec = oauthSpec(provider);
  const app = deps.apps[spec.app];
  if (!app?.clientId || !app.clientSecret) {
    const names = app
      ? `${app.settings.clientId} and ${app.settings.clientSecret}`
      : 'its client id and secret';
    throw new AppError(
      'unavailable',
      `${provider.name} OAuth is not configured: set ${names} (or run the sandbox with FLOWYTE_SANDBOX=1)`,
    );
  }
  return new OAuthClient({
    authorizeUrl: app.authorizeUrl ?? spec.authorizeUrl,
    tokenUrl: app.tokenUrl ?? spec.tokenUrl,
    revokeUrl: app.revokeUrl ?? spec.revokeUrl ?? null,
    userinfoUrl: app.userinfoUrl ?? spec.userinfoUrl ?? null,
    issuer: app.issuer ?? spec.issuer,
    issuerSetting: app.settings.issuer,
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    timeoutMs: deps.timeoutMs,
    extraAuthorizeParams: spec.extraAuthorizeParams ?? {},
  });
}
