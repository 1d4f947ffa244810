/**
 * Test support shared by the PostgreSQL and MySQL discovery suites: compares a discovered schema
 * with what the database's own catalog says, computed independently by each suite. Plain data in,
 * a list of differences out, so it carries no test-runner dependency into the build.
 */
import type { FieldType, NormalizedSchema } from '../../src/providers/types.ts';

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

/**
 * Every difference between a discovered schema and the catalog: relations, columns (type,
 * nullability, key flags), foreign keys and leading-index columns. Empty when they agree.
 */
export function catalogMismatches(schema: NormalizedSchema, expected: ExpectedCatalog): string[] {
  const problems: string[] = [];
  const differ = (what: string, actual: unknown, wanted: unknown) => {
    if (JSON.stringify(actual) !== JSON.stringify(wanted)) {
      problems.push(`${what}: got ${JSON.stringify(actual)}, catalog says ${JSON.stringify(wanted)}`);
    }
  };
  const bySource = new Map(schema.objects.map((o) => [`${o.source!.schema}.${o.source!.table}`, o]));
  differ(
    'relations',
    [...bySource.keys()].sort(),
    expected.relations.map((r) => `${r.schema}.${r.table}`).sort(),
  );
  for (const relation of expected.relations) {
    const object = bySource.get(`${relation.schema}.${relation.table}`);
    if (!object) continue;
    differ(`${object.name} kind`, object.kind, relation.kind);
    differ(`${object.name} primary key`, object.primaryKey, relation.primaryKey);
    differ(
      `${object.name} columns`,
      object.fields.map((f) => f.name),
      relation.columns.map((c) => c.name),
    );
    for (const column of relation.columns) {
      const field = object.fields.find((f) => f.name === column.name);
      const at = `${object.name}.${column.name}`;
      if (!field) continue;
      if (column.nullable !== null) {
        differ(`${at} type`, field.type, column.type);
        differ(`${at} nullable`, field.nullable, column.nullable);
        differ(`${at} isArray`, Boolean(field.isArray), column.isArray);
      }
      if (column.domain) differ(`${at} nativeType`, field.nativeType, column.domain);
      if (column.enumValues) differ(`${at} enumValues`, field.enumValues, column.enumValues);
      differ(`${at} primaryKey`, field.primaryKey, relation.primaryKey.includes(column.name));
      differ(`${at} unique`, field.unique, relation.unique.has(column.name));
      differ(`${at} leadingIndex`, field.leadingIndex, relation.leading.has(column.name));
    }
  }
  const objectOf = (end: { schema: string; table: string }) =>
    bySource.get(`${end.schema}.${end.table}`)?.name;
  const forward = schema.relationships.filter((r) => r.cardinality !== 'one_to_many');
  for (const fk of expected.foreignKeys) {
    const from = objectOf(fk.from);
    const to = objectOf(fk.to);
    const found = forward.some(
      (r) =>
        r.from.object === from &&
        r.to.object === to &&
        JSON.stringify(r.from.fields) === JSON.stringify(fk.from.columns) &&
        JSON.stringify(r.to.fields) === JSON.stringify(fk.to.columns),
    );
    if (!found) problems.push(`foreign key ${from}(${fk.from.columns}) -> ${to}(${fk.to.columns}) missing`);
  }
  // Two relationships per key (there and back), no more.
  differ('relationship count', schema.relationships.length, 2 * expected.foreignKeys.length);
  return problems;
}
