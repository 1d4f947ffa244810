import type { Store } from './db.ts';
import type { ApiKeysTable } from './schema.ts';

export async function insertApiKey(store: Store, row: ApiKeysTable): Promise<void> {
  await store.db.insertInto('api_keys').values(row).execute();
}

export function findApiKeyByHash(store: Store, keyHash: string): Promise<ApiKeysTable | undefined> {
  return store.db.selectFrom('api_keys').selectAll().where('key_hash', '=', keyHash).executeTakeFirst();
}

export function listApiKeys(store: Store, orgId?: string): Promise<ApiKeysTable[]> {
  let q = store.db.selectFrom('api_keys').selectAll().orderBy('id');
  if (orgId) q = q.where('org_id', '=', orgId);
  return q.execute();
}

/** One page of an organization's keys in id (= creation) order, after the given id; `limit + 1` rows tell whether more follow. */
export function listApiKeysPage(
  store: Store,
  orgId: string,
  after: string | null,
  limit: number,
): Promise<ApiKeysTable[]> {
  let q = store.db
    .selectFrom('api_keys')
    .selectAll()
    .where('org_id', '=', orgId)
    .orderBy('id')
    .limit(limit + 1);
  if (after !== null) q = q.where('id', '>', after);
  return q.execute();
}

/** Revokes by id; scoped to an organization when one is given. Returns whether a key was revoked. */
export async function revokeApiKey(
  store: Store,
  keyId: string,
  at: string,
  orgId?: string,
): Promise<ApiKeysTable | null> {
  let q = store.db
    .updateTable('api_keys')
    .set({ revoked_at: at })
    .where('id', '=', keyId)
    .where('revoked_at', 'is', null);
  if (orgId) q = q.where('org_id', '=', orgId);
  const res = await q.executeTakeFirst();
  if (Number(res.numUpdatedRows) === 0) return null;
  return (
    (await store.db.selectFrom('api_keys').selectAll().where('id', '=', keyId).executeTakeFirst()) ?? null
  );
}

/** One active (not revoked) key of an organization. */
export function findActiveApiKey(
  store: Store,
  orgId: string,
  keyId: string,
): Promise<ApiKeysTable | undefined> {
  return store.db
    .selectFrom('api_keys')
    .selectAll()
    .where('id', '=', keyId)
    .where('org_id', '=', orgId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

export async function touchApiKey(store: Store, keyId: string, at: string): Promise<void> {
  await store.db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', keyId).execute();
}

/** Keys revoked at or after an instant (by any process sharing the store). */
export function listRevokedSince(
  store: Store,
  since: string,
): Promise<Pick<ApiKeysTable, 'key_hash' | 'revoked_at'>[]> {
  return store.db
    .selectFrom('api_keys')
    .select(['key_hash', 'revoked_at'])
    .where('revoked_at', '>=', since)
    .execute();
}
