/**
 * Named leases shared by every instance on one store. A lease is one row: taking it is a single
 * INSERT … ON CONFLICT DO UPDATE … WHERE expired, so two instances can never both hold it
 * (PostgreSQL re-checks the WHERE on the locked row, SQLite serializes writers), and a holder that
 * crashed blocks nobody past its expiry.
 */
import type { Kysely } from 'kysely';
import type { Store } from './db.ts';
import type { Database } from './schema.ts';

// A type alias, not an interface: Kysely's withTables wants an indexable shape.
type LeaseTables = {
  leases: {
    name: string;
    /** The holder (random per process and call). */
    owner: string;
    /** ISO time after which the lease is free again. */
    expires_at: string;
  };
};

const db = (store: Store): Kysely<Database & LeaseTables> => store.db.withTables<LeaseTables>();

/** Takes the lease unless someone else holds an unexpired one; true when it is now `owner`'s. */
export async function claimLease(
  store: Store,
  name: string,
  owner: string,
  now: string,
  until: string,
): Promise<boolean> {
  const res = await db(store)
    .insertInto('leases')
    .values({ name, owner, expires_at: until })
    .onConflict((oc) =>
      oc.column('name').doUpdateSet({ owner, expires_at: until }).where('leases.expires_at', '<', now),
    )
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0n) === 1;
}

export async function releaseLease(store: Store, name: string, owner: string): Promise<void> {
  await db(store).deleteFrom('leases').where('name', '=', name).where('owner', '=', owner).execute();
}

/** Drops leases whose holders died without releasing them; returns how many. */
export async function purgeExpiredLeases(store: Store, now: string): Promise<number> {
  const res = await db(store).deleteFrom('leases').where('expires_at', '<', now).executeTakeFirst();
  return Number(res.numDeletedRows);
}
