import type { Store } from './db.ts';
import type { AgentVersionsTable } from './schema.ts';

export function getVersion(
  store: Store,
  orgId: string,
  agentId: string,
  id: string,
): Promise<AgentVersionsTable | undefined> {
  return store.db
    .selectFrom('agent_versions')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('agent_id', '=', agentId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Versions newest first, without their snapshots. */
export function listVersions(
  store: Store,
  orgId: string,
  agentId: string,
  before: number | null,
  limit: number,
) {
  let q = store.db
    .selectFrom('agent_versions')
    .select(['id', 'org_id', 'agent_id', 'number', 'note', 'skill_count', 'published_at'])
    .where('org_id', '=', orgId)
    .where('agent_id', '=', agentId)
    .orderBy('number', 'desc')
    .limit(limit + 1);
  if (before !== null) q = q.where('number', '<', before);
  return q.execute();
}

export async function latestVersionNumber(store: Store, agentId: string): Promise<number> {
  const row = await store.db
    .selectFrom('agent_versions')
    .select((eb) => eb.fn.max('number').as('n'))
    .where('agent_id', '=', agentId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function insertVersion(store: Store, row: AgentVersionsTable): Promise<void> {
  await store.db.insertInto('agent_versions').values(row).execute();
}
