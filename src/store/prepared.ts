/**
 * Queries built and compiled once per database, then run with new values. Kysely builds its
 * operation tree and compiles it to SQL anew on every call; on a per-invoke path (the connection
 * row read before every provider call) that cost more than running the statement.
 */
import type { Compilable, CompiledQuery, Kysely } from 'kysely';
import type { Database } from './schema.ts';

/** Stands for the i-th value while the query is compiled; never sent to a database. */
const slot = (i: number) => `\u0000flowyte-slot-${i}\u0000`;

export function prepared<R, A extends unknown[]>(
  build: (db: Kysely<Database>, ...slots: { [K in keyof A]: any }) => Compilable<R>,
): (db: Kysely<Database>, ...values: A) => Promise<R[]> {
  const compiled = new WeakMap<Kysely<Database>, { query: CompiledQuery<R>; from: (number | null)[] }>();
  return async (db, ...values) => {
    let hit = compiled.get(db);
    if (!hit) {
      const slots = values.map((_, i) => slot(i)) as { [K in keyof A]: any };
      const query = build(db, ...slots).compile();
      // Where each parameter comes from: a value's position, or null for a constant of the query.
      const position = new Map<unknown, number>(slots.map((s: string, i: number) => [s, i]));
      const from = query.parameters.map((p) => position.get(p) ?? null);
      if (from.filter((i) => i !== null).length !== values.length) {
        throw new Error('prepared query: every value must appear once as a parameter');
      }
      hit = { query, from };
      compiled.set(db, hit);
    }
    const { query, from } = hit;
    const parameters = from.map((i, k) => (i === null ? query.parameters[k] : values[i]));
    return (await db.executeQuery<R>({ ...query, parameters })).rows;
  };
}
