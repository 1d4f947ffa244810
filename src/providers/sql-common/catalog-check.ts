/**
 * Test support shared by the PostgreSQL and MySQL discovery suites: compares a discovered schema
 * with what the database's own catalog says, computed independently by each suite.
 */
import { expect } from 'vitest';
import type { FieldType, NormalizedSchema } from '../types.ts';

export interface ExpectedColumn {
  name: string;
  type: FieldType;
  isArray: boolean;
  /** null where the catalog route cannot tell (materialized view columns). */
  nullable: boolean | null;
  /** The domain a PostgreSQL column is declared with: discovery keeps it as nativeType. */
  domain: string | null;
  enumValues?: string[];
}

export interface ExpectedRelation {
  schema: string;
  table: string;
  kind: 'table' | 'view';
  columns: ExpectedColumn[];
  primaryKey: string[];
  unique: Set<string>;
  leading: Set<string>;
}

export interface ExpectedForeignKey {
  from: { schema: string; table: string; columns: string[] };
  to: { schema: string; table: string; columns: string[] };
}

export interface ExpectedCatalog {
  relations: ExpectedRelation[];
  foreignKeys: ExpectedForeignKey[];
}

/** Asserts every relation, column (type, nullability, key flags), foreign key and leading-index column. */
export function checkAgainstCatalog(schema: NormalizedSchema, expected: ExpectedCatalog): void {
  const bySource = new Map(schema.objects.map((o) => [`${o.source!.schema}.${o.source!.table}`, o]));
  expect([...bySource.keys()].sort()).toEqual(expected.relations.map((r) => `${r.schema}.${r.table}`).sort());
  for (const relation of expected.relations) {
    const object = bySource.get(`${relation.schema}.${relation.table}`)!;
    const where = object.name;
    expect(object.kind, where).toBe(relation.kind);
    expect(object.primaryKey, where).toEqual(relation.primaryKey);
    expect(
      object.fields.map((f) => f.name),
      where,
    ).toEqual(relation.columns.map((c) => c.name));
    for (const column of relation.columns) {
      const field = object.fields.find((f) => f.name === column.name)!;
      const at = `${where}.${column.name}`;
      if (column.nullable !== null) {
        expect(field.type, at).toBe(column.type);
        expect(field.nullable, at).toBe(column.nullable);
        expect(Boolean(field.isArray), at).toBe(column.isArray);
      }
      if (column.domain) expect(field.nativeType, at).toBe(column.domain);
      if (column.enumValues) expect(field.enumValues, at).toEqual(column.enumValues);
      expect(field.primaryKey, at).toBe(relation.primaryKey.includes(column.name));
      expect(field.unique, at).toBe(relation.unique.has(column.name));
      expect(field.leadingIndex, at).toBe(relation.leading.has(column.name));
    }
  }
  const objectOf = (end: { schema: string; table: string }) =>
    bySource.get(`${end.schema}.${end.table}`)!.name;
  const forward = schema.relationships.filter((r) => r.cardinality !== 'one_to_many');
  const found = expected.foreignKeys.map((fk) => {
    const from = objectOf(fk.from);
    const to = objectOf(fk.to);
    const match = forward.find(
      (r) =>
        r.from.object === from &&
        r.to.object === to &&
        JSON.stringify(r.from.fields) === JSON.stringify(fk.from.columns) &&
        JSON.stringify(r.to.fields) === JSON.stringify(fk.to.columns),
    );
    return match ? 'found' : `missing ${from}(${fk.from.columns}) -> ${to}(${fk.to.columns})`;
  });
  expect(found.filter((f) => f !== 'found')).toEqual([]);
  // Two relationships per key (there and back), no more.
  expect(schema.relationships.length).toBe(2 * expected.foreignKeys.length);
}
