/**
 * Token bookkeeping of OAuth connections: the cross-instance refresh lock, and compare-and-swap
 * writes of the sealed credentials so a refresh never overwrites a reconnect that happened meanwhile.
 */
import type { Kysely } from 'kysely';
import { connectionsChanged } from './connections.ts';
import type { Store } from './db.ts';
import type { Database } from './schema.ts';

export interface OAuthRefreshLocksTable {
  connection_id: string;
  /** The instance holding the lock (random per process). */
  owner: string;
  /** ISO time after which the lock is free again, so a crashed holder cannot block refreshes. */
  locked_until: string;
}

type LockTables = {
  oauth_refresh_locks: OAuthRefreshLocksTable;
};

const db = (store: Store): Kysely<Database & LockTables> => store.db.withTables<LockTables>();

/**
 * Takes the refresh lock of a connection unless another owner holds an unexpired one. One
 * statement (INSERT … ON CONFLICT DO UPDATE … WHERE) on both engines, so two instances can never
 * both succeed: PostgreSQL re-checks the WHERE on the locked row, SQLite serializes writers.
 */
export async function claimRefreshLock(
  store: Store,
  connectionId: string,
  owner: string,
  now: string,
  until: string,
): Promise<boolean> {
  const res = await db(store)
    .insertInto('oauth_refresh_locks')
    .values({ connection_id: connectionId, owner, locked_until: until })
    .onConflict((oc) =>
      oc
        .column('connection_id')
        .doUpdateSet({ owner, locked_until: until })
        .where('oauth_refresh_locks.locked_until', '<', now),
    )
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0n) === 1;
}

export async function releaseRefreshLock(store: Store, connectionId: string, owner: string): Promise<void> {
  await db(store)
    .deleteFrom('oauth_refresh_locks')
    .where('connection_id', '=', connectionId)
    .where('owner', '=', owner)
    .execute();
}

/** Replaces the sealed credentials only if they are still `expected`; false when someone changed them first. */
export async function swapConnectionSecret(
  store: Store,
  orgId: string,
  connectionId: string,
  expected: string,
  next: string,
  now: string,
): Promise<boolean> {
  const res = await store.db
    .updateTable('connections')
    .set({ secret: next, updated_at: now })
    .where('org_id', '=', orgId)
    .where('id', '=', connectionId)
    .where('secret', '=', expected)
    .executeTakeFirst();
  await connectionsChanged(store, orgId);
  return Number(res.numUpdatedRows) === 1;
}

/** The grant behind these credentials is gone: mark the connection, unless it was reconnected meanwhile. */
export async function markNeedsReconnect(
  store: Store,
  orgId: string,
  connectionId: string,
  expected: string,
  now: string,
): Promise<void> {
  await store.db
    .updateTable('connections')
    .set({ status: 'needs_reconnect', updated_at: now })
    .where('org_id', '=', orgId)
    .where('id', '=', connectionId)
    .where('secret', '=', expected)
    .execute();
  await connectionsChanged(store, orgId);
}
