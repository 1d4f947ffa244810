/**
 * Relationships from declared foreign keys, in both directions.
 *
 * Naming rule (stable across re-discovery, independent of catalog order):
 * - forward, on the FK side: `<from>.<role>`, role = `foreignKeyRole` (`customer.address`,
 *   `film.original_language`); when several FKs of one table would share a role, each becomes
 *   `<role>_by_<fk columns joined by _>`.
 * - back, on the referenced side: `<to>.<plural of the referencing table>` (`address.customers`),
 *   singular for one-to-one; when several FKs would share that name, each becomes
 *   `<name>_by_<forward role>` (`language.films_by_language`, `language.films_by_original_language`).
 * - anything still clashing (same table name in two schemas) gets `_2`, `_3`… in constraint order.
 * Cardinality: many_to_one forward and one_to_many back, or one_to_one both ways when the FK columns
 * are themselves the primary key or a unique key of the referencing table.
 */
import type { SchemaRelationship } from '../types.ts';
import { foreignKeyRole, pluralize, uniqueNames } from './naming.ts';

export interface ResolvedForeignKey {
  constraint: string;
  fromObject: string;
  fromTable: string;
  fromColumns: string[];
  toObject: string;
  toTable: string;
  toColumns: string[];
  /** The FK columns are the referencing table's PK or a unique key. */
  fromColumnsUnique: boolean;
}

function groupDuplicates<T>(items: T[], keyOf: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(keyOf(item), (counts.get(keyOf(item)) ?? 0) + 1);
  return counts;
}

function forwardRoles(fks: ResolvedForeignKey[]): string[] {
  const roles = fks.map((fk) => foreignKeyRole(fk.fromColumns, fk.toTable));
  const counts = groupDuplicates(
    fks.map((fk, i) => ({ fk, role: roles[i] })),
    ({ fk, role }) => `${fk.fromObject}\u0000${role}`,
  );
  return fks.map((fk, i) =>
    counts.get(`${fk.fromObject}\u0000${roles[i]}`)! > 1
      ? `${roles[i]}_by_${fk.fromColumns.join('_')}`
      : roles[i],
  );
}

function backRoles(fks: ResolvedForeignKey[], forward: string[]): string[] {
  const roles = fks.map((fk) => (fk.fromColumnsUnique ? fk.fromTable : pluralize(fk.fromTable)));
  const counts = groupDuplicates(
    fks.map((fk, i) => ({ fk, role: roles[i] })),
    ({ fk, role }) => `${fk.toObject}\u0000${role}`,
  );
  return fks.map((fk, i) =>
    counts.get(`${fk.toObject}\u0000${roles[i]}`)! > 1 ? `${roles[i]}_by_${forward[i]}` : roles[i],
  );
}

/** Two relationships per foreign key, sorted by name. */
export function buildRelationships(foreignKeys: ResolvedForeignKey[]): SchemaRelationship[] {
  const fks = [...foreignKeys].sort(
    (a, b) => compare(a.fromObject, b.fromObject) || compare(a.constraint, b.constraint),
  );
  const forward = forwardRoles(fks);
  const back = backRoles(fks, forward);
  const taken = new Set<string>();
  const forwardNames = uniqueNames(
    fks.map((fk, i) => `${fk.fromObject}.${forward[i]}`),
    taken,
  );
  const backNames = uniqueNames(
    fks.map((fk, i) => `${fk.toObject}.${back[i]}`),
    taken,
  );
  const relationships: SchemaRelationship[] = [];
  fks.forEach((fk, i) => {
    const one = fk.fromColumnsUnique;
    relationships.push({
      name: forwardNames[i],
      from: { object: fk.fromObject, fields: fk.fromColumns },
      to: { object: fk.toObject, fields: fk.toColumns },
      cardinality: one ? 'one_to_one' : 'many_to_one',
    });
    relationships.push({
      name: backNames[i],
      from: { object: fk.toObject, fields: fk.toColumns },
      to: { object: fk.fromObject, fields: fk.fromColumns },
      cardinality: one ? 'one_to_one' : 'one_to_many',
    });
  });
  return relationships.sort((a, b) => compare(a.name, b.name));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
