import type { Kysely } from 'kysely';

/**
 * Skills whose binding the operator's scoping later blocked (`review`: JSON of why, null when
 * fine), the binding body each was saved from (so it can be checked again), and the single-use
 * confirmation tokens of gated MCP calls that only the host may redeem.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('skills').addColumn('binding', 'text').execute();
  await db.schema.alterTable('skills').addColumn('review', 'text').execute();

  await db.schema
    .createTable('confirmations')
    // SHA-256 of the token: a copy of the store redeems nothing.
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('agent_id', 'text', (c) => c.notNull())
    .addColumn('skill_name', 'text', (c) => c.notNull())
    .addColumn('version_id', 'text')
    .addColumn('conversation_id', 'text')
    // SHA-256 of the canonical JSON of the arguments the call was made with.
    .addColumn('args_hash', 'text', (c) => c.notNull())
    .addColumn('needs', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();
  await db.schema.createIndex('confirmations_expiry').on('confirmations').columns(['expires_at']).execute();
}
