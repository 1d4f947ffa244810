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

/** `roles[i]`, or `roles[i]_by_<suffix[i]>` wherever two keys of the same object share a role. */
function disambiguate(objects: string[], roles: string[], suffixes: string[]): string[] {
  const counts = new Map<string, number>();
  const keys = roles.map((role, i) => `${objects[i]}\u0000${role}`);
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return roles.map((role, i) => (counts.get(keys[i])! > 1 ? `${role}_by_${suffixes[i]}` : role));
}

/** Two relationships per foreign key, sorted by name. */
export function buildRelationships(foreignKeys: ResolvedForeignKey[]): SchemaRelationship[] {
  const fks = [...foreignKeys].sort(
    (a, b) => compare(a.fromObject, b.fromObject) || compare(a.constraint, b.constraint),
  );
  const forward = disambiguate(
    fks.map((fk) => fk.fromObject),
    fks.map((fk) => foreignKeyRole(fk.fromColumns, fk.toTable)),
    fks.map((fk) => fk.fromColumns.join('_')),
  );
  const back = disambiguate(
    fks.map((fk) => fk.toObject),
    fks.map((fk) => (fk.fromColumnsUnique ? fk.fromTable : pluralize(fk.fromTable))),
    forward,
  );
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
  for (let i = 0; i < fks.length; i++) {
    const fk = fks[i];
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
  }
  return relationships.sort((a, b) => compare(a.name, b.name));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
