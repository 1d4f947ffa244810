/**
 * Values a hot path would otherwise read from the store on every call, cached per group (an
 * agent, an organization) and dropped when the store's change feed names the group: at once on
 * this instance, within milliseconds on every instance sharing a PostgreSQL store. An entry is
 * trusted only while the feed is live, and for at most `maxAgeMs` whatever it heard, so a change no
 * notification told of (another process on the embedded store, a lost notification) is seen within
 * that time. A read that raced a change is not cached.
 */
import { type CacheName, lruCache } from '../../cache-limits.ts';
import type { Store } from '../../store/db.ts';

interface Entry<V> {
  value: V;
  at: number;
}

export class FeedCache<V> {
  private readonly cache;
  /** Bumped on every change heard, so a read that raced a change is not cached. */
  private generation = 0;

  constructor(
    private readonly store: Store,
    cacheName: CacheName,
    /** The feed topic of a group is this prefix followed by the group. */
    private readonly prefix: string,
    private readonly maxAgeMs = 1_000,
  ) {
    this.cache = lruCache<string, Map<string, Entry<V>>>(cacheName);
    store.changes.subscribe((topic) => {
      if (topic === null) {
        this.generation++;
        this.cache.clear();
      } else if (topic.startsWith(prefix)) {
        this.generation++;
        this.cache.delete(topic.slice(prefix.length));
      }
    });
  }

  /** The value of `key` in `group`: cached, or `load()`'s (a load that throws caches nothing). */
  async get(group: string, key: string, load: () => Promise<V>): Promise<V> {
    const now = Date.now();
    const hit = this.cache.get(group)?.get(key);
    if (hit && now - hit.at <= this.maxAgeMs && this.store.changes.live) return hit.value;
    const generation = this.generation;
    const value = await load();
    if (this.store.changes.live && generation === this.generation) {
      let entries = this.cache.get(group);
      if (!entries) {
        entries = new Map();
        this.cache.set(group, entries);
      }
      entries.set(key, { value, at: now });
    }
    return value;
  }

  /** Tells every instance (this one at once) that `group` changed. Never throws. */
  async changed(group: string): Promise<void> {
    await this.store.changes.notify(`${this.prefix}${group}`).catch(() => {});
  }
}
