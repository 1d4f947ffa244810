import type { Store } from './db.ts';
import type { AgentsTable } from './schema.ts';

export function getAgent(store: Store, orgId: string, id: string): Promise<AgentsTable | undefined> {
  return store.db
    .selectFrom('agents')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** One page of agents in id (creation) order, fetching one extra row to know whether more follow. */
export function listAgents(
  store: Store,
  orgId: string,
  after: string | null,
  limit: number,
): Promise<AgentsTable[]> {
  let q = store.db
    .selectFrom('agents')
    .selectAll()
    .where('org_id', '=', orgId)
    .orderBy('id')
    .limit(limit + 1);
  if (after) q = q.where('id', '>', after);
  return q.execute();
}

export async function insertAgent(store: Store, row: AgentsTable): Promise<void> {
  await store.db.insertInto('agents').values(row).execute();
}

/** Applies a patch only if the revision still matches; returns false when someone else got there first. */
export async function updateAgent(
  store: Store,
  orgId: string,
  id: string,
  expectedRevision: number,
  patch: Partial<Pick<AgentsTable, 'name' | 'description' | 'profile' | 'updated_at'>>,
): Promise<boolean> {
  const res = await store.db
    .updateTable('agents')
    .set({ ...patch, revision: expectedRevision + 1 })
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .where('revision', '=', expectedRevision)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function setLiveVersion(
  store: Store,
  orgId: string,
  id: string,
  versionId: string,
  at: string,
): Promise<void> {
  await store.db
    .updateTable('agents')
    .set({ live_version_id: versionId, updated_at: at })
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .execute();
}

/** Deleting an agent deletes its draft, versions and execution records (foreign keys cascade). */
export async function deleteAgent(store: Store, orgId: string, id: string): Promise<boolean> {
  return store.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('executions').where('org_id', '=', orgId).where('agent_id', '=', id).execute();
    await trx.deleteFrom('agent_versions').where('org_id', '=', orgId).where('agent_id', '=', id).execute();
    await trx.deleteFrom('skills').where('org_id', '=', orgId).where('agent_id', '=', id).execute();
    const res = await trx
      .deleteFrom('agents')
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(res.numDeletedRows) === 1;
  });
}
