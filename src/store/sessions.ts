/** Server-side dashboard sessions, looked up by the hash of the cookie value. */
import type { Store } from './db.ts';
import type { SessionsTable } from './schema.ts';

export async function insertSession(store: Store, row: SessionsTable): Promise<void> {
  await store.db.insertInto('sessions').values(row).execute();
}

export function findSessionByHash(store: Store, tokenHash: string): Promise<SessionsTable | undefined> {
  return store.db.selectFrom('sessions').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export async function touchSession(store: Store, id: string, at: string): Promise<void> {
  await store.db.updateTable('sessions').set({ last_seen_at: at }).where('id', '=', id).execute();
}

export async function revokeSession(store: Store, id: string, at: string): Promise<void> {
  await store.db
    .updateTable('sessions')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();
}

export async function revokeSessionsOfUser(store: Store, userId: string, at: string): Promise<number> {
  const res = await store.db
    .updateTable('sessions')
    .set({ revoked_at: at })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', at)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/** Drops sessions that ended before `before` (expired or revoked): nothing reads them again. */
export async function purgeSessions(store: Store, before: string): Promise<void> {
  await store.db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<', before), eb('revoked_at', '<', before)]))
    .execute();
}

/** Binds an OAuth state (by hash) to the session that started the flow; old bindings are dropped. */
export async function bindOAuthState(
  store: Store,
  stateHash: string,
  sessionId: string,
  at: Date,
): Promise<void> {
  await store.db
    .deleteFrom('oauth_state_sessions')
    .where('created_at', '<', new Date(at.getTime() - 3_600_000).toISOString())
    .execute();
  await store.db
    .insertInto('oauth_state_sessions')
    .values({ state_hash: stateHash, session_id: sessionId, created_at: at.toISOString() })
    .execute();
}

export async function sessionOfOAuthState(store: Store, stateHash: string): Promise<string | null> {
  const row = await store.db
    .selectFrom('oauth_state_sessions')
    .select('session_id')
    .where('state_hash', '=', stateHash)
    .executeTakeFirst();
  return row?.session_id ?? null;
}
