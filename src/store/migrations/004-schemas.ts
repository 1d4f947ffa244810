import type { Kysely } from 'kysely';

/** The last discovered schema of each connection (deleted with it). */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('discovered_schemas')
    .addColumn('connection_id', 'text', (c) =>
      c.primaryKey().references('connections.id').onDelete('cascade'),
    )
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('schema', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('discovered_at', 'text', (c) => c.notNull())
    .execute();
}
