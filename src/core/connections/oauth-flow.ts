/**
 * The authorization-code flow of OAuth connections: `start` issues a single-use state (stored
 * hashed, bound to org and kind, ten minutes) with a PKCE verifier (stored sealed); `finish`
 * redeems the callback. Nothing here logs or returns a code or a token.
 */
import { createHash } from 'node:crypto';
import { AppError } from '../../errors.ts';
import type { ProviderModule } from '../../providers/types.ts';
import {
  consumeOAuthState,
  getOAuthState,
  insertOAuthState,
  purgeOAuthStates,
} from '../../store/oauth-states.ts';
import { OAuthCheckError, OAuthClient, OAuthProtocolError, OAuthTransportError } from './oauth-client.ts';
import {
  CALLBACK_PATH,
  clientFor,
  iso,
  type OAuthCredentials,
  type OAuthDeps,
  oauthSpec,
} from './oauth-clients.ts';
import { missingScopes, requestedScopes } from './oauth-scopes.ts';

export const STATE_TTL_MS = 10 * 60_000;
/** Used and expired states are kept this long, so a late replay is named as one rather than "unknown". */
const STATE_KEEP_MS = 24 * 3_600_000;
/** Without expires_in, and without a lifetime in the provider's spec, assume an hour. */
const DEFAULT_TOKEN_TTL_S = 3_600;

/** Stores a finished connection (Integrations' upsert: sealed, replacing any earlier one atomically). */
export type SaveOAuthConnection = (
  orgId: string,
  kind: string,
  credentials: OAuthCredentials,
  accountLabel: string,
) => Promise<void>;

export interface FinishedConnection {
  kind: string;
  accountLabel: string;
}

const hashState = (state: string) => createHash('sha256').update(state).digest('hex');
const verifierAad = (orgId: string, stateHash: string) => `oauth-state:${orgId}:${stateHash}`;

function stateError(reason: 'unknown' | 'used' | 'expired'): AppError {
  const detail = {
    unknown: 'this sign-in link is not one this server issued (or it is incomplete); start connecting again',
    used: 'this sign-in link was already used; start connecting again',
    expired: 'this sign-in link expired (links last 10 minutes); start connecting again',
  }[reason];
  return new AppError('oauth_state_invalid', detail, { extensions: { reason } });
}

/** An OAuth error code is echoed only when it looks like one: it arrives in a URL anyone can craft. */
const safeCode = (code: string) => (/^[a-z_]{1,64}$/.test(code) ? code : 'invalid_response');

export class OAuthFlow {
  readonly redirectUri: string;

  constructor(
    private readonly deps: OAuthDeps,
    private readonly save: SaveOAuthConnection,
  ) {
    this.redirectUri = deps.publicUrl + CALLBACK_PATH;
  }

  /** The consent URL for a new connection of this org and kind. */
  async start(orgId: string, provider: ProviderModule): Promise<string> {
    const client = clientFor(this.deps, provider);
    const { store, vault, clock } = this.deps;
    const scopes = requestedScopes(oauthSpec(provider));
    const state = OAuthClient.newState();
    const verifier = OAuthClient.newVerifier();
    const stateHash = hashState(state);
    const now = clock.now();
    await purgeOAuthStates(store, iso(now - STATE_KEEP_MS));
    await insertOAuthState(store, {
      state_hash: stateHash,
      org_id: orgId,
      kind: provider.kind,
      verifier: vault.encrypt(verifier, verifierAad(orgId, stateHash)),
      scopes: JSON.stringify(scopes),
      created_at: iso(now),
      expires_at: iso(now + STATE_TTL_MS),
      used_at: null,
    });
    return client.authorizationUrl({ state, verifier, scopes, redirectUri: this.redirectUri });
  }

  /** Redeems the provider's redirect: the state authenticates it, once. */
  async finish(query: Record<string, unknown>): Promise<FinishedConnection> {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query ?? {})) {
      // A repeated parameter is not something an authorization server sends.
      if (typeof v !== 'string')
        throw new AppError('validation_error', `the ${k.slice(0, 32)} parameter must appear once`);
      params.set(k, v);
    }
    const state = params.get('state');
    if (!state || state.length > 512) throw stateError('unknown');
    const { store, vault, clock, registry } = this.deps;
    const stateHash = hashState(state);
    const row = await getOAuthState(store, stateHash);
    if (!row) throw stateError('unknown');
    const now = clock.now();
    // Spent before anything else happens, so a replay of a denied or failed attempt is refused too.
    if (!(await consumeOAuthState(store, stateHash, iso(now)))) throw stateError('used');
    if (Date.parse(row.expires_at) <= now) throw stateError('expired');

    const provider = registry.get(row.kind);
    const spec = oauthSpec(provider);
    const client = clientFor(this.deps, provider);
    const verifier = vault.decrypt(row.verifier, verifierAad(row.org_id, stateHash));
    const tokens = await client
      .exchangeCode({ params, state, verifier, redirectUri: this.redirectUri })
      .catch((e) => {
        throw exchangeError(e, provider.name);
      });
    const requested = JSON.parse(row.scopes) as string[];
    const missing = missingScopes(spec, requested, tokens.scope);
    if (missing.length) {
      throw new AppError(
        'oauth_scope_missing',
        `${provider.name} needs every permission it asked for; grant all of them and connect again`,
        {
          extensions: { kind: row.kind, missingScopes: missing },
        },
      );
    }
    if (spec.requireRefreshToken && !tokens.refreshToken) {
      throw new AppError(
        'oauth_exchange_failed',
        `${provider.name} granted no offline access (no refresh token); connect again`,
      );
    }
    // The label is a courtesy: a userinfo hiccup must not lose a grant the user just gave.
    const email = spec.accountLabelClaim
      ? await client.userinfoClaim(tokens.accessToken, spec.accountLabelClaim).catch(() => null)
      : null;
    const ttl = tokens.expiresIn ?? spec.defaultTokenTtlSeconds ?? DEFAULT_TOKEN_TTL_S;
    const credentials: OAuthCredentials = {
      access_token: tokens.accessToken,
      refresh_token: tokens.refreshToken,
      expires_at: iso(clock.now() + ttl * 1000),
      scope: tokens.scope ?? requested.join(' '),
      token_type: tokens.tokenType,
      email,
    };
    const accountLabel = email ?? `${provider.name} account`;
    await this.save(row.org_id, row.kind, credentials, accountLabel);
    return { kind: row.kind, accountLabel };
  }
}

function exchangeError(e: unknown, name: string): AppError {
  if (e instanceof OAuthProtocolError) {
    if (e.error === 'access_denied')
      return new AppError('oauth_denied', `access to ${name} was denied; nothing was connected`);
    return new AppError(
      'oauth_exchange_failed',
      `${name} refused to complete the sign-in (${safeCode(e.error)}); start connecting again`,
      {
        extensions: { error: safeCode(e.error) },
      },
    );
  }
  if (e instanceof OAuthCheckError) {
    return new AppError('oauth_exchange_failed', `${name} answered the sign-in, but ${e.reason}`, {
      extensions: { error: 'check_failed' },
    });
  }
  if (e instanceof OAuthTransportError) {
    if (e.timeout) return new AppError('provider_timeout', `${name} did not answer the sign-in in time`);
    return new AppError('provider_error', `${name} could not be reached to complete the sign-in`, {
      extensions: { retryable: true },
    });
  }
  return e instanceof AppError
    ? e
    : new AppError('provider_error', `the sign-in with ${name} failed`, { extensions: { retryable: false } });
}
