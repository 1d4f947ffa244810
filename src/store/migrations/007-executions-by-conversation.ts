import type { Kysely } from 'kysely';

/** Executions of one conversation, newest first: what support reads when a call went wrong. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('executions_conversation')
    .on('executions')
    .columns(['agent_id', 'conversation_id', 'id'])
    .execute();
}
