import type { Kysely } from 'kysely';

/**
 * Flowyte's documented fields (issue 10): an agent's profile (persona, languages, greeting, enabled
 * channels), a skill's channels and error handling, and the agent profile frozen with each version.
 * Each is one JSON text column, null until set, so older rows read with the defaults.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('agents').addColumn('profile', 'text').execute();
  await db.schema.alterTable('skills').addColumn('profile', 'text').execute();
  await db.schema.alterTable('agent_versions').addColumn('agent_profile', 'text').execute();
}
