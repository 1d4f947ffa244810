/**
 * PostgreSQL discovery's answer (discover-queries.ts) → the engine-neutral catalog. Written as plain
 * loops over per-relation state: a 1,000-table schema gives some 12,000 columns and 8,000 keys and
 * indexes.
 */
import type {
  Catalog,
  CatalogColumn,
  CatalogForeignKey,
  CatalogRelation,
  ColumnPrivileges,
} from '../sql-common/catalog.ts';
import { mapPostgresType } from '../sql-common/type-mapping.ts';
import type { FieldType } from '../types.ts';
import { liftPartitionKeys } from './discover-partitions.ts';

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
  /** mapPostgresType of name and typtype, once per type rather than per column. */
  type: FieldType;
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

const resolvedType = (name: string, typtype: string, isArray: boolean, enumValues?: string[]) => {
  const result: ResolvedType = { name, typtype, isArray, type: mapPostgresType(name, typtype) };
  if (enumValues) result.enumValues = enumValues;
  return result;
};

/**
 * Unwraps domains (to their base, possibly through other domains) and arrays (to their element),
 * once per type. A type the TYPES part left out is a composite, read as JSON.
 */
function typeResolver(rows: TypeRow[]): (oid: number) => ResolvedType {
  const types = new Map(rows.map((t) => [t.oid, t]));
  const resolved = new Map<number, ResolvedType>();
  const resolve = (oid: number, depth: number): ResolvedType => {
    const cached = resolved.get(oid);
    if (cached) return cached;
    const t = types.get(oid);
    let result: ResolvedType;
    if (!t) result = resolvedType('record', 'c', false);
    else if (t.typtype === 'd' && depth < 16) result = resolve(t.typbasetype, depth + 1);
    else if (t.typcategory === 'A' && t.typelem !== 0) {
      const element = resolve(t.typelem, depth + 1);
      result = resolvedType(element.name, element.typtype, true, element.enumValues);
    } else if (t.typtype === 'e') result = resolvedType(t.typname, 'e', false, t.labels ?? []);
    else result = resolvedType(t.typname, t.typtype, false);
    resolved.set(oid, result);
    return result;
  };
  return (oid) => resolve(oid, 0);
}

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

/** The `i`th column of the COLUMNS part (column-wise). */
function buildColumn(
  c: Columnwise,
  i: number,
  tablePrivileges: ColumnPrivileges,
  resolved: ResolvedType,
  comment: string | null,
): CatalogColumn {
  const generated = c.generated[i] === 's';
  const identity: string = c.identity[i];
  // `privileges` is '110'-style (select, insert, update) where the column has its own grants.
  const own: string | null = c.privileges[i];
  const column: CatalogColumn = {
    name: c.name[i],
    type: resolved.type,
    nativeType: c.native_type[i],
    nullable: !c.not_null[i],
    hasDefault: c.has_default[i] || identity !== '' || generated,
    generated,
    // GENERATED ALWAYS AS IDENTITY refuses explicit values without OVERRIDING SYSTEM VALUE.
    writable: !generated && identity !== 'a',
    comment,
    privileges: own ? privilegesOf(own[0] === '1', own[1] === '1', own[2] === '1') : tablePrivileges,
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

/** A column-wise part of the answer (discover-queries.ts): one array per field, aligned by position. */
export type Columnwise = Record<string, any[]>;

/** A column-wise part as sent, with [] for the nulls of no rows. */
export function columnwise(row: Record<string, any[] | null>): Columnwise {
  const result: Columnwise = {};
  for (const [field, values] of Object.entries(row)) result[field] = values ?? [];
  return result;
}

export interface DiscoveryRows {
  relations: any[];
  columns: Columnwise;
  constraints: Columnwise;
  indexes: Columnwise;
  types: TypeRow[];
  comments: any[];
  partitionKeys: any[];
}

/** A visible relation while its catalog entry is built. */
interface Visible {
  relation: CatalogRelation;
  privileges: ColumnPrivileges;
  /** Column names by attribute number (a sparse array). */
  names: string[];
  /** Attribute numbers, aligned with relation.columns. */
  attnums: number[];
  /** Distinct key column sets: PK, unique constraints, full unique indexes. */
  keys: string[][];
  /** Leading columns in the order found. */
  leading: Set<string>;
}

/** Column names of attribute numbers; undefined where one is not a column of the relation. */
function namesOf(visible: Visible, nums: number[]): string[] | undefined {
  const names: string[] = [];
  for (const n of nums) {
    const name = visible.names[n];
    if (name === undefined) return undefined;
    names.push(name);
  }
  return names;
}

function addKey(visible: Visible, columns: string[]) {
  const sameSet = (s: string[]) => s.length === columns.length && s.every((c) => columns.includes(c));
  if (!visible.keys.some(sameSet)) visible.keys.push(columns);
}

/** Puts columns in attribute order, where the rows did not already come in it. */
function sortColumns(visible: Visible) {
  const { attnums, relation } = visible;
  let sorted = true;
  for (let i = 1; i < attnums.length && sorted; i++) sorted = attnums[i - 1] < attnums[i];
  if (sorted) return;
  const order = attnums.map((n, i) => [n, i]).sort((a, b) => a[0] - b[0]);
  relation.columns = order.map(([, i]) => relation.columns[i]);
  visible.attnums = order.map(([n]) => n);
}

/** Builds the engine-neutral catalog from the parts of DISCOVERY_SQL's answer. */
export function catalogFromRows(rows: DiscoveryRows): Catalog {
  const resolveType = typeResolver(rows.types);
  const comments = new Map<string, string>();
  for (const row of rows.comments) comments.set(`${row.relid}:${row.attnum}`, row.comment);
  const visibleByOid = new Map<number, Visible>();
  for (const row of rows.relations) {
    visibleByOid.set(row.oid, {
      relation: {
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
      },
      privileges: privilegesOf(row.can_select, row.can_insert, row.can_update),
      names: [],
      attnums: [],
      keys: [],
      leading: new Set(),
    });
  }
  const columns = rows.columns;
  for (let i = 0; i < columns.relid.length; i++) {
    const relid: number = columns.relid[i];
    const visible = visibleByOid.get(relid);
    if (!visible) continue; // not visible to this role
    const attnum: number = columns.attnum[i];
    const comment = comments.size > 0 ? (comments.get(`${relid}:${attnum}`) ?? null) : null;
    const resolved = resolveType(columns.type_oid[i]);
    visible.relation.columns.push(buildColumn(columns, i, visible.privileges, resolved, comment));
    visible.attnums.push(attnum);
    visible.names[attnum] = columns.name[i];
  }
  // Rows come grouped by relation in attnum order from the index lookups, but nothing promises it.
  for (const visible of visibleByOid.values()) sortColumns(visible);

  const foreignKeys: CatalogForeignKey[] = [];
  const constraints = rows.constraints;
  for (let i = 0; i < constraints.relid.length; i++) {
    const visible = visibleByOid.get(constraints.relid[i]);
    if (!visible) continue; // not visible to this role
    const columns = namesOf(visible, constraints.columns[i]);
    if (!columns) continue;
    const type: string = constraints.type[i];
    if (type === 'p') visible.relation.primaryKey = columns;
    if (type === 'p' || type === 'u') {
      addKey(visible, columns);
      if (columns.length > 0) visible.leading.add(columns[0]);
      continue;
    }
    const target = visibleByOid.get(constraints.target_relid[i]);
    const targetColumns = target && namesOf(target, constraints.target_columns[i]);
    if (!target || !targetColumns) continue;
    const { relation } = visible;
    foreignKeys.push({
      name: constraints.name[i],
      from: { schema: relation.schema, table: relation.table, columns },
      to: { schema: target.relation.schema, table: target.relation.table, columns: targetColumns },
    });
  }

  const indexes = rows.indexes;
  for (let i = 0; i < indexes.relid.length; i++) {
    const visible = visibleByOid.get(indexes.relid[i]);
    if (indexes.partial[i] || !visible) continue;
    const keys: number[] = indexes.columns[i].slice(0, indexes.key_count[i]);
    // Only btree and hash serve `column = $1`; GiST/GIN/BRIN indexes answer other operators.
    const equality = indexes.method[i] === 'btree' || indexes.method[i] === 'hash';
    if (keys[0] !== 0 && equality) {
      const first = visible.names[keys[0]];
      if (first) visible.leading.add(first);
    } else if (keys[0] === 0 && equality) {
      const column = lowerIndexedColumn(indexes.first_expression[i]);
      const { relation } = visible;
      if (column && relation.columns.some((c) => c.name === column))
        relation.lowerIndexed = [...new Set([...(relation.lowerIndexed ?? []), column])];
    }
    if (!indexes.is_unique[i] || keys.includes(0)) continue;
    const columns = namesOf(visible, keys);
    if (columns) addKey(visible, columns);
  }

  const lifted = liftPartitionKeys(rows.partitionKeys);
  for (const [relid, columns] of lifted.leading) {
    const visible = visibleByOid.get(relid);
    if (visible) for (const column of columns) if (column) visible.leading.add(column);
  }
  for (const fk of lifted.foreignKeys) {
    const relation = visibleByOid.get(fk.root)?.relation;
    if (!relation) continue;
    const target = visibleByOid.get(fk.targetRelid);
    const targetColumns = target && namesOf(target, fk.targetColumns);
    if (!target || !targetColumns) continue;
    foreignKeys.push({
      name: fk.name,
      from: { schema: relation.schema, table: relation.table, columns: fk.columns },
      to: { schema: target.relation.schema, table: target.relation.table, columns: targetColumns },
    });
  }

  const relations: CatalogRelation[] = [];
  for (const { relation, keys, leading } of visibleByOid.values()) {
    const pk = relation.primaryKey;
    relation.uniqueKeys = keys.filter(
      (key) => !(key.length === pk.length && key.every((c) => pk.includes(c))),
    );
    relation.leadingColumns = [...leading];
    relations.push(relation);
  }
  return { defaultSchema: 'public', relations, foreignKeys };
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
