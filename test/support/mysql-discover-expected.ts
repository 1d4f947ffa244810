/**
 * Test support: what MySQL/MariaDB discovery must find, read through SHOW statements and SHOW CREATE
 * TABLE rather than the information_schema queries discovery uses.
 */
import type { Connection } from 'mysql2/promise';
import type { FieldType } from '../../src/providers/types.ts';
import type { ExpectedCatalog, ExpectedForeignKey, ExpectedRelation } from './sql-catalog-check.ts';

/** Field type from SHOW COLUMNS' `Type` text (`smallint(5) unsigned`, `enum('a','b')`…). */
export function typeFromShowColumns(type: string, json: boolean): FieldType {
  const base = /^[a-z]+/.exec(type.toLowerCase())![0];
  if (json || base === 'json') return 'json';
  if (type.toLowerCase().startsWith('tinyint(1)')) return 'boolean';
  if (/^(tinyint|smallint|mediumint|int|bigint|year|bit)$/.test(base)) return 'integer';
  if (/^(decimal|numeric|float|double|real)$/.test(base)) return 'number';
  if (base === 'date') return 'date';
  if (base === 'datetime' || base === 'timestamp') return 'datetime';
  if (base === 'time') return 'time';
  if (base === 'enum') return 'enum';
  if (base === 'uuid') return 'uuid';
  if (/blob$|binary$|^geometry|^point|^linestring|^polygon|^multi/.test(base)) return 'binary';
  return 'string';
}

const names = (list: string) => [...list.matchAll(/`((?:[^`]|``)*)`/g)].map((m) => m[1].replace(/``/g, '`'));

export async function expectedMysqlCatalog(conn: Connection, database: string): Promise<ExpectedCatalog> {
  const q = async (sql: string) => (await conn.query(sql))[0] as any[];
  const db = conn.escapeId(database);
  const relations: ExpectedRelation[] = [];
  const foreignKeys: ExpectedForeignKey[] = [];
  for (const row of await q(`show full tables from ${db}`)) {
    const table = row[`Tables_in_${database}`] as string;
    const kind = row.Table_type === 'VIEW' ? 'view' : 'table';
    if (row.Table_type === 'SEQUENCE') continue;
    const id = `${db}.${conn.escapeId(table)}`;
    const create = (await q(`show create ${kind === 'view' ? 'view' : 'table'} ${id}`))[0];
    const ddl: string = create['Create Table'] ?? create['Create View'] ?? '';
    const json = new Set([...ddl.matchAll(/json_valid\(`([^`]+)`\)/g)].map((m) => m[1]));
    const columns = await q(`show full columns from ${id}`);
    const relation: ExpectedRelation = {
      schema: database,
      table,
      kind,
      columns: columns.map((c) => ({
        name: c.Field,
        type: typeFromShowColumns(c.Type, json.has(c.Field)),
        isArray: false,
        nullable: c.Null === 'YES',
        domain: null,
        ...(c.Type.startsWith('enum(')
          ? {
              enumValues: names(c.Type.replace(/'((?:[^']|'')*)'/g, '`$1`')).map((v) =>
                v.replace(/''/g, "'"),
              ),
            }
          : {}),
      })),
      primaryKey: [],
      unique: new Set(),
      leading: new Set(),
    };
    relations.push(relation);
    if (kind === 'view') continue;
    const indexes = new Map<string, any[]>();
    for (const ix of await q(`show index from ${id}`))
      indexes.set(ix.Key_name, [...(indexes.get(ix.Key_name) ?? []), ix]);
    for (const [name, parts] of indexes) {
      parts.sort((a, b) => a.Seq_in_index - b.Seq_in_index);
      const first = parts[0];
      if (first.Column_name && (first.Index_type === 'BTREE' || first.Index_type === 'HASH'))
        relation.leading.add(first.Column_name);
      if (name === 'PRIMARY') relation.primaryKey = parts.map((p) => p.Column_name);
      if (Number(first.Non_unique) === 0 && parts.length === 1 && first.Column_name)
        relation.unique.add(first.Column_name);
    }
    for (const m of ddl.matchAll(/FOREIGN KEY \(([^)]*)\) REFERENCES (`[^`]+`(?:\.`[^`]+`)?) \(([^)]*)\)/g)) {
      const target = names(m[2]);
      foreignKeys.push({
        from: { schema: database, table, columns: names(m[1]) },
        to: {
          schema: target.length === 2 ? target[0] : database,
          table: target[target.length - 1],
          columns: names(m[3]),
        },
      });
    }
  }
  return { relations, foreignKeys };
}
