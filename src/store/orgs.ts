import { newId, nowIso } from '../ids.ts';
import { isUniqueViolation, type Store } from './db.ts';
import type { OrganizationsTable } from './schema.ts';

export async function findOrCreateOrg(store: Store, name: string): Promise<OrganizationsTable> {
  const existing = await store.db
    .selectFrom('organizations')
    .selectAll()
    .where('name', '=', name)
    .executeTakeFirst();
  if (existing) return existing;
  const row = { id: newId('org'), name, created_at: nowIso() };
  try {
    await store.db.insertInto('organizations').values(row).execute();
    return row;
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    return store.db
      .selectFrom('organizations')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirstOrThrow();
  }
}

export function listOrgs(store: Store): Promise<OrganizationsTable[]> {
  return store.db.selectFrom('organizations').selectAll().orderBy('id').execute();
}
