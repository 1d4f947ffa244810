/**
 * The connection row an invocation needs (status, sealed credentials, scoping), cached so a
 * provider call costs no store read: on the SQL path that read was a twelfth of the server's CPU.
 * Every write to a connection row tells the store's change feed (store/connections.ts), which drops
 * the organization's entries here at once and, on a shared PostgreSQL store, on every instance
 * within milliseconds. An entry is trusted only while the feed is live, and for at most MAX_AGE_MS
 * whatever it heard, so a change no notification told of (another process on the embedded store,
 * a lost notification) is seen within a second, as the live version is (live-pointers.ts).
 *
 * Only the invocation path reads through here; token refreshes and connect/disconnect read the
 * store directly, since they compare and swap what they read.
 */
import { lruCache } from '../../cache-limits.ts';
import { connectionsTopic, getConnection } from '../../store/connections.ts';
import type { Store } from '../../store/db.ts';
import type { ConnectionsTable } from '../../store/schema.ts';

const MAX_AGE_MS = 1_000;
const TOPIC = connectionsTopic('');

interface Entry {
  row: ConnectionsTable | undefined;
  at: number;
}

export class ConnectionRows {
  /** Per organization, its rows by kind (absent kinds too: "not connected" is an answer). */
  private cache = lruCache<string, Map<string, Entry>>('connectionRows');
  /** Bumped on every change heard, so a read that raced a change is not cached. */
  private generation = 0;

  constructor(private readonly store: Store) {
    store.changes.subscribe((topic) => {
      if (topic === null) {
        this.generation++;
        this.cache.clear();
      } else if (topic.startsWith(TOPIC)) {
        this.generation++;
        this.cache.delete(topic.slice(TOPIC.length));
      }
    });
  }

  /** The organization's connection of `kind`, at most a second old; never to be modified. */
  async get(orgId: string, kind: string): Promise<ConnectionsTable | undefined> {
    const now = Date.now();
    const hit = this.cache.get(orgId)?.get(kind);
    if (hit && now - hit.at <= MAX_AGE_MS && this.store.changes.live) return hit.row;
    const generation = this.generation;
    const row = await getConnection(this.store, orgId, kind);
    if (this.store.changes.live && generation === this.generation) {
      let rows = this.cache.get(orgId);
      if (!rows) {
        rows = new Map();
        this.cache.set(orgId, rows);
      }
      rows.set(kind, { row, at: now });
    }
    return row;
  }
}
