import type { Store } from './db.ts';
import type { SkillsTable } from './schema.ts';

export function listSkills(store: Store, orgId: string, agentId: string): Promise<SkillsTable[]> {
  return store.db
    .selectFrom('skills')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('agent_id', '=', agentId)
    .orderBy('id')
    .execute();
}

export function getSkill(
  store: Store,
  orgId: string,
  agentId: string,
  id: string,
): Promise<SkillsTable | undefined> {
  return store.db
    .selectFrom('skills')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('agent_id', '=', agentId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function insertSkill(store: Store, row: SkillsTable): Promise<void> {
  await store.db.insertInto('skills').values(row).execute();
}

export async function updateSkill(
  store: Store,
  orgId: string,
  id: string,
  patch: Partial<SkillsTable>,
): Promise<void> {
  await store.db.updateTable('skills').set(patch).where('org_id', '=', orgId).where('id', '=', id).execute();
}

export async function deleteSkills(
  store: Store,
  orgId: string,
  agentId: string,
  ids: string[],
): Promise<number> {
  if (ids.length === 0) return 0;
  const res = await store.db
    .deleteFrom('skills')
    .where('org_id', '=', orgId)
    .where('agent_id', '=', agentId)
    .where('id', 'in', ids)
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}

/** Disables every draft skill of an organization that draws on a provider kind; returns how many. */
export async function disableSkillsOfKind(
  store: Store,
  orgId: string,
  kind: string,
  at: string,
): Promise<number> {
  const rows = await store.db
    .selectFrom('skills')
    .select(['id', 'source', 'is_enabled'])
    .where('org_id', '=', orgId)
    .execute();
  const ids = rows.filter((r) => r.is_enabled === 1 && JSON.parse(r.source).kind === kind).map((r) => r.id);
  if (ids.length === 0) return 0;
  await store.db
    .updateTable('skills')
    .set({ is_enabled: 0, updated_at: at })
    .where('org_id', '=', orgId)
    .where('id', 'in', ids)
    .execute();
  return ids.length;
}
