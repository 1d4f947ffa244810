/**
 * PostgreSQL discovery: reads pg_catalog (not information_schema, which is far slower on large
 * schemas and hides constraints from a SELECT-only role) in one read-only transaction and one round
 * trip, then builds the normalized schema with the rules shared with MySQL.
 */
import type pg from 'pg';
import { buildNormalizedSchema } from '../sql-common/build-schema.ts';
import type { Catalog, CatalogColumn, CatalogForeignKey, CatalogRelation } from '../sql-common/catalog.ts';
import { mapPostgresType } from '../sql-common/type-mapping.ts';
import type { NormalizedSchema } from '../types.ts';
import { liftPartitionKeys, PARTITION_KEYS_SQL } from './discover-partitions.ts';
import { DISCOVERY_STATEMENTS } from './discover-queries.ts';

/** Everything in one read-only, repeatable-read transaction: one consistent snapshot of the catalog. */
const DISCOVERY_SCRIPT = [
  'begin isolation level repeatable read read only',
  ...DISCOVERY_STATEMENTS,
  PARTITION_KEYS_SQL,
  'commit',
].join(';\n');

interface TypeRow {
  oid: number;
  typname: string;
  typtype: string;
  typcategory: string;
  typelem: number;
  typbasetype: number;
  labels: string[] | null;
}

interface ResolvedType {
  name: string;
  typtype: string;
  isArray: boolean;
  enumValues?: string[];
}

const RELKIND: Record<string, string> = {
  r: 'table',
  p: 'partitioned_table',
  f: 'foreign_table',
  v: 'view',
  m: 'materialized_view',
};

// pg_relation_is_updatable's bitmask: 1 << CMD_UPDATE (2), 1 << CMD_INSERT (3).
const CAN_UPDATE = 1 << 2;
const CAN_INSERT = 1 << 3;

/**
 * Unwraps domains (to their base, possibly through other domains) and arrays (to their element),
 * once per type. A type TYPES_SQL left out is a composite, read as JSON.
 */
function typeResolver(rows: TypeRow[]): (oid: number) => ResolvedType {
  const types = new Map(rows.map((t) => [t.oid, t]));
  const resolved = new Map<number, ResolvedType>();
  const resolve = (oid: number, depth: number): ResolvedType => {
    const cached = resolved.get(oid);
    if (cached) return cached;
    const t = types.get(oid);
    let result: ResolvedType;
    if (!t) result = { name: 'record', typtype: 'c', isArray: false };
    else if (t.typtype === 'd' && depth < 16) result = resolve(t.typbasetype, depth + 1);
    else if (t.typcategory === 'A' && t.typelem !== 0) {
      result = { ...resolve(t.typelem, depth + 1), isArray: true };
    } else if (t.typtype === 'e')
      result = { name: t.typname, typtype: 'e', isArray: false, enumValues: t.labels ?? [] };
    else result = { name: t.typname, typtype: t.typtype, isArray: false };
    resolved.set(oid, result);
    return result;
  };
  return (oid) => resolve(oid, 0);
}

/** `{1,3}` or `1 3` (int2vector) → attribute numbers. */
const attnums = (text: string | null): number[] =>
  text ? text.replace(/[{}]/g, '').split(/[ ,]+/).filter(Boolean).map(Number) : [];

// Shared privilege objects: one per combination instead of one per column.
const PRIVILEGES = new Map<string, { select: boolean; insert: boolean; update: boolean }>();
function privilegesOf(select: boolean, insert: boolean, update: boolean) {
  const key = `${+select}${+insert}${+update}`;
  let privileges = PRIVILEGES.get(key);
  if (!privileges) {
    privileges = { select, insert, update };
    PRIVILEGES.set(key, privileges);
  }
  return privileges;
}

function buildColumn(
  row: any,
  relation: any,
  resolveType: (oid: number) => ResolvedType,
  comment: string | null,
): CatalogColumn {
  const resolved = resolveType(row.type_oid);
  const generated = row.generated === 's';
  // `privileges` is '110'-style (select, insert, update) where the column has its own grants.
  const own: string | null = row.privileges;
  const column: CatalogColumn = {
    name: row.name,
    type: mapPostgresType(resolved.name, resolved.typtype),
    nativeType: row.native_type,
    nullable: !row.not_null,
    hasDefault: row.has_default || row.identity !== '' || generated,
    generated,
    // GENERATED ALWAYS AS IDENTITY refuses explicit values without OVERRIDING SYSTEM VALUE.
    writable: !generated && row.identity !== 'a',
    comment,
    privileges: own
      ? privilegesOf(own[0] === '1', own[1] === '1', own[2] === '1')
      : privilegesOf(relation.can_select, relation.can_insert, relation.can_update),
  };
  if (resolved.enumValues) column.enumValues = resolved.enumValues;
  if (resolved.isArray) column.isArray = true;
  return column;
}

function accepts(row: any): { insert: boolean; update: boolean } {
  if (row.relkind === 'r' || row.relkind === 'p') return { insert: true, update: true };
  if (row.relkind === 'm' || row.events == null) return { insert: false, update: false };
  return { insert: (row.events & CAN_INSERT) !== 0, update: (row.events & CAN_UPDATE) !== 0 };
}

function relationMeta(row: any): Record<string, unknown> {
  const meta: Record<string, unknown> = { relkind: RELKIND[row.relkind] };
  // Reading an unpopulated materialized view fails until someone runs REFRESH.
  if (row.relkind === 'm') meta.populated = row.populated;
  if (row.relkind === 'v' || row.relkind === 'f') {
    meta.insertable = (row.events & CAN_INSERT) !== 0;
    meta.updatable = (row.events & CAN_UPDATE) !== 0;
  }
  return meta;
}

export interface DiscoveryRows {
  relations: any[];
  columns: any[];
  constraints: any[];
  indexes: any[];
  types: TypeRow[];
  comments: any[];
  partitionKeys: any[];
}

/** Builds the engine-neutral catalog from the result sets of DISCOVERY_SCRIPT. */
export function catalogFromRows(rows: DiscoveryRows): Catalog {
  const resolveType = typeResolver(rows.types);
  const comments = new Map<string, string>();
  for (const row of rows.comments) comments.set(`${row.relid}:${row.attnum}`, row.comment);
  const relationRows = new Map(rows.relations.map((r) => [r.oid, r]));
  const columnNames = new Map<number, Map<number, string>>();
  const relations = new Map<number, CatalogRelation>();
  for (const row of rows.relations) {
    relations.set(row.oid, {
      schema: row.schema,
      table: row.table,
      kind: row.relkind === 'v' || row.relkind === 'm' ? 'view' : 'table',
      comment: comments.get(`${row.oid}:0`) ?? null,
      columns: [],
      primaryKey: [],
      uniqueKeys: [],
      leadingColumns: [],
      accepts: accepts(row),
      meta: relationMeta(row),
    });
    columnNames.set(row.oid, new Map());
  }
  const attnumOf = new Map<CatalogColumn, number>();
  for (const row of rows.columns) {
    const relation = relations.get(row.relid);
    if (!relation) continue; // not visible to this role
    const comment = comments.size > 0 ? (comments.get(`${row.relid}:${row.attnum}`) ?? null) : null;
    const column = buildColumn(row, relationRows.get(row.relid), resolveType, comment);
    attnumOf.set(column, row.attnum);
    relation.columns.push(column);
    columnNames.get(row.relid)!.set(row.attnum, row.name);
  }
  // Rows come grouped by relation in attnum order from the index lookups, but nothing promises it.
  const byAttnum = (a: CatalogColumn, b: CatalogColumn) => attnumOf.get(a)! - attnumOf.get(b)!;
  for (const relation of relations.values()) relation.columns.sort(byAttnum);

  const names = (relid: number, nums: number[]) => nums.map((n) => columnNames.get(relid)?.get(n));
  const keySets = new Map<number, string[][]>();
  const addKey = (relid: number, columns: string[]) => {
    const sets = keySets.get(relid) ?? [];
    if (!sets.some((s) => s.length === columns.length && s.every((c) => columns.includes(c))))
      sets.push(columns);
    keySets.set(relid, sets);
  };
  const leading = new Map<number, Set<string>>();
  const addLeading = (relid: number, column: string | undefined) => {
    if (!column) return;
    if (!leading.has(relid)) leading.set(relid, new Set());
    leading.get(relid)!.add(column);
  };

  const foreignKeys: CatalogForeignKey[] = [];
  for (const row of rows.constraints) {
    const relation = relations.get(row.relid);
    if (!relation) continue; // not visible to this role
    const columns = names(row.relid, attnums(row.columns));
    if (columns.some((c) => c === undefined)) continue;
    if (row.type === 'p') relation.primaryKey = columns as string[];
    if (row.type === 'p' || row.type === 'u') {
      addKey(row.relid, columns as string[]);
      addLeading(row.relid, columns[0]);
      continue;
    }
    const target = relations.get(row.target_relid);
    const targetColumns = names(row.target_relid, attnums(row.target_columns));
    if (!target || targetColumns.some((c) => c === undefined)) continue;
    foreignKeys.push({
      name: row.name,
      from: { schema: relation.schema, table: relation.table, columns: columns as string[] },
      to: { schema: target.schema, table: target.table, columns: targetColumns as string[] },
    });
  }

  for (const row of rows.indexes) {
    if (row.partial || !relations.has(row.relid)) continue;
    const keys = attnums(row.columns).slice(0, row.key_count);
    // Only btree and hash serve `column = $1`; GiST/GIN/BRIN indexes answer other operators.
    if (keys[0] !== 0 && (row.method === 'btree' || row.method === 'hash')) {
      addLeading(row.relid, names(row.relid, [keys[0]])[0]);
    } else if (keys[0] === 0 && (row.method === 'btree' || row.method === 'hash')) {
      const column = lowerIndexedColumn(row.first_expression);
      const relation = relations.get(row.relid);
      if (column && relation?.columns.some((c) => c.name === column))
        relation.lowerIndexed = [...new Set([...(relation.lowerIndexed ?? []), column])];
    }
    const columns = names(row.relid, keys);
    if (row.is_unique && !keys.includes(0) && !columns.includes(undefined))
      addKey(row.relid, columns as string[]);
  }

  const lifted = liftPartitionKeys(rows.partitionKeys);
  for (const [relid, columns] of lifted.leading) for (const column of columns) addLeading(relid, column);
  for (const fk of lifted.foreignKeys) {
    const relation = relations.get(fk.root);
    if (!relation) continue;
    const target = relations.get(fk.targetRelid);
    const targetColumns = names(fk.targetRelid, attnums(fk.targetColumns));
    if (!target || targetColumns.some((c) => c === undefined)) continue;
    foreignKeys.push({
      name: fk.name,
      from: { schema: relation.schema, table: relation.table, columns: fk.columns },
      to: { schema: target.schema, table: target.table, columns: targetColumns as string[] },
    });
  }

  for (const [relid, relation] of relations) {
    const pk = relation.primaryKey;
    relation.uniqueKeys = (keySets.get(relid) ?? []).filter(
      (key) => !(key.length === pk.length && key.every((c) => pk.includes(c))),
    );
    relation.leadingColumns = [...(leading.get(relid) ?? [])];
  }
  return { defaultSchema: 'public', relations: [...relations.values()], foreignKeys };
}

/**
 * Reads every relation the connected role can SELECT, in one read-only transaction. The client must
 * be idle (not inside a transaction of its caller): discovery opens and commits its own.
 */
export async function discoverPostgres(client: pg.ClientBase): Promise<NormalizedSchema> {
  let results: pg.QueryResult[];
  try {
    results = (await client.query(DISCOVERY_SCRIPT)) as unknown as pg.QueryResult[];
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  }
  const [, relations, columns, constraints, indexes, types, comments, partitionKeys] = results.map(
    (r) => r.rows,
  );
  return buildNormalizedSchema(
    catalogFromRows({ relations, columns, constraints, indexes, types, comments, partitionKeys }),
  );
}

/**
 * The column of an index expression `lower(column)` as pg_get_indexdef prints it (`lower((email)::text)`,
 * `lower("LastName")`), or null for any other expression.
 */
export function lowerIndexedColumn(expression: unknown): string | null {
  if (typeof expression !== 'string') return null;
  const m = /^lower\((.*)\)$/.exec(expression.trim());
  if (!m) return null;
  let inner = m[1].trim().replace(/::(text|character varying|varchar|citext)$/, '');
  if (inner.startsWith('(') && inner.endsWith(')')) inner = inner.slice(1, -1).trim();
  if (/^"(?:[^"]|"")+"$/.test(inner)) return inner.slice(1, -1).replace(/""/g, '"');
  return /^[a-z_][a-z0-9_$]*$/.test(inner) ? inner : null;
}
