/**
 * Warm connection pools for running bound skills, one per connection. A pool is created on first use
 * and keyed by the connection id AND a hash of its credentials, so a reconnect (new password, new
 * host) gets a fresh pool at once while the old one drains. Pools unused for a while are closed, and
 * the number of pools is bounded (least recently used closed first): a server serving many
 * organizations must not hold thousands of idle database sessions.
 */
import { createHash } from 'node:crypto';

export interface ClosablePool {
  close(): Promise<void>;
}

interface Entry<P> {
  hash: string;
  /** A copy of the credentials last seen for this pool (plaintext is in memory anyway, in the opened-credentials cache). */
  seen: Record<string, unknown>;
  pool: P;
  lastUsed: number;
}

/**
 * The same credentials as last time, told without hashing: the same object, or the same keys with
 * the very same scalar values (a fresh copy of unchanged credentials, the usual case on every call).
 * Anything nested falls back to the hash.
 */
function sameScalars(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  if (a === b) return true;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) {
    const v = a[key];
    if (v !== null && typeof v === 'object') return false;
    if (!Object.hasOwn(b, key) || b[key] !== v) return false;
  }
  return true;
}

export interface PoolRegistryOptions {
  maxPools: number;
  idleMs: number;
  sweepMs: number;
}

/** A stable hash of decrypted credentials: never stored, only compared. */
export function credentialsHash(credentials: Record<string, unknown>): string {
  const h = createHash('sha256');
  // Runs on every call: a flat walk is several times cheaper than JSON.stringify with a key list.
  for (const key of Object.keys(credentials).sort())
    h.update(`${key}\u0000${JSON.stringify(credentials[key]) ?? ''}\u0001`);
  return h.digest('base64url');
}

export class PoolRegistry<P extends ClosablePool> {
  private readonly entries = new Map<string, Entry<P>>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly opts: PoolRegistryOptions) {}

  /** The pool of a connection for these credentials, creating it (synchronously) when missing or stale. */
  get(connectionId: string, credentials: Record<string, unknown>, create: () => P): P {
    const now = Date.now();
    const entry = this.entries.get(connectionId);
    if (entry && sameScalars(entry.seen, credentials)) {
      entry.lastUsed = now;
      return entry.pool;
    }
    const hash = credentialsHash(credentials);
    if (entry && entry.hash === hash) {
      entry.seen = { ...credentials };
      entry.lastUsed = now;
      return entry.pool;
    }
    // Credentials changed (a reconnect): the old pool's sessions belong to the old credentials.
    if (entry) this.drop(connectionId);
    const pool = create();
    this.entries.set(connectionId, { hash, seen: { ...credentials }, pool, lastUsed: now });
    if (this.entries.size > this.opts.maxPools) this.evictLeastRecent();
    this.startSweeping();
    return pool;
  }

  /** Closes a connection's pool, e.g. after its credentials were refused. */
  drop(connectionId: string): void {
    const entry = this.entries.get(connectionId);
    if (!entry) return;
    this.entries.delete(connectionId);
    entry.pool.close().catch(() => {});
  }

  get size(): number {
    return this.entries.size;
  }

  /** The open pools (for /metrics). */
  pools(): P[] {
    return [...this.entries.values()].map((e) => e.pool);
  }

  has(connectionId: string): boolean {
    return this.entries.has(connectionId);
  }

  async closeAll(): Promise<void> {
    const pools = [...this.entries.values()].map((e) => e.pool);
    this.entries.clear();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await Promise.all(pools.map((p) => p.close().catch(() => {})));
  }

  /** Closes pools unused for longer than idleMs; returns how many. */
  sweep(now = Date.now()): number {
    let closed = 0;
    for (const [id, entry] of this.entries) {
      if (now - entry.lastUsed >= this.opts.idleMs) {
        this.drop(id);
        closed++;
      }
    }
    if (this.entries.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
    return closed;
  }

  private evictLeastRecent(): void {
    let oldest: string | null = null;
    let at = Number.POSITIVE_INFINITY;
    for (const [id, entry] of this.entries) {
      if (entry.lastUsed < at) {
        at = entry.lastUsed;
        oldest = id;
      }
    }
    if (oldest) this.drop(oldest);
  }

  private startSweeping(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.sweep(), this.opts.sweepMs);
    // The sweeper must never keep a process alive on its own.
    this.timer.unref();
  }
}
