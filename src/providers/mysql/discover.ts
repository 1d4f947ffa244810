/**
 * MySQL/MariaDB discovery from information_schema, one constant-schema query per catalog view.
 *
 * Privilege rule: information_schema only lists tables the user holds some privilege on, and
 * COLUMNS.PRIVILEGES gives the user's effective privileges per column (USER_PRIVILEGES,
 * SCHEMA_PRIVILEGES, TABLE_PRIVILEGES and COLUMN_PRIVILEGES merged by the server, active roles
 * included). A relation is returned when at least one column carries `select`; its fields are the
 * columns carrying `select`; `insert` and `update` on a column come from the same list.
 * Views accept UPDATE when VIEWS.IS_UPDATABLE says so, and never get an insert operation: MySQL
 * does not expose whether an updatable view is also insertable.
 * MariaDB limitation: a user holding only column-level grants on a table does not see that table's
 * foreign keys in information_schema (nor may it run SHOW CREATE TABLE), so those are not related.
 */
import { buildNormalizedSchema } from '../sql-common/build-schema.ts';
import type { Catalog, CatalogColumn, CatalogForeignKey, CatalogRelation } from '../sql-common/catalog.ts';
import { mapMysqlType, parseMysqlEnumValues } from '../sql-common/type-mapping.ts';
import type { NormalizedSchema } from '../types.ts';
import {
  COLUMNS_SQL,
  FOREIGN_KEYS_SQL,
  INDEXES_SQL,
  MARIADB_JSON_CHECKS_SQL,
  TABLES_SQL,
  VIEWS_SQL,
} from './discover-queries.ts';

/** What discovery needs of a mysql2/promise Connection or Pool. */
export interface MysqlQueryable {
  query(sql: string, values?: unknown[]): Promise<[unknown, unknown]>;
}

// mysql2 hands some information_schema columns back as Buffers on MySQL 8 (binary collations).
const text = (value: unknown): string | null =>
  value == null ? null : Buffer.isBuffer(value) ? value.toString('utf8') : String(value);

const GENERATED = /\b(VIRTUAL|STORED|PERSISTENT) GENERATED\b/i;

// One shared privileges object per combination rather than one per column.
const PRIVILEGE_SETS = new Map<string, CatalogColumn['privileges']>();
function privilegesOf(list: string) {
  let privileges = PRIVILEGE_SETS.get(list);
  if (!privileges) {
    // The list holds whole words (select,insert,update,references): no word contains another.
    privileges = {
      select: list.includes('select'),
      insert: list.includes('insert'),
      update: list.includes('update'),
    };
    PRIVILEGE_SETS.set(list, privileges);
  }
  return privileges;
}

function buildColumn(row: any, table: string, jsonColumns: Set<string>): CatalogColumn {
  const name = text(row.name)!;
  const dataType = text(row.data_type)!.toLowerCase();
  const columnType = text(row.column_type)!;
  const extra = text(row.extra) ?? '';
  const defaultValue = text(row.default_value);
  const generated = extra !== '' && GENERATED.test(extra);
  const isJson = dataType === 'longtext' && jsonColumns.has(`${table}.${name}`);
  const column: CatalogColumn = {
    name,
    type: isJson ? 'json' : mapMysqlType(dataType, columnType),
    nativeType: columnType,
    nullable: text(row.nullable) === 'YES',
    // MariaDB spells an explicit DEFAULT NULL as the string 'NULL': no value to rely on.
    hasDefault:
      (extra !== '' && /auto_increment/i.test(extra)) ||
      generated ||
      (defaultValue !== null && defaultValue !== 'NULL'),
    generated,
    writable: !generated,
    comment: text(row.comment) || null,
    privileges: privilegesOf(text(row.privileges) ?? ''),
  };
  if (dataType === 'enum') column.enumValues = parseMysqlEnumValues(columnType);
  return column;
}

function jsonColumnsOf(rows: any[]): Set<string> {
  const columns = new Set<string>();
  for (const row of rows) {
    for (const match of (text(row.clause) ?? '').matchAll(/json_valid\(`?([^`)]+)`?\)/gi)) {
      columns.add(`${text(row.table_name)}.${match[1]}`);
    }
  }
  return columns;
}

/** Builds the engine-neutral catalog from the information_schema result sets. */
export function catalogFromMysqlRows(
  database: string,
  rows: {
    tables: any[];
    columns: any[];
    indexes: any[];
    foreignKeys: any[];
    views: any[];
    jsonChecks: any[];
  },
): Catalog {
  const jsonColumns = jsonColumnsOf(rows.jsonChecks);
  const updatableViews = new Set(
    rows.views.filter((v) => text(v.updatable) === 'YES').map((v) => text(v.name)),
  );
  const relations = new Map<string, CatalogRelation>();
  for (const row of rows.tables) {
    const type = text(row.type);
    if (type === 'SEQUENCE') continue;
    const name = text(row.name)!;
    const isView = type === 'VIEW' || type === 'SYSTEM VIEW';
    relations.set(name, {
      schema: database,
      table: name,
      kind: isView ? 'view' : 'table',
      comment: isView ? null : text(row.comment) || null,
      columns: [],
      primaryKey: [],
      uniqueKeys: [],
      leadingColumns: [],
      accepts: { insert: !isView, update: !isView || updatableViews.has(name) },
      meta: isView ? { relkind: 'view', updatable: updatableViews.has(name) } : { relkind: 'table' },
    });
  }
  const positions = new Map<CatalogColumn, number>();
  for (const row of rows.columns) {
    const table = text(row.table_name)!;
    const relation = relations.get(table);
    if (!relation) continue;
    const column = buildColumn(row, table, jsonColumns);
    positions.set(column, Number(row.position));
    relation.columns.push(column);
  }
  // information_schema promises no order: put each table's columns in their declared order.
  for (const relation of relations.values())
    relation.columns.sort((a, b) => positions.get(a)! - positions.get(b)!);

  const indexes = new Map<
    string,
    { table: string; name: string; unique: boolean; type: string; columns: (string | null)[] }
  >();
  for (const row of rows.indexes) {
    const id = `${text(row.table_name)}\u0000${text(row.index_name)}`;
    const index = indexes.get(id) ?? {
      table: text(row.table_name)!,
      name: text(row.index_name)!,
      unique: Number(row.non_unique) === 0,
      type: (text(row.index_type) ?? '').toUpperCase(),
      columns: [],
    };
    // MySQL 8 functional key parts have no COLUMN_NAME.
    index.columns[Number(row.seq) - 1] = text(row.column_name);
    indexes.set(id, index);
  }
  for (const index of indexes.values()) {
    const relation = relations.get(index.table);
    if (!relation) continue;
    const columns = index.columns.filter((c): c is string => c != null);
    const plain = columns.length === index.columns.length;
    // FULLTEXT and SPATIAL indexes answer MATCH/geometry predicates, not `column = ?`.
    if (index.columns[0] && (index.type === 'BTREE' || index.type === 'HASH'))
      relation.leadingColumns.push(index.columns[0]);
    if (index.name === 'PRIMARY') relation.primaryKey = columns;
    else if (index.unique && plain) relation.uniqueKeys.push(columns);
  }

  const foreignKeys = new Map<string, CatalogForeignKey & { positions: number[] }>();
  for (const row of rows.foreignKeys) {
    const id = `${text(row.table_name)}\u0000${text(row.name)}`;
    const fk = foreignKeys.get(id) ?? {
      name: text(row.name)!,
      from: { schema: database, table: text(row.table_name)!, columns: [] },
      to: { schema: text(row.ref_schema)!, table: text(row.ref_table)!, columns: [] },
      positions: [],
    };
    const at = Number(row.position) - 1;
    fk.from.columns[at] = text(row.column_name)!;
    fk.to.columns[at] = text(row.ref_column)!;
    foreignKeys.set(id, fk);
  }
  for (const relation of relations.values()) relation.leadingColumns = [...new Set(relation.leadingColumns)];
  return {
    defaultSchema: database,
    relations: [...relations.values()],
    foreignKeys: [...foreignKeys.values()].map(({ positions: _, ...fk }) => fk),
  };
}

/** Reads every table and view of `database` the connected user can SELECT from. */
export async function discoverMysql(conn: MysqlQueryable, database: string): Promise<NormalizedSchema> {
  const rowsOf = async (sql: string, names?: string[]) =>
    (await conn.query(sql, names ? [database, names] : [database]))[0] as any[];
  // On a pool these run side by side; on one connection, one after the other.
  const [versionRows, tables, columns, indexes, foreignKeys] = await Promise.all([
    rowsOf('select version() as version'),
    rowsOf(TABLES_SQL),
    rowsOf(COLUMNS_SQL),
    rowsOf(INDEXES_SQL),
    rowsOf(FOREIGN_KEYS_SQL),
  ]);
  const mariadb = /mariadb/i.test(text(versionRows[0]?.version) ?? '');
  const viewNames = tables.filter((t) => text(t.type) === 'VIEW').map((t) => text(t.name)!);
  const longtextTables = [
    ...new Set(columns.filter((c) => text(c.data_type) === 'longtext').map((c) => text(c.table_name)!)),
  ];
  const [views, jsonChecks] = await Promise.all([
    viewNames.length > 0 ? rowsOf(VIEWS_SQL, viewNames) : [],
    mariadb && longtextTables.length > 0 ? rowsOf(MARIADB_JSON_CHECKS_SQL, longtextTables) : [],
  ]);
  const catalog = catalogFromMysqlRows(database, {
    tables,
    columns,
    indexes,
    foreignKeys,
    views,
    jsonChecks,
  });
  // information_schema lists tables the user holds any privilege on; only readable ones are objects.
  catalog.relations = catalog.relations.filter((r) => r.columns.some((c) => c.privileges.select));
  return buildNormalizedSchema(catalog);
}
