/** Catalog, connections and their lifecycle: connect (verified live, or OAuth), list, disconnect, SQL helpers. */
import type { Dispatcher } from 'undici';
import { lruCache } from '../../cache-limits.ts';
import { AppError } from '../../errors.ts';
import type { ProviderRegistry } from '../../providers/registry.ts';
import type {
  AuthType,
  ProviderContext,
  ProviderEndpoints,
  ProviderModule,
  SqlCheck,
} from '../../providers/types.ts';
import type { EgressPolicy } from '../../security/egress.ts';
import { EgressError } from '../../security/egress.ts';
import type { Vault } from '../../security/vault.ts';
import {
  deleteConnection,
  getConnection,
  listConnections,
  setConnectionStatus,
  upsertConnection,
} from '../../store/connections.ts';
import type { Store } from '../../store/db.ts';
import type { ConnectionsTable } from '../../store/schema.ts';
import { validateOrThrow } from '../shared/index.ts';
import { ConnectionRows } from './connection-rows.ts';
import type { AccessTokenOptions, OAuthCredentials, RevokeOutcome } from './oauth.ts';

export interface CatalogEntry {
  kind: string;
  name: string;
  category: string;
  blurb: string;
  logo: string;
  authType: AuthType;
  actionCount: number;
  hasPack: boolean;
  connected: boolean;
  connectionStatus: string | null;
}

export interface ConnectionView {
  kind: string;
  status: string;
  accountLabel: string | null;
  /** What the grant allows, where the provider says (Shopify's access scopes, OAuth scopes). */
  grantedScopes: string[] | null;
  connectedAt: string;
  lastDiscoveredAt: string | null;
}

export const viewConnection = (c: ConnectionsTable): ConnectionView => ({
  kind: c.kind,
  status: c.status,
  accountLabel: c.account_label,
  grantedScopes: c.granted_scopes ? (JSON.parse(c.granted_scopes) as string[]) : null,
  connectedAt: c.connected_at,
  lastDiscoveredAt: c.last_discovered_at,
});

export const connectionAad = (orgId: string, connectionId: string) => `connection:${orgId}:${connectionId}`;

/** Something else that must react to a disconnect (e.g. disabling draft skills); returns a count. */
export type DisconnectListener = (orgId: string, kind: string) => Promise<number>;

/** A connection with its credentials opened. */
export interface OpenedConnection {
  connection: ConnectionsTable;
  credentials: Record<string, unknown>;
}

export interface IntegrationDeps {
  store: Store;
  vault: Vault;
  registry: ProviderRegistry;
  egress: EgressPolicy;
  allowPlaintextSql: boolean;
  connectTimeoutMs: number;
  endpoints: ProviderEndpoints;
  /** The OAuth flow and tokens (core/connections/oauth.ts); without it OAuth kinds cannot connect. */
  oauth?: OAuthPort;
}

/** What Integrations needs of the OAuth side. */
export interface OAuthPort {
  start(orgId: string, provider: ProviderModule): Promise<string>;
  accessToken(orgId: string, kind: string, opts?: AccessTokenOptions): Promise<string>;
  revoke(
    orgId: string,
    provider: ProviderModule,
    connection: ConnectionsTable,
    creds: OAuthCredentials,
  ): Promise<RevokeOutcome>;
}

export class Integrations {
  private disconnectListeners: DisconnectListener[] = [];
  /** One pooled, policy-checked dispatcher: keep-alive connections keep a call's overhead low. */
  private readonly dispatcher: Dispatcher;
  /**
   * An organization's connection statuses, trusted briefly: the catalog is read on every dashboard
   * load; changes made through this instance invalidate at once, so only a change made on another
   * instance can show this late.
   */
  private statuses = lruCache<string, Map<string, string>>('connectionStatuses');
  /**
   * Opened credentials by sealed value: a ciphertext never changes meaning (a reconnect or a key
   * rotation writes a new one), so the row is still read every call but AES-GCM and JSON.parse are
   * not redone. Callers get a shallow copy.
   */
  private openedCredentials = lruCache<string, Record<string, unknown>>('openedCredentials');
  private readonly rows: ConnectionRows;

  constructor(private readonly deps: IntegrationDeps) {
    this.rows = new ConnectionRows(deps.store);
    this.dispatcher = deps.egress.dispatcher({ connectTimeoutMs: deps.connectTimeoutMs });
  }

  onDisconnect(listener: DisconnectListener): void {
    this.disconnectListeners.push(listener);
  }

  /** Context handed to provider functions: the network policy and limits, nothing else. */
  providerContext(): ProviderContext {
    const { egress } = this.deps;
    return {
      endpoints: this.deps.endpoints,
      resolveHost: (host) => egress.resolve(host),
      dispatcher: this.dispatcher,
      allowPlaintextSql: this.deps.allowPlaintextSql,
      timeoutMs: this.deps.connectTimeoutMs,
    };
  }

  /**
   * The context for work on one connection. OAuth and self-renewing providers also get
   * `accessToken()`: the stored token while fresh, else one renewal per connection at a time
   * (across instances); a `forceRefresh` after a 401 replaces the token this context handed out last.
   */
  contextFor(
    orgId: string,
    connection: ConnectionsTable,
    credentials?: Record<string, unknown>,
  ): ProviderContext {
    const base = this.providerContext();
    const oauth = this.deps.oauth;
    const auth = this.provider(connection.kind).auth;
    if (!oauth || (auth.type !== 'oauth2' && !auth.renew)) return base;
    // Credentials the caller already opened spare a store read while their token is fresh.
    let known = credentials as OAuthCredentials | undefined;
    let last: string | undefined;
    base.accessToken = async (opts = {}) => {
      if (opts.forceRefresh) known = undefined;
      last = await oauth.accessToken(orgId, connection.kind, {
        forceRefresh: opts.forceRefresh,
        stale: last,
        known,
        context: this.providerContext(),
      });
      return last;
    };
    return base;
  }

  async catalog(orgId: string): Promise<CatalogEntry[]> {
    const statuses = await this.statusesOf(orgId);
    return this.deps.registry.list().map((p) => {
      const status = statuses.get(p.kind) ?? null;
      return {
        kind: p.kind,
        name: p.name,
        category: p.category,
        blurb: p.blurb,
        logo: p.logo,
        authType: p.auth.type,
        actionCount: p.actions.length,
        hasPack: Boolean(p.pack),
        connected: status === 'connected',
        connectionStatus: status,
      };
    });
  }

  private async statusesOf(orgId: string): Promise<Map<string, string>> {
    const hit = this.statuses.get(orgId);
    if (hit) return hit;
    const byKind = new Map((await listConnections(this.deps.store, orgId)).map((c) => [c.kind, c.status]));
    this.statuses.set(orgId, byKind);
    return byKind;
  }

  /** Forget cached statuses after a change to an organization's connections. */
  invalidate(orgId: string): void {
    this.statuses.delete(orgId);
  }

  async list(orgId: string): Promise<ConnectionView[]> {
    return (await listConnections(this.deps.store, orgId)).map(viewConnection);
  }

  /** The provider of a kind, refusing reserved and unknown kinds. */
  provider(kind: string): ProviderModule {
    return this.deps.registry.get(kind);
  }

  /** POST /integrations/{kind}/connect: an OAuth consent URL, or credentials verified live and stored. */
  async connect(
    orgId: string,
    kind: string,
    credentials: unknown,
  ): Promise<{ oauthUrl: string } | { status: 'connected'; accountLabel: string }> {
    const provider = this.provider(kind);
    if (provider.auth.type !== 'oauth2') return this.connectWithCredentials(orgId, kind, credentials);
    if (credentials !== undefined) {
      throw new AppError('validation_error', `${kind} connects through OAuth and takes no credentials`, {
        errors: [{ field: 'credentials', message: 'is not allowed for OAuth providers' }],
      });
    }
    if (!this.deps.oauth) throw new AppError('unavailable', 'OAuth is not available on this server');
    return { oauthUrl: await this.deps.oauth.start(orgId, provider) };
  }

  /** Stores the tokens of a finished OAuth flow, replacing any earlier connection of the kind atomically. */
  async saveOAuthConnection(
    orgId: string,
    kind: string,
    credentials: OAuthCredentials,
    accountLabel: string,
  ): Promise<void> {
    const grantedScopes = credentials.scope ? credentials.scope.split(/\s+/).filter(Boolean) : null;
    await upsertConnection(
      this.deps.store,
      orgId,
      kind,
      { status: 'connected', accountLabel, grantedScopes },
      (id) => this.deps.vault.encryptJson(credentials, connectionAad(orgId, id)),
    );
    this.invalidate(orgId);
  }

  /**
   * Verifies credentials live and only then stores them; a rejected attempt leaves any earlier
   * connection exactly as it was.
   */
  async connectWithCredentials(
    orgId: string,
    kind: string,
    credentials: unknown,
  ): Promise<{ status: 'connected'; accountLabel: string }> {
    const provider = this.provider(kind);
    if (provider.auth.type === 'oauth2' || !provider.verify || !provider.auth.credentials) {
      throw new AppError('validation_error', `${kind} does not take credentials`);
    }
    if (credentials === undefined || credentials === null || typeof credentials !== 'object') {
      throw new AppError('validation_error', 'send { "credentials": { … } }', {
        errors: [{ field: 'credentials', message: 'is required' }],
      });
    }
    const creds = validateOrThrow<Record<string, unknown>>(
      provider.auth.credentials,
      credentials,
      'credentials',
      'the credentials',
    );
    const verified = await this.verify(provider, creds);
    const stored = verified.credentials ?? creds;
    await upsertConnection(
      this.deps.store,
      orgId,
      kind,
      { status: 'connected', accountLabel: verified.accountLabel, grantedScopes: verified.grantedScopes },
      (id) => this.deps.vault.encryptJson(stored, connectionAad(orgId, id)),
    );
    this.invalidate(orgId);
    return { status: 'connected', accountLabel: verified.accountLabel };
  }

  private async verify(provider: ProviderModule, creds: Record<string, unknown>) {
    try {
      return await provider.verify!(creds, this.providerContext());
    } catch (e) {
      if (e instanceof AppError) throw e;
      if (e instanceof EgressError) throw new AppError('credentials_rejected', e.message);
      // Providers turn every credential problem into an AppError; anything else is this server's own
      // fault (a missing setting, a bug), not the caller's credentials: a 500 the request id traces.
      throw e;
    }
  }

  /** `revocation` says how revoking at the provider went (for the log; never part of the answer). */
  async disconnect(
    orgId: string,
    kind: string,
  ): Promise<{ disconnected: true; disabledSkills: number; revocation?: RevokeOutcome }> {
    const provider = this.provider(kind);
    // Read before deleting: revoking needs the tokens, and happens after the delete succeeded.
    const oauth =
      provider.auth.type === 'oauth2' && this.deps.oauth
        ? await this.credentials(orgId, kind).catch(() => undefined)
        : undefined;
    const removed = await deleteConnection(this.deps.store, orgId, kind);
    this.invalidate(orgId);
    if (!removed)
      throw new AppError(
        'integration_not_connected',
        `${kind} is not connected, so there is nothing to disconnect`,
      );
    let disabledSkills = 0;
    for (const listener of this.disconnectListeners) disabledSkills += await listener(orgId, kind);
    if (!oauth) return { disconnected: true, disabledSkills };
    // Best effort: a failed revoke still disconnects; the caller logs the outcome.
    const revocation = await this.deps.oauth!.revoke(
      orgId,
      provider,
      oauth.connection,
      oauth.credentials as unknown as OAuthCredentials,
    );
    return { disconnected: true, disabledSkills, revocation };
  }

  /**
   * The decrypted credentials of a connection, for discovery and operator actions. Read every
   * time, so a reconnect or disconnect on any instance shows at once.
   */
  async credentials(orgId: string, kind: string): Promise<OpenedConnection> {
    return this.opened(orgId, kind, await getConnection(this.deps.store, orgId, kind));
  }

  /**
   * The same for an invocation, from a row at most a second old (ConnectionRows): a reconnect,
   * disconnect or status change is seen at once on this instance and within milliseconds on others.
   */
  async invocationCredentials(orgId: string, kind: string): Promise<OpenedConnection> {
    return this.opened(orgId, kind, await this.rows.get(orgId, kind));
  }

  private opened(orgId: string, kind: string, connection: ConnectionsTable | undefined): OpenedConnection {
    if (!connection)
      throw new AppError(
        'integration_not_connected',
        `${kind} is not connected; connect it first with POST /api/v1/integrations/${kind}/connect`,
      );
    // The AAD binds the ciphertext to its organization and connection: it is part of the key.
    const aad = connectionAad(orgId, connection.id);
    const cacheKey = `${aad}\u0000${connection.secret}`;
    let credentials = this.openedCredentials.get(cacheKey);
    if (!credentials) {
      credentials = this.deps.vault.decryptJson<Record<string, unknown>>(connection.secret, aad);
      this.openedCredentials.set(cacheKey, credentials);
    }
    return { connection, credentials: { ...credentials } };
  }

  /**
   * Runs provider work on the organization's connection of `kind` (e.g. describing a spreadsheet an
   * operator pasted): the credentials are opened here and reach only the provider through `ctx`.
   */
  async withConnection<T>(
    orgId: string,
    kind: string,
    work: (ctx: ProviderContext) => Promise<T>,
  ): Promise<T> {
    const { connection, credentials } = await this.credentials(orgId, kind);
    return work(this.contextFor(orgId, connection, credentials));
  }

  /** Stored credentials stopped working at run time: operators see it, and calls stop until a reconnect. */
  async markNeedsReconnect(orgId: string, connectionId: string): Promise<void> {
    await setConnectionStatus(this.deps.store, orgId, connectionId, 'needs_reconnect');
    this.invalidate(orgId);
  }

  async connection(orgId: string, kind: string): Promise<ConnectionsTable | undefined> {
    return getConnection(this.deps.store, orgId, kind);
  }

  private sqlProvider(kind: string): ProviderModule & { sql: NonNullable<ProviderModule['sql']> } {
    const provider = this.provider(kind);
    if (!provider.sql) throw new AppError('not_found', `${kind} is not a SQL provider`);
    return provider as ProviderModule & { sql: NonNullable<ProviderModule['sql']> };
  }

  /** Runs the ordered connection checks; stores nothing. */
  async sqlTest(kind: string, credentials: unknown): Promise<{ ok: boolean; checks: SqlCheck[] }> {
    const provider = this.sqlProvider(kind);
    const creds = validateOrThrow<Record<string, unknown>>(
      provider.auth.credentials!,
      credentials,
      'credentials',
      'the credentials',
    );
    const checks = await provider.sql.test(creds, this.providerContext());
    const advisory = new Set(['read_only', 'latency']);
    return { ok: checks.every((c) => c.ok || advisory.has(c.name)), checks };
  }

  /**
   * Least-privilege scripts (Flowyte's shape): `readOnly` and `write` as { role, sql }, with the
   * caller's `password` when given, else a generated one returned once as `generatedPassword`.
   */
  sqlScripts(kind: string, database: string, tables: string[], password?: string) {
    const made = this.sqlProvider(kind).sql.scripts({ database, tables });
    // The generated password is base64url inside a plain quoted literal, and a given one may hold no
    // quote, backslash or control character (the route's schema), so a substitution renders the same
    // literal either engine would.
    const put = (sql: string) => (password === undefined ? sql : sql.split(made.password).join(password));
    return {
      role: made.role,
      readOnly: { role: made.role, sql: put(made.readOnly) },
      write: made.write === null ? null : { role: made.role, tables, sql: put(made.write) },
      ...(password === undefined ? { generatedPassword: made.password } : {}),
    };
  }
}
