import { newId, nowIso } from '../ids.ts';
import { isUniqueViolation, type Store } from './db.ts';
import { prepared } from './prepared.ts';
import type { ConnectionsTable } from './schema.ts';

// Read before every provider call: compiled once (see prepared.ts).
const connectionOf = prepared<ConnectionsTable, [orgId: string, kind: string]>((db, orgId, kind) =>
  db.selectFrom('connections').selectAll().where('org_id', '=', orgId).where('kind', '=', kind),
);

/** What a change to any of an organization's connections is told as, on the store's change feed. */
export const connectionsTopic = (orgId: string): string => `connections:${orgId}`;

/**
 * Every write to a connection row ends here: instances that cache rows (ConnectionRows) forget the
 * organization's. Never throws: the write happened, and a cache that missed it reads afresh within 1 s.
 */
export async function connectionsChanged(store: Store, orgId: string): Promise<void> {
  await store.changes.notify(connectionsTopic(orgId)).catch(() => {});
}

export async function getConnection(
  store: Store,
  orgId: string,
  kind: string,
): Promise<ConnectionsTable | undefined> {
  return (await connectionOf(store.db, orgId, kind))[0];
}

export function listConnections(store: Store, orgId: string): Promise<ConnectionsTable[]> {
  return store.db.selectFrom('connections').selectAll().where('org_id', '=', orgId).orderBy('kind').execute();
}

/**
 * Creates or replaces the org's connection of a kind in one statement, keeping its id, so a
 * reconnect swaps credentials atomically. The secret is sealed by the caller with the id it is
 * given here, which is why the id is chosen before the write.
 */
export async function upsertConnection(
  store: Store,
  orgId: string,
  kind: string,
  fields: { status: string; accountLabel: string | null; grantedScopes?: string[] | null },
  seal: (connectionId: string) => string,
): Promise<ConnectionsTable> {
  // Two first connects can both see no row (READ COMMITTED); the loser's insert hits the unique
  // (org_id, kind) constraint and simply retries as a replace of the winner's row.
  for (let attempt = 0; ; attempt++) {
    try {
      const row = await upsertOnce(store, orgId, kind, fields, seal);
      await connectionsChanged(store, orgId);
      return row;
    } catch (e) {
      if (attempt >= 2 || !isUniqueViolation(e)) throw e;
    }
  }
}

function upsertOnce(
  store: Store,
  orgId: string,
  kind: string,
  fields: { status: string; accountLabel: string | null; grantedScopes?: string[] | null },
  seal: (connectionId: string) => string,
): Promise<ConnectionsTable> {
  return store.db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('connections')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('kind', '=', kind)
      .executeTakeFirst();
    const now = nowIso();
    if (existing) {
      const patch = {
        status: fields.status,
        account_label: fields.accountLabel,
        granted_scopes: fields.grantedScopes ? JSON.stringify(fields.grantedScopes) : null,
        secret: seal(existing.id),
        connected_at: now,
        updated_at: now,
      };
      await trx.updateTable('connections').set(patch).where('id', '=', existing.id).execute();
      return { ...existing, ...patch };
    }
    const row: ConnectionsTable = {
      id: newId('conn'),
      org_id: orgId,
      kind,
      status: fields.status,
      account_label: fields.accountLabel,
      secret: '',
      connected_at: now,
      updated_at: now,
      last_discovered_at: null,
      scoping: null,
      granted_scopes: fields.grantedScopes ? JSON.stringify(fields.grantedScopes) : null,
    };
    row.secret = seal(row.id);
    await trx.insertInto('connections').values(row).execute();
    return row;
  });
}

export async function setConnectionStatus(
  store: Store,
  orgId: string,
  id: string,
  status: string,
): Promise<void> {
  await store.db
    .updateTable('connections')
    .set({ status, updated_at: nowIso() })
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .execute();
  await connectionsChanged(store, orgId);
}

export async function deleteConnection(store: Store, orgId: string, kind: string): Promise<boolean> {
  const res = await store.db
    .deleteFrom('connections')
    .where('org_id', '=', orgId)
    .where('kind', '=', kind)
    .executeTakeFirst();
  await connectionsChanged(store, orgId);
  return Number(res.numDeletedRows) > 0;
}
