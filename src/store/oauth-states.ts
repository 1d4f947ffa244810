/** Pending OAuth authorization requests: one row per `state`, usable once, for a few minutes. */
import type { Kysely } from 'kysely';
import type { Store } from './db.ts';
import type { Database } from './schema.ts';

export interface OAuthStatesTable {
  state_hash: string;
  org_id: string;
  kind: string;
  /** Vault ciphertext of the PKCE code verifier. */
  verifier: string;
  /** JSON array of the scopes requested. */
  scopes: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

// A type alias, not an interface: Kysely's withTables wants an indexable shape.
export type OAuthStateTables = {
  oauth_states: OAuthStatesTable;
};

const db = (store: Store): Kysely<Database & OAuthStateTables> => store.db.withTables<OAuthStateTables>();

export async function insertOAuthState(store: Store, row: OAuthStatesTable): Promise<void> {
  await db(store).insertInto('oauth_states').values(row).execute();
}

export function getOAuthState(store: Store, stateHash: string): Promise<OAuthStatesTable | undefined> {
  return db(store)
    .selectFrom('oauth_states')
    .selectAll()
    .where('state_hash', '=', stateHash)
    .executeTakeFirst();
}

/**
 * Marks a state used; true only for the one caller that flipped it. Two callbacks racing with the
 * same state (a double click, a replay) cannot both get past this.
 */
export async function consumeOAuthState(store: Store, stateHash: string, now: string): Promise<boolean> {
  const res = await db(store)
    .updateTable('oauth_states')
    .set({ used_at: now })
    .where('state_hash', '=', stateHash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Forgets states that expired before `before`; used ones are kept until then so a replay is named as such. */
export async function purgeOAuthStates(store: Store, before: string): Promise<void> {
  await db(store).deleteFrom('oauth_states').where('expires_at', '<', before).execute();
}
