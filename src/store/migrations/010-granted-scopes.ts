import type { Kysely } from 'kysely';

/** What a connection's grant allows (JSON array; null: not known), shown in GET /integrations. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('connections').addColumn('granted_scopes', 'text').execute();
}
