/**
 * Every in-process cache, with its bound and time to live in one table: each is an `lru-cache`
 * (least recently used entries go first when full, entries past their TTL are never served).
 */
import { LRUCache } from 'lru-cache';

const MINUTE = 60_000;

export const CACHE_LIMITS = {
  /** API key rows by hash: a revoked or expired key is refused by every instance within the TTL. */
  apiKeyRows: { max: 10_000, ttl: 5_000 },
  /** HMAC of recently presented tokens (the token is in memory while its request is served anyway). */
  apiKeyHashes: { max: 10_000 },
  /** Connection rows per organization for invocations; each entry is trusted for at most 1 s (connection-rows.ts). */
  connectionRows: { max: 10_000 },
  /** Connection status per kind, per organization, for the catalog. */
  connectionStatuses: { max: 10_000, ttl: 1_000 },
  /** Live version pointer per agent; each entry is trusted for at most 1 s (live-pointers.ts). */
  livePointers: { max: 10_000 },
  /** Tool tables per published version (immutable: no TTL). */
  toolTables: { max: 1_000 },
  /** Opened connection credentials per ciphertext (a reconnect or key rotation writes a new one). */
  openedCredentials: { max: 5_000 },
  /** The binder's verdict on a bound skill under one scoping (skill-review.ts). */
  reviewVerdicts: { max: 10_000 },
  /** Decrypted webhook signing secrets per ciphertext. */
  webhookSecrets: { max: 5_000 },
  /** Prepared SQLite statements by SQL text. */
  sqliteStatements: { max: 1_000 },
  /** MySQL/MariaDB statement texts with their time bound. */
  mysqlTimedStatements: { max: 5_000 },
  /** PII class per column name and type. */
  piiByName: { max: 50_000 },
  /** Parsed business_hours settings by text. */
  businessHours: { max: 500 },
  /** Time zones with a cache of offsets, and offsets per quarter hour within each. */
  zoneOffsetZones: { max: 100 },
  zoneOffsetBuckets: { max: 20_000 },
  /** Zone abbreviations ("EDT") per zone and offset. */
  zoneAbbreviations: { max: 1_000 },
  /** A Google calendar's time zone. */
  googleCalendarZones: { max: 1_000, ttl: 10 * MINUTE },
  /** A spreadsheet's tabs and titles. */
  googleSpreadsheets: { max: 1_000, ttl: 5 * MINUTE },
} as const satisfies Record<string, { max: number; ttl?: number }>;

export type CacheName = keyof typeof CACHE_LIMITS;

/** A new cache with the bound and TTL declared for `name`. */
export function lruCache<K extends {}, V extends {}>(name: CacheName): LRUCache<K, V> {
  return new LRUCache<K, V>({ ...CACHE_LIMITS[name] });
}

/** The cached value, or `load()`'s, cached (a failed load caches nothing). */
export async function cachedOrLoad<V extends {}>(
  cache: LRUCache<string, V>,
  key: string,
  load: () => Promise<V>,
): Promise<V> {
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const value = await load();
  cache.set(key, value);
  return value;
}
