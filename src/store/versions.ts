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

/**
 * Records a version and makes it live in one transaction: a publish cut half-way (store gone,
 * connection reset) leaves neither, so a retry publishes once, not twice.
 */
export async function insertLiveVersion(store: Store, row: AgentVersionsTable): Promise<void> {
  await store.db.transaction().execute(async (trx) => {
    await trx.insertInto('agent_versions').values(row).execute();
    await trx
      .updateTable('agents')
      .set({ live_version_id: row.id, updated_at: row.published_at })
      .where('org_id', '=', row.org_id)
      .where('id', '=', row.agent_id)
      .execute();
  });
}
