import type { Kysely } from 'kysely';

/**
 * Short-lived named leases shared by every instance on one store: today the one-call-at-a-time
 * rule of non-parallelizable tools within a conversation.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('leases_expires').on('leases').column('expires_at').execute();
}
