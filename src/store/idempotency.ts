import { isUniqueViolation, type Store } from './db.ts';
import type { IdempotencyTable } from './schema.ts';

export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;

function find(store: Store, orgId: string, key: string): Promise<IdempotencyTable | undefined> {
  return store.db
    .selectFrom('idempotency_keys')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('key', '=', key)
    .executeTakeFirst();
}

/**
 * Claims a key for a request. Returns null when this request now owns it, or the record that
 * already holds it (pending or completed). The primary key makes the claim atomic across instances.
 */
export async function claimIdempotencyKey(
  store: Store,
  orgId: string,
  key: string,
  requestHash: string,
  now = new Date(),
): Promise<IdempotencyTable | null> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await store.db
        .insertInto('idempotency_keys')
        .values({
          org_id: orgId,
          key,
          request_hash: requestHash,
          state: 'pending',
          status_code: null,
          response: null,
          created_at: now.toISOString(),
        })
        .execute();
      return null;
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
    }
    const existing = await find(store, orgId, key);
    if (!existing) continue; // released between our insert and read: try again
    if (now.getTime() - Date.parse(existing.created_at) < IDEMPOTENCY_TTL_MS) return existing;
    await store.db
      .deleteFrom('idempotency_keys')
      .where('org_id', '=', orgId)
      .where('key', '=', key)
      .where('created_at', '=', existing.created_at)
      .execute();
  }
  return find(store, orgId, key).then((r) => r ?? null);
}

export const getIdempotencyRecord = find;

export async function completeIdempotencyKey(
  store: Store,
  orgId: string,
  key: string,
  statusCode: number,
  response: string,
  claimedAt?: string,
): Promise<void> {
  let q = store.db
    .updateTable('idempotency_keys')
    .set({ state: 'done', status_code: statusCode, response })
    .where('org_id', '=', orgId)
    .where('key', '=', key);
  if (claimedAt) q = q.where('created_at', '=', claimedAt);
  await q.execute();
}

/** Gives a pending claim up; with `claimedAt`, only the claim made at that instant (one's own). */
export async function releaseIdempotencyKey(
  store: Store,
  orgId: string,
  key: string,
  claimedAt?: string,
): Promise<void> {
  let q = store.db
    .deleteFrom('idempotency_keys')
    .where('org_id', '=', orgId)
    .where('key', '=', key)
    .where('state', '=', 'pending');
  if (claimedAt) q = q.where('created_at', '=', claimedAt);
  await q.execute();
}

export async function purgeIdempotencyKeys(store: Store, olderThan: Date): Promise<void> {
  await store.db.deleteFrom('idempotency_keys').where('created_at', '<', olderThan.toISOString()).execute();
}
