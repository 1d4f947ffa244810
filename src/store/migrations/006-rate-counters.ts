import type { Kysely } from 'kysely';

/** Requests per organization per one-minute window, summed over every instance on a shared store. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('rate_counters')
    .addColumn('org_id', 'text', (c) => c.notNull())
    // Minutes since the epoch: every instance names the same window the same way.
    .addColumn('minute', 'bigint', (c) => c.notNull())
    .addColumn('count', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('rate_counters_pk', ['org_id', 'minute'])
    .execute();
}
