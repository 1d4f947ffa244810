import type { Store } from './db.ts';
import type { ConfirmationsTable } from './schema.ts';

export async function insertConfirmation(store: Store, row: ConfirmationsTable): Promise<void> {
  await store.db.insertInto('confirmations').values(row).execute();
}

export function getConfirmation(
  store: Store,
  orgId: string,
  agentId: string,
  tokenHash: string,
): Promise<ConfirmationsTable | undefined> {
  return store.db
    .selectFrom('confirmations')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('org_id', '=', orgId)
    .where('agent_id', '=', agentId)
    .executeTakeFirst();
}

/** Marks a token used if it still is unused and unexpired; true for the one caller that won. */
export async function spendConfirmation(store: Store, tokenHash: string, now: string): Promise<boolean> {
  const res = await store.db
    .updateTable('confirmations')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function purgeConfirmations(store: Store, expiredBefore: string): Promise<void> {
  await store.db.deleteFrom('confirmations').where('expires_at', '<', expiredBefore).execute();
}
