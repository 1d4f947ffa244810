import type { Store } from './db.ts';

export async function getSetting(store: Store, name: string): Promise<string | null> {
  const row = await store.db
    .selectFrom('settings')
    .select('value')
    .where('name', '=', name)
    .executeTakeFirst();
  return row?.value ?? null;
}

/** Inserts unless present (another instance may race us); returns the value that won. */
export async function ensureSetting(store: Store, name: string, value: string): Promise<string> {
  await store.db
    .insertInto('settings')
    .values({ name, value })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  return (await getSetting(store, name))!;
}
