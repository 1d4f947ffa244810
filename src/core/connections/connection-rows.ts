/**
 * The connection row an invocation needs (status, sealed credentials, scoping), cached so a
 * provider call costs no store read: on the SQL path that read was a twelfth of the server's CPU.
 * Every write to a connection row tells the store's change feed (store/connections.ts), which drops
 * the organization's rows (FeedCache); an entry is trusted for a second at most, as the live
 * version is (live-pointers.ts).
 *
 * Only the invocation path reads through here; token refreshes and connect/disconnect read the
 * store directly, since they compare and swap what they read.
 */
import { connectionsTopic, getConnection } from '../../store/connections.ts';
import type { Store } from '../../store/db.ts';
import type { ConnectionsTable } from '../../store/schema.ts';
import { FeedCache } from '../shared/index.ts';

export class ConnectionRows {
  /** Per organization, its rows by kind (absent kinds too: "not connected" is an answer). */
  private readonly rows: FeedCache<ConnectionsTable | undefined>;

  constructor(private readonly store: Store) {
    this.rows = new FeedCache(store, 'connectionRows', connectionsTopic(''));
  }

  /** The organization's connection of `kind`, at most a second old; never to be modified. */
  get(orgId: string, kind: string): Promise<ConnectionsTable | undefined> {
    return this.rows.get(orgId, kind, () => getConnection(this.store, orgId, kind));
  }
}
