import { connectionsChanged } from './connections.ts';
import type { Store } from './db.ts';
import type { DiscoveredSchemasTable } from './schema.ts';

export function getDiscoveredSchema(
  store: Store,
  orgId: string,
  connectionId: string,
): Promise<DiscoveredSchemasTable | undefined> {
  return store.db
    .selectFrom('discovered_schemas')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('connection_id', '=', connectionId)
    .executeTakeFirst();
}

/** Replaces the connection's schema and stamps the connection in one transaction. */
export async function saveDiscoveredSchema(store: Store, row: DiscoveredSchemasTable): Promise<void> {
  await store.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('discovered_schemas').where('connection_id', '=', row.connection_id).execute();
    await trx.insertInto('discovered_schemas').values(row).execute();
    await trx
      .updateTable('connections')
      .set({ last_discovered_at: row.discovered_at })
      .where('id', '=', row.connection_id)
      .where('org_id', '=', row.org_id)
      .execute();
  });
  await connectionsChanged(store, row.org_id);
}

export async function setScoping(
  store: Store,
  orgId: string,
  connectionId: string,
  scoping: string | null,
): Promise<void> {
  await store.db
    .updateTable('connections')
    .set({ scoping })
    .where('org_id', '=', orgId)
    .where('id', '=', connectionId)
    .execute();
  await connectionsChanged(store, orgId);
}
