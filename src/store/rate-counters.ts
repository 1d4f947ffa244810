/** The per-organization request counts that instances sharing a store add up (see core/runtime/rate-counter.ts). */
import { type Kysely, sql } from 'kysely';
import type { Store } from './db.ts';
import type { Database } from './schema.ts';

// A type alias, not an interface: Kysely's withTables wants an indexable shape.
type RateTables = {
  rate_counters: { org_id: string; minute: number; count: number };
};

const BATCH = 1000;

const db = (store: Store): Kysely<Database & RateTables> => store.db.withTables<RateTables>();

/**
 * Adds this instance's counts since its last flush, in one statement, and returns each
 * organization's total for the minute so far (every instance's requests included).
 */
export async function addRateCounts(
  store: Store,
  minute: number,
  counts: Map<string, number>,
): Promise<Map<string, number>> {
  const totals = new Map<string, number>();
  // Sorted, so instances flushing the same organizations lock their rows in one order (no deadlock).
  const rows = [...counts].sort(([a], [b]) => (a < b ? -1 : 1));
  for (let i = 0; i < rows.length; i += BATCH) {
    const written = await db(store)
      .insertInto('rate_counters')
      .values(rows.slice(i, i + BATCH).map(([org_id, count]) => ({ org_id, minute, count })))
      .onConflict((oc) =>
        oc.columns(['org_id', 'minute']).doUpdateSet({ count: sql`rate_counters.count + excluded.count` }),
      )
      .returning(['org_id', 'count'])
      .execute();
    for (const r of written) totals.set(r.org_id, Number(r.count));
  }
  return totals;
}

export async function purgeRateCounts(store: Store, beforeMinute: number): Promise<void> {
  await db(store).deleteFrom('rate_counters').where('minute', '<', beforeMinute).execute();
}
