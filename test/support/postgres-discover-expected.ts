/**
 * Test support: what discovery must find, computed from PostgreSQL's own catalog by a different
 * route than discovery takes (information_schema, pg_indexes' index definitions, SELECT … LIMIT 0),
 * so a bug in discovery's pg_catalog queries cannot hide in its own check.
 */
import type pg from 'pg';
import type { FieldType } from '../../src/providers/types.ts';
import type { ExpectedCatalog, ExpectedForeignKey, ExpectedRelation } from './sql-catalog-check.ts';

const DATA_TYPES: Record<string, FieldType> = {
  smallint: 'integer',
  integer: 'integer',
  bigint: 'integer',
  numeric: 'number',
  real: 'number',
  'double precision': 'number',
  money: 'number',
  boolean: 'boolean',
  date: 'date',
  'timestamp without time zone': 'datetime',
  'timestamp with time zone': 'datetime',
  'time without time zone': 'time',
  'time with time zone': 'time',
  json: 'json',
  jsonb: 'json',
  uuid: 'uuid',
  bytea: 'binary',
};
const UDT_NAMES: Record<string, string> = {
  int2: 'smallint',
  int4: 'integer',
  int8: 'bigint',
  float4: 'real',
  float8: 'double precision',
  bool: 'boolean',
  timestamp: 'timestamp without time zone',
  timestamptz: 'timestamp with time zone',
  time: 'time without time zone',
};
const SYSTEM = `('pg_catalog', 'information_schema', 'pg_toast')`;

/** Splits the key list of an index definition at top-level commas, honouring quotes and parentheses. */
function keyList(body: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = '';
  for (const ch of body) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === '(') depth++;
    else if (!quoted && ch === ')' && depth-- === 0) break;
    else if (!quoted && ch === ',' && depth === 0) {
      keys.push(current.trim());
      current = '';
      continue;
    }
    current += ch;
  }
  keys.push(current.trim());
  return keys;
}

/** First key column and access method of a `CREATE INDEX` definition; first is null for an expression. */
export function parseIndexDefinition(def: string) {
  const m = /^CREATE (UNIQUE )?INDEX .*? USING (\w+) \((.*)$/.exec(def)!;
  const keys = keyList(m[3]);
  const head = keys[0];
  const quoted = /^"((?:[^"]|"")*)"(?:\s|$)/.exec(head);
  const plain = /^([^\s"(]+)(?:\s|$)/.exec(head);
  const first = quoted ? quoted[1].replace(/""/g, '"') : plain ? plain[1] : null;
  return {
    unique: Boolean(m[1]),
    method: m[2],
    first,
    singleColumn: keys.length === 1 && first !== null,
    partial: / WHERE /.test(def),
  };
}

const key = (schema: string, table: string) => `${schema}.${table}`;

export async function expectedCatalog(client: pg.Client): Promise<ExpectedCatalog> {
  const q = async (sql: string) => (await client.query(sql)).rows;
  const partitions = new Set(
    (
      await q(`select n.nspname, c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid
      join pg_namespace n on n.oid = c.relnamespace join pg_partitioned_table p on p.partrelid = i.inhparent`)
    ).map((r) => key(r.nspname, r.relname)),
  );
  const relations = new Map<string, ExpectedRelation>();
  const add = (schema: string, table: string, kind: 'table' | 'view') => {
    if (partitions.has(key(schema, table))) return;
    relations.set(key(schema, table), {
      schema,
      table,
      kind,
      columns: [],
      primaryKey: [],
      unique: new Set(),
      leading: new Set(),
    });
  };
  for (const r of await q(`select table_schema, table_name, table_type from information_schema.tables
      where table_schema not in ${SYSTEM} and table_schema not like 'pg_temp%'`)) {
    add(r.table_schema, r.table_name, r.table_type === 'VIEW' ? 'view' : 'table');
  }
  const matviews = await q(
    `select schemaname, matviewname from pg_matviews where schemaname not in ${SYSTEM}`,
  );
  for (const r of matviews) add(r.schemaname, r.matviewname, 'view');

  const enums = new Map<string, string[]>();
  for (const r of await q(`select n.nspname, t.typname from pg_type t join pg_namespace n on n.oid = t.typnamespace
      where t.typtype = 'e'`)) {
    const values = await q(`select unnest(enum_range(null::"${r.nspname}"."${r.typname}"))::text as v`);
    enums.set(
      r.typname,
      values.map((v) => v.v),
    );
  }
  for (const r of await q(`select table_schema, table_name, column_name, is_nullable, data_type, udt_name, domain_name
      from information_schema.columns where table_schema not in ${SYSTEM} order by table_schema, table_name, ordinal_position`)) {
    const relation = relations.get(key(r.table_schema, r.table_name));
    if (!relation) continue;
    const isArray = r.data_type === 'ARRAY';
    const udt = isArray ? r.udt_name.slice(1) : r.udt_name;
    const dataType = isArray ? (UDT_NAMES[udt] ?? udt) : r.data_type;
    const enumValues = enums.get(udt);
    relation.columns.push({
      name: r.column_name,
      type:
        enumValues && (isArray || r.data_type === 'USER-DEFINED')
          ? 'enum'
          : (DATA_TYPES[dataType] ?? 'string'),
      isArray,
      nullable: r.is_nullable === 'YES',
      domain: r.domain_name,
      ...(enumValues ? { enumValues } : {}),
    });
  }
  // information_schema leaves materialized views out, and SELECT … LIMIT 0 fails on an unpopulated
  // one (Pagila's): their column names come from pg_attribute.
  for (const r of matviews) {
    const columns =
      await q(`select attname from pg_attribute where attrelid = '"${r.schemaname}"."${r.matviewname}"'::regclass
      and attnum > 0 and not attisdropped order by attnum`);
    relations.get(key(r.schemaname, r.matviewname))!.columns = columns.map((c) => ({
      name: c.attname,
      type: 'string',
      isArray: false,
      nullable: null,
      domain: null,
    }));
  }
  for (const r of await q(`select tc.table_schema, tc.table_name, tc.constraint_type, tc.constraint_name,
      array_agg(k.column_name::text order by k.ordinal_position) as columns
      from information_schema.table_constraints tc
      join information_schema.key_column_usage k on k.constraint_schema = tc.constraint_schema
        and k.constraint_name = tc.constraint_name and k.table_name = tc.table_name
      where tc.constraint_type in ('PRIMARY KEY', 'UNIQUE') and tc.table_schema not in ${SYSTEM}
      group by 1, 2, 3, 4`)) {
    const relation = relations.get(key(r.table_schema, r.table_name));
    if (!relation) continue;
    if (r.constraint_type === 'PRIMARY KEY') relation.primaryKey = r.columns;
    if (r.columns.length === 1) relation.unique.add(r.columns[0]);
    relation.leading.add(r.columns[0]);
  }

  const leafIndexes = new Map<string, Map<string, Set<string>>>(); // parent → column → leaves
  const parents = new Map<string, string>();
  for (const r of await q(`select n.nspname, c.relname, pn.nspname as parent_schema, p.relname as parent
      from pg_inherits i join pg_class c on c.oid = i.inhrelid join pg_namespace n on n.oid = c.relnamespace
      join pg_class p on p.oid = i.inhparent join pg_namespace pn on pn.oid = p.relnamespace where c.relkind = 'r'`)) {
    parents.set(key(r.nspname, r.relname), key(r.parent_schema, r.parent));
  }
  for (const r of await q(
    `select schemaname, tablename, indexdef from pg_indexes where schemaname not in ${SYSTEM}`,
  )) {
    const def = parseIndexDefinition(r.indexdef);
    if (def.partial) continue;
    const equality = (def.method === 'btree' || def.method === 'hash') && def.first;
    const relation = relations.get(key(r.schemaname, r.tablename));
    if (relation) {
      if (equality) relation.leading.add(def.first!);
      if (def.unique && def.singleColumn && def.first) relation.unique.add(def.first);
      continue;
    }
    const parent = parents.get(key(r.schemaname, r.tablename));
    if (!parent || !equality) continue;
    const byColumn = leafIndexes.get(parent) ?? new Map<string, Set<string>>();
    byColumn.set(def.first!, (byColumn.get(def.first!) ?? new Set()).add(r.tablename));
    leafIndexes.set(parent, byColumn);
  }
  for (const [parent, byColumn] of leafIndexes) {
    const leaves = [...parents.values()].filter((p) => p === parent).length;
    for (const [column, seen] of byColumn)
      if (seen.size === leaves) relations.get(parent)?.leading.add(column);
  }

  const fks = new Map<string, ExpectedForeignKey>();
  for (const r of await q(`select rc.constraint_schema, rc.constraint_name, k.table_schema, k.table_name, k.column_name,
      u.table_schema as ref_schema, u.table_name as ref_table, u.column_name as ref_column
      from information_schema.referential_constraints rc
      join information_schema.key_column_usage k on k.constraint_schema = rc.constraint_schema and k.constraint_name = rc.constraint_name
      join information_schema.key_column_usage u on u.constraint_schema = rc.unique_constraint_schema
        and u.constraint_name = rc.unique_constraint_name and u.ordinal_position = k.position_in_unique_constraint
      where rc.constraint_schema not in ${SYSTEM} order by k.table_schema, k.table_name, rc.constraint_name, k.ordinal_position`)) {
    if (!relations.has(key(r.ref_schema, r.ref_table))) continue;
    const parent = parents.get(key(r.table_schema, r.table_name));
    if (!relations.has(key(r.table_schema, r.table_name)) && !parent) continue;
    const id = `${r.table_schema}.${r.table_name}.${r.constraint_name}`;
    const fk: ExpectedForeignKey = fks.get(id) ?? {
      from: { schema: r.table_schema, table: r.table_name, columns: [] },
      to: { schema: r.ref_schema, table: r.ref_table, columns: [] },
    };
    fk.from.columns.push(r.column_name);
    fk.to.columns.push(r.ref_column);
    fks.set(id, fk);
  }
  // A key declared on every leaf partition stands for the parent, which is all discovery shows.
  const onLeaves = new Map<string, { fk: ExpectedForeignKey; leaves: number }>();
  for (const [id, fk] of fks) {
    const parent = parents.get(key(fk.from.schema, fk.from.table));
    if (!parent) continue;
    fks.delete(id);
    const [schema, table] = [relations.get(parent)!.schema, relations.get(parent)!.table];
    const lifted = { from: { schema, table, columns: fk.from.columns }, to: fk.to };
    const signature = JSON.stringify(lifted);
    onLeaves.set(signature, { fk: lifted, leaves: (onLeaves.get(signature)?.leaves ?? 0) + 1 });
  }
  for (const [signature, { fk, leaves }] of onLeaves) {
    const parent = key(fk.from.schema, fk.from.table);
    if (leaves === [...parents.values()].filter((p) => p === parent).length) fks.set(signature, fk);
  }
  return { relations: [...relations.values()], foreignKeys: [...fks.values()] };
}
