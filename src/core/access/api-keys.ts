/** Organizations' API keys: minting, listing, revoking, and the cached lookup every request uses. */
import { randomBytes } from 'node:crypto';
import { lruCache } from '../../cache-limits.ts';
import { AppError } from '../../errors.ts';
import { newId, nowIso } from '../../ids.ts';
import { generateApiKey, hashApiKey, isScope, SCOPES, type Scope } from '../../security/api-keys.ts';
import type { Vault } from '../../security/vault.ts';
import {
  findActiveApiKey,
  findApiKeyByHash,
  insertApiKey,
  listApiKeys,
  listApiKeysPage,
  listRevokedSince,
  revokeApiKey,
  touchApiKey,
} from '../../store/api-keys.ts';
import type { Store } from '../../store/db.ts';
import { findOrCreateOrg } from '../../store/orgs.ts';
import type { ApiKeysTable } from '../../store/schema.ts';
import { ensureSetting } from '../../store/settings.ts';

export interface Principal {
  type: 'api_key';
  orgId: string;
  keyId: string;
  scopes: ReadonlySet<string>;
}

export interface ApiKeyView {
  keyId: string;
  orgId: string;
  prefix: string;
  last4: string;
  scopes: string[];
  label: string | null;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

export const viewApiKey = (r: ApiKeysTable): ApiKeyView => ({
  keyId: r.id,
  orgId: r.org_id,
  prefix: r.prefix,
  last4: r.last4,
  scopes: JSON.parse(r.scopes),
  label: r.label,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
  lastUsedAt: r.last_used_at,
});

interface CacheEntry {
  row: ApiKeysTable;
  scopes: ReadonlySet<string>;
}

/** How long a key lookup is trusted before the store is asked again (bounds cross-instance revocation lag). */
/** last_used_at is written at most this often per key: a hot key must not cost a write per request. */
const TOUCH_EVERY_MS = 60_000;
/**
 * A revocation made elsewhere (the CLI, another instance) reaches this instance's cache within
 * this: it asks for keys revoked lately, looking back far enough to absorb clocks that disagree.
 */
export const REVOCATION_POLL_MS = 500;
const REVOCATION_LOOKBACK_MS = 60_000;

export class ApiKeys {
  private cache = lruCache<string, CacheEntry>('apiKeyRows');
  private hashes = lruCache<string, string>('apiKeyHashes');
  private touched = new Map<string, number>();
  private watcher: NodeJS.Timeout | null = null;
  private polling = false;

  private constructor(
    private readonly store: Store,
    private readonly secret: Buffer,
  ) {}

  static async open(store: Store, vault: Vault): Promise<ApiKeys> {
    const aad = 'setting:api_key_hash_secret';
    const sealed = await ensureSetting(
      store,
      'api_key_hash_secret',
      vault.encrypt(randomBytes(32).toString('base64'), aad),
    );
    return new ApiKeys(store, Buffer.from(vault.decrypt(sealed, aad), 'base64'));
  }

  async create(input: {
    orgName: string;
    scopes: string[];
    expiresInMs?: number | null;
    label?: string | null;
  }) {
    const bad = input.scopes.filter((s) => !isScope(s));
    if (bad.length || input.scopes.length === 0) {
      throw new AppError(
        'validation_error',
        `unknown scope(s): ${bad.join(', ') || '(none given)'}; the scopes are ${SCOPES.join(', ')}`,
      );
    }
    if (!input.orgName.trim()) throw new AppError('validation_error', 'the organization name is empty');
    const org = await findOrCreateOrg(this.store, input.orgName);
    return this.createForOrg(org.id, input.scopes as Scope[], input.expiresInMs ?? null, input.label ?? null);
  }

  async createForOrg(orgId: string, scopes: Scope[], expiresInMs: number | null, label: string | null) {
    const { key, prefix, last4 } = generateApiKey();
    const now = Date.now();
    const row: ApiKeysTable = {
      id: newId('key'),
      org_id: orgId,
      key_hash: hashApiKey(key, this.secret),
      prefix,
      last4,
      scopes: JSON.stringify([...new Set(scopes)]),
      label,
      created_at: new Date(now).toISOString(),
      expires_at: expiresInMs ? new Date(now + expiresInMs).toISOString() : null,
      revoked_at: null,
      last_used_at: null,
    };
    await insertApiKey(this.store, row);
    return { orgId, keyId: row.id, key, view: viewApiKey(row) };
  }

  async list(orgId?: string): Promise<ApiKeyView[]> {
    return (await listApiKeys(this.store, orgId)).map(viewApiKey);
  }

  /** A page of the organization's keys: `after` is the last key id of the previous page. */
  async page(
    orgId: string,
    after: string | null,
    limit: number,
  ): Promise<{ items: ApiKeyView[]; last: string | null; more: boolean }> {
    const rows = await listApiKeysPage(this.store, orgId, after, limit);
    const items = rows.slice(0, limit).map(viewApiKey);
    return { items, last: items.at(-1)?.keyId ?? null, more: rows.length > limit };
  }

  /**
   * Revokes a key on behalf of a principal that may manage only keys within its own scopes (SPEC
   * §1): otherwise a keys:write key could cut off a more powerful one. Refused as not found when
   * there is no such active key, and with insufficient_scope naming what it lacks otherwise.
   */
  async revokeWithin(keyId: string, orgId: string, holds: (scope: string) => boolean): Promise<ApiKeyView> {
    const row = await findActiveApiKey(this.store, orgId, keyId);
    if (!row)
      throw new AppError(
        'not_found',
        `there is no active key ${keyId} in this organization; GET /api/v1/keys lists them`,
      );
    const beyond = (JSON.parse(row.scopes) as string[]).filter((scope) => !holds(scope));
    if (beyond.length) {
      throw new AppError(
        'insufficient_scope',
        `this key holds ${beyond.join(', ')}, which you do not: only a holder of those may revoke it`,
        {
          extensions: { scopes: beyond },
        },
      );
    }
    return this.revoke(keyId, orgId);
  }

  async revoke(keyId: string, orgId?: string): Promise<ApiKeyView> {
    const row = await revokeApiKey(this.store, keyId, nowIso(), orgId);
    if (!row)
      throw new AppError(
        'not_found',
        `there is no active key ${keyId} in this organization; GET /api/v1/keys lists them`,
      );
    this.cache.delete(row.key_hash);
    return viewApiKey(row);
  }

  /** Starts following revocations made by other processes (the server does; the CLI need not). */
  watchRevocations(everyMs = REVOCATION_POLL_MS): void {
    if (this.watcher) return;
    this.watcher = setInterval(() => void this.pollRevocations(), everyMs);
    this.watcher.unref();
  }

  stopWatching(): void {
    if (this.watcher) clearInterval(this.watcher);
    this.watcher = null;
  }

  /** Marks cached keys that were revoked lately as revoked; one indexed read, skipped while the last runs. */
  async pollRevocations(): Promise<void> {
    if (this.polling || this.cache.size === 0) return;
    this.polling = true;
    try {
      const since = new Date(Date.now() - REVOCATION_LOOKBACK_MS).toISOString();
      for (const { key_hash, revoked_at } of await listRevokedSince(this.store, since)) {
        const entry = this.cache.get(key_hash);
        if (entry && !entry.row.revoked_at) entry.row = { ...entry.row, revoked_at };
      }
    } catch {
      // The store is unreachable: the cache TTL still bounds how long a revoked key is honoured.
    } finally {
      this.polling = false;
    }
  }

  /** Resolves a bearer token to a principal, or null for any unknown, revoked or expired key. */
  async authenticate(token: string): Promise<Principal | null> {
    return this.resolve(token);
  }

  /**
   * The same, answered synchronously when the key is in the cache (the common case), so the
   * request hook needs no promise; a miss returns the store lookup's promise.
   */
  resolve(token: string): Principal | null | Promise<Principal | null> {
    const hash = this.hashOf(token);
    const now = Date.now();
    const entry = this.cache.get(hash);
    if (entry) return this.admit(entry, now);
    return findApiKeyByHash(this.store, hash).then((row) => {
      if (!row) {
        this.cache.delete(hash);
        return null;
      }
      const fresh = { row, scopes: new Set<string>(JSON.parse(row.scopes)) };
      this.cache.set(hash, fresh);
      return this.admit(fresh, now);
    });
  }

  /**
   * The keyed hash of a presented token. Recently presented tokens keep theirs, so a busy key costs
   * a map lookup instead of an HMAC per request (the token already sits in this process's memory
   * while its requests are served; the store never sees it).
   */
  private hashOf(token: string): string {
    let hash = this.hashes.get(token);
    if (hash === undefined) {
      hash = hashApiKey(token, this.secret);
      this.hashes.set(token, hash);
    }
    return hash;
  }

  private admit({ row, scopes }: CacheEntry, now: number): Principal | null {
    if (row.revoked_at) return null;
    if (row.expires_at && Date.parse(row.expires_at) <= now) return null;
    this.touch(row.id, now);
    return { type: 'api_key', orgId: row.org_id, keyId: row.id, scopes };
  }

  private touch(keyId: string, now: number): void {
    const last = this.touched.get(keyId) ?? 0;
    if (now - last < TOUCH_EVERY_MS) return;
    this.touched.set(keyId, now);
    touchApiKey(this.store, keyId, new Date(now).toISOString()).catch(() => this.touched.delete(keyId));
  }
}
