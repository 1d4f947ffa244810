/**
 * Access tokens of OAuth connections, and of credentials that renew themselves (a provider's
 * `auth.renew`, e.g. a client-credentials grant): handed out while fresh, renewed shortly before
 * expiry (or when a provider saw a 401), with at most one renewal per connection at a time — in
 * this process through a map of in-flight promises, across instances through a lock row in the
 * store. Whoever holds neither waits and re-reads: the holder's new token is stored for everyone.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../../errors.ts';
import type { ProviderContext, ProviderModule } from '../../providers/types.ts';
import { getConnection, listConnections } from '../../store/connections.ts';
import {
  claimRefreshLock,
  markNeedsReconnect,
  releaseRefreshLock,
  swapConnectionSecret,
} from '../../store/oauth-tokens.ts';
import type { ConnectionsTable } from '../../store/schema.ts';
import { OAuthProtocolError, OAuthTransportError } from './oauth-client.ts';
import { clientFor, iso, type OAuthCredentials, type OAuthDeps } from './oauth-clients.ts';

/** Refresh this long before the stored expiry, so a token never dies in the middle of a call. */
export const REFRESH_MARGIN_MS = 60_000;
/** A lock outlives any sane refresh; a holder that crashed frees the connection after this. */
const MIN_LOCK_TTL_MS = 30_000;
const POLL_MIN_MS = 20;
const POLL_MAX_MS = 250;

export interface AccessTokenOptions {
  forceRefresh?: boolean;
  /** The token the caller found wanting (after a 401): anything else stored is someone's fresher one. */
  stale?: string;
  /** Credentials the caller already opened, to skip a store read while they are fresh. */
  known?: OAuthCredentials;
  /** The provider context a self-renewing provider's `renew` runs with. */
  context?: ProviderContext;
}

export type RevokeOutcome =
  | { outcome: 'revoked' }
  | { outcome: 'skipped'; reason: string }
  | { outcome: 'failed'; reason: string };

interface Current {
  row: ConnectionsTable;
  creds: OAuthCredentials;
}

export class OAuthTokens {
  private readonly inflight = new Map<string, Promise<string>>();
  /** Names this process in the lock table. */
  private readonly owner = `inst_${randomBytes(9).toString('base64url')}`;

  constructor(
    private readonly deps: OAuthDeps,
    private readonly aadOf: (orgId: string, connectionId: string) => string,
  ) {}

  private fresh(creds: OAuthCredentials | undefined): creds is OAuthCredentials {
    if (!creds || typeof creds.access_token !== 'string' || !creds.expires_at) return false;
    return Date.parse(creds.expires_at) - this.deps.clock.now() > REFRESH_MARGIN_MS;
  }

  private async read(orgId: string, kind: string): Promise<Current> {
    const row = await getConnection(this.deps.store, orgId, kind);
    if (!row)
      throw new AppError(
        'integration_not_connected',
        `${kind} is not connected; connect it first with POST /api/v1/integrations/${kind}/connect`,
      );
    if (row.status === 'needs_reconnect') throw needsReconnect(kind);
    return {
      row,
      creds: this.deps.vault.decryptJson<OAuthCredentials>(row.secret, this.aadOf(orgId, row.id)),
    };
  }

  /** A valid access token for the org's connection of this kind. */
  async accessToken(orgId: string, kind: string, opts: AccessTokenOptions = {}): Promise<string> {
    if (!opts.forceRefresh && this.fresh(opts.known)) return opts.known.access_token;
    const current = await this.read(orgId, kind);
    const stored = current.creds.access_token;
    if (!opts.forceRefresh && this.fresh(current.creds)) return stored;
    // Forced, but the store already holds another fresh token than the one that failed: use that.
    if (opts.forceRefresh && opts.stale && stored !== opts.stale && this.fresh(current.creds)) return stored;
    const stale = opts.forceRefresh ? (opts.stale ?? stored) : stored;
    const id = current.row.id;
    let pending = this.inflight.get(id);
    if (!pending) {
      pending = this.refresh(orgId, kind, id, stale, opts.context).finally(() => this.inflight.delete(id));
      this.inflight.set(id, pending);
    }
    return pending;
  }

  private async refresh(
    orgId: string,
    kind: string,
    connectionId: string,
    stale: string,
    context: ProviderContext | undefined,
  ): Promise<string> {
    const { store, clock } = this.deps;
    // The lock must outlive the token call's own timeout, or a slow refresh could be joined by a second.
    const ttl = Math.max(MIN_LOCK_TTL_MS, this.deps.timeoutMs + 5_000);
    const deadline = clock.now() + ttl + 5_000;
    for (let wait = POLL_MIN_MS; ; wait = Math.min(wait * 2, POLL_MAX_MS)) {
      const now = clock.now();
      let claimed: boolean;
      try {
        claimed = await claimRefreshLock(store, connectionId, this.owner, iso(now), iso(now + ttl));
      } catch (e) {
        // The connection was deleted under us (the lock row references it): say so if that is it.
        await this.read(orgId, kind);
        throw e;
      }
      if (claimed) {
        try {
          return await this.refreshLocked(orgId, kind, stale, context);
        } finally {
          await releaseRefreshLock(store, connectionId, this.owner).catch(() => {});
        }
      }
      // Another instance is refreshing: its token lands in the store.
      await sleep(wait);
      const current = await this.read(orgId, kind);
      if (current.creds.access_token !== stale && this.fresh(current.creds))
        return current.creds.access_token;
      if (clock.now() > deadline)
        throw new AppError('provider_timeout', `refreshing the ${kind} access token took too long`);
    }
  }

  private async refreshLocked(
    orgId: string,
    kind: string,
    stale: string,
    context: ProviderContext | undefined,
  ): Promise<string> {
    const { store, vault, clock, registry } = this.deps;
    // Re-read under the lock: the previous holder may have refreshed already.
    const current = await this.read(orgId, kind);
    if (current.creds.access_token !== stale && this.fresh(current.creds)) return current.creds.access_token;
    const provider = registry.get(kind);
    const { row, creds } = current;
    let next: OAuthCredentials;
    try {
      next = provider.auth.renew
        ? await this.renewed(orgId, provider, row, creds, context)
        : await this.refreshed(orgId, provider, row, creds);
      this.deps.onRefresh?.(kind, 'ok');
    } catch (e) {
      this.deps.onRefresh?.(kind, 'error');
      throw e;
    }
    const sealed = vault.encryptJson(next, this.aadOf(orgId, row.id));
    if (await swapConnectionSecret(store, orgId, row.id, row.secret, sealed, iso(clock.now())))
      return next.access_token;
    // Reconnected meanwhile: the new grant's token wins; ours is still valid for this one call.
    const after = await this.read(orgId, kind);
    return this.fresh(after.creds) ? after.creds.access_token : next.access_token;
  }

  /** A provider's own renewal (no refresh token: it fetches a new token with what it stored). */
  private async renewed(
    orgId: string,
    provider: ProviderModule,
    row: ConnectionsTable,
    creds: OAuthCredentials,
    context: ProviderContext | undefined,
  ): Promise<OAuthCredentials> {
    if (!context) throw new Error(`renewing ${provider.kind} credentials needs a provider context`);
    try {
      const renewed = await provider.auth.renew!(creds as unknown as Record<string, unknown>, context);
      return {
        ...creds,
        ...renewed.extra,
        access_token: renewed.access_token,
        expires_at: iso(this.deps.clock.now() + renewed.expiresInSeconds * 1000),
      };
    } catch (e) {
      if (e instanceof AppError && e.code === 'needs_reconnect') {
        await markNeedsReconnect(this.deps.store, orgId, row.id, row.secret, iso(this.deps.clock.now()));
      }
      throw e;
    }
  }

  /** The OAuth refresh grant. */
  private async refreshed(
    orgId: string,
    provider: ProviderModule,
    row: ConnectionsTable,
    creds: OAuthCredentials,
  ): Promise<OAuthCredentials> {
    const { store, clock } = this.deps;
    const kind = provider.kind;
    if (!creds.refresh_token) {
      await markNeedsReconnect(store, orgId, row.id, row.secret, iso(clock.now()));
      throw needsReconnect(kind);
    }
    let tokens: Awaited<ReturnType<ReturnType<typeof clientFor>['refresh']>>;
    try {
      tokens = await clientFor(this.deps, provider).refresh(creds.refresh_token);
    } catch (e) {
      if (e instanceof OAuthProtocolError && e.error === 'invalid_grant') {
        await markNeedsReconnect(store, orgId, row.id, row.secret, iso(clock.now()));
        throw needsReconnect(kind);
      }
      throw refreshError(e, provider);
    }
    const ttl = tokens.expiresIn ?? provider.auth.oauth?.defaultTokenTtlSeconds ?? 3_600;
    return {
      ...creds,
      access_token: tokens.accessToken,
      // Google keeps the refresh token; servers that rotate it send a new one.
      refresh_token: tokens.refreshToken ?? creds.refresh_token,
      expires_at: iso(clock.now() + ttl * 1000),
      scope: tokens.scope ?? creds.scope,
      token_type: tokens.tokenType,
    };
  }

  /**
   * Best effort: revokes the grant at the provider. Where revoking ends the app's whole grant for
   * the account (Google), a token another connection of this org shares (same account) is left alone.
   */
  async revoke(
    orgId: string,
    provider: ProviderModule,
    connection: ConnectionsTable,
    creds: OAuthCredentials,
  ): Promise<RevokeOutcome> {
    const token = creds.refresh_token ?? creds.access_token;
    if (!token) return { outcome: 'skipped', reason: 'no token stored' };
    const spec = provider.auth.oauth;
    const others = spec?.revokesWholeGrant ? await listConnections(this.deps.store, orgId) : [];
    const shared = others.find(
      (c) =>
        c.id !== connection.id &&
        c.account_label === connection.account_label &&
        this.deps.registry.list().some((p) => p.kind === c.kind && p.auth.oauth?.app === spec?.app),
    );
    if (shared) return { outcome: 'skipped', reason: `the same account still backs ${shared.kind}` };
    try {
      const client = clientFor(this.deps, provider);
      if (!client.canRevoke) return { outcome: 'skipped', reason: 'the provider has no revocation endpoint' };
      await client.revoke(token);
      return { outcome: 'revoked' };
    } catch (e) {
      const reason =
        e instanceof OAuthProtocolError
          ? `${e.status} ${e.error}`
          : e instanceof AppError || e instanceof OAuthTransportError
            ? e.message
            : 'error';
      return { outcome: 'failed', reason };
    }
  }
}

const needsReconnect = (kind: string) =>
  new AppError(
    'needs_reconnect',
    `the ${kind} connection must be reconnected by an operator: its authorization was revoked or expired`,
  );

function refreshError(e: unknown, provider: ProviderModule): AppError {
  if (e instanceof OAuthTransportError && e.timeout)
    return new AppError('provider_timeout', `${provider.name} did not answer the token refresh in time`);
  if (e instanceof AppError) return e;
  const status = e instanceof OAuthProtocolError ? e.status : 0;
  return new AppError('provider_error', `${provider.name} refused to refresh the access token`, {
    extensions: { retryable: status === 0 || status >= 500 || status === 429 },
  });
}
