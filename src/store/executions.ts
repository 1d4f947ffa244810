import type { Store } from './db.ts';
import type { ExecutionsTable } from './schema.ts';

export async function insertExecutions(store: Store, rows: ExecutionsTable[]): Promise<void> {
  await store.db.insertInto('executions').values(rows).execute();
}

/** Newest first: ids sort by time, so the cursor is the last id seen. */
export interface ExecutionFilter {
  conversationId?: string;
  skillName?: string;
  outcome?: ExecutionsTable['outcome'];
}

export function listExecutions(
  store: Store,
  orgId: string,
  agentId: string,
  before: string | null,
  limit: number,
  filter: ExecutionFilter = {},
): Promise<ExecutionsTable[]> {
  let q = store.db
    .selectFrom('executions')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('agent_id', '=', agentId)
    .orderBy('id', 'desc')
    .limit(limit + 1);
  if (before) q = q.where('id', '<', before);
  if (filter.conversationId !== undefined) q = q.where('conversation_id', '=', filter.conversationId);
  if (filter.skillName !== undefined) q = q.where('skill_name', '=', filter.skillName);
  if (filter.outcome !== undefined) q = q.where('outcome', '=', filter.outcome);
  return q.execute();
}

/** Mean duration (ms, rounded) of each skill's successful calls; skills never called are absent. */
export async function meanDurationBySkill(
  store: Store,
  orgId: string,
  skillIds: string[],
): Promise<Map<string, number>> {
  if (skillIds.length === 0) return new Map();
  const rows = await store.db
    .selectFrom('executions')
    .select(['skill_id', (eb) => eb.fn.avg<number | string>('duration_ms').as('mean')])
    .where('org_id', '=', orgId)
    .where('skill_id', 'in', skillIds)
    .where('outcome', '=', 'ok')
    .groupBy('skill_id')
    .execute();
  return new Map(rows.map((r) => [r.skill_id, Math.round(Number(r.mean))]));
}
