/**
 * The pg_catalog query of PostgreSQL discovery: one statement, so one round trip (which matters far
 * more than server time once the database sits across a network) and one snapshot of the catalog
 * without a transaction around it.
 *
 * Visible relation: a table, partitioned table (the parent only), view, materialized view or foreign
 * table outside the system schemas, in a schema the user may USE, with SELECT on some column. They
 * are found once (VISIBLE_RELATIONS, where the privilege checks run) and every part of the answer
 * reads from them: as five separate statements, each scanned pg_class again (some 3 ms of server
 * CPU each on 1,000 tables, a third of the server's work), and each was parsed and planned.
 *
 * Each part is one JSON value. Column-wise parts (columns, keys, indexes: thousands of rows) are
 * one JSON array per field, aligned by position (the aggregates of one query read the same rows in
 * the same order); node-postgres spent more time cutting 20,000 rows into 150,000 strings and
 * objects than the server spent finding them, and JSON.parse of a few arrays costs a tenth of that.
 * The small parts are arrays of row objects. Oids go out as int8: JSON writes an oid as a string.
 * No rows make a part, or each array of a column-wise part, null.
 */
import { PARTITION_KEYS } from './discover-partitions.ts';

const PG_CLASS = `'pg_catalog.pg_class'::pg_catalog.regclass`;

/** Privileges at table level (column grants come with the columns). */
const VISIBLE_RELATIONS = `visible as materialized (
  select c.oid, n.nspname as schema, c.relname as table, c.relkind, c.relispopulated as populated,
    pg_catalog.has_table_privilege(c.oid, 'SELECT') as can_select,
    pg_catalog.has_table_privilege(c.oid, 'INSERT') as can_insert,
    pg_catalog.has_table_privilege(c.oid, 'UPDATE') as can_update,
    case when c.relkind in ('v', 'f') then pg_catalog.pg_relation_is_updatable(c.oid, false) end as events
  from pg_catalog.pg_class c
  join pg_catalog.pg_namespace n on n.oid = c.relnamespace
  where c.relkind in ('r', 'p', 'v', 'm', 'f')
    and not c.relispartition
    and n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname !~ '^pg_(toast|temp_)'
    and pg_catalog.has_schema_privilege(n.oid, 'USAGE')
    and pg_catalog.has_any_column_privilege(c.oid, 'SELECT')
)`;

/** Row objects, one per visible relation. */
const RELATIONS = `select pg_catalog.json_agg(r) from (
  select v.oid::int8 as oid, v.schema, v.table, v.relkind, v.populated, v.can_select, v.can_insert,
    v.can_update, v.events
  from visible v
) r`;

/**
 * Columns (column-wise), in no particular order (sorting 12,000 columns is the client's cheap job).
 * Type details come once per type from TYPES, comments from COMMENTS. Column privileges are only
 * computed where a column has its own ACL (attacl): otherwise the table-level privilege applies.
 */
const COLUMNS = `select pg_catalog.json_build_object(
  'relid', pg_catalog.json_agg(a.attrelid::int8), 'attnum', pg_catalog.json_agg(a.attnum),
  'name', pg_catalog.json_agg(a.attname), 'not_null', pg_catalog.json_agg(a.attnotnull),
  'has_default', pg_catalog.json_agg(a.atthasdef), 'identity', pg_catalog.json_agg(a.attidentity),
  'generated', pg_catalog.json_agg(a.attgenerated), 'type_oid', pg_catalog.json_agg(a.atttypid::int8),
  'native_type', pg_catalog.json_agg(pg_catalog.format_type(a.atttypid, a.atttypmod)),
  'privileges', pg_catalog.json_agg(case when a.attacl is not null then pg_catalog.concat(
    pg_catalog.has_column_privilege(a.attrelid, a.attnum, 'SELECT')::int,
    pg_catalog.has_column_privilege(a.attrelid, a.attnum, 'INSERT')::int,
    pg_catalog.has_column_privilege(a.attrelid, a.attnum, 'UPDATE')::int
  ) end))
from visible v
-- An index lookup per relation rather than a scan of every attribute of every index and system
-- table: OFFSET 0 keeps the planner from flattening the LATERAL subquery back into a join.
cross join lateral (
  select * from pg_catalog.pg_attribute x
  where x.attrelid = v.oid and x.attnum > 0 and not x.attisdropped offset 0
) a`;

/**
 * Primary, unique and foreign keys (column-wise). pg_constraint is readable by every role, unlike
 * information_schema's constraint views, which hide keys from a SELECT-only role. conparentid <> 0
 * rows are the per-partition clones of a parent's constraint.
 */
const CONSTRAINTS = `select pg_catalog.json_build_object(
  'relid', pg_catalog.json_agg(con.conrelid::int8), 'name', pg_catalog.json_agg(con.conname),
  'type', pg_catalog.json_agg(con.contype), 'columns', pg_catalog.json_agg(con.conkey),
  'target_relid', pg_catalog.json_agg(con.confrelid::int8),
  'target_columns', pg_catalog.json_agg(con.confkey))
from visible v
join pg_catalog.pg_constraint con on con.conrelid = v.oid
where con.contype in ('p', 'u', 'f') and con.conparentid = 0`;

/**
 * Valid indexes with their access method (column-wise). indkey lists key columns then INCLUDE
 * columns; 0 marks an expression, whose text comes along for the first key (`lower((email)::text)`:
 * a case-insensitive filter can use it). Partial indexes come back flagged so they can be ignored.
 * The access method comes through the first key's operator class (which belongs to the index's
 * method): a hash join with the small pg_opclass rather than a pg_class lookup per index.
 */
const INDEXES = `select pg_catalog.json_build_object(
  'relid', pg_catalog.json_agg(i.indrelid::int8), 'columns', pg_catalog.json_agg(i.indkey),
  'key_count', pg_catalog.json_agg(i.indnkeyatts), 'is_unique', pg_catalog.json_agg(i.indisunique),
  'partial', pg_catalog.json_agg(i.indpred is not null), 'method', pg_catalog.json_agg(am.amname),
  'first_expression', pg_catalog.json_agg(
    case when i.indkey[0] = 0 then pg_catalog.pg_get_indexdef(i.indexrelid, 1, false) end))
from visible v
join pg_catalog.pg_index i on i.indrelid = v.oid
join pg_catalog.pg_opclass opc on opc.oid = i.indclass[0]
join pg_catalog.pg_am am on am.oid = opc.opcmethod
where i.indisvalid and i.indislive`;

/**
 * Every type a column can have, composite types aside: those include one row type per table (and
 * its array type), thousands on a large schema, and the client reads any type missing here as a
 * composite. Enums come with their labels; domains and arrays point at their base and element.
 */
const TYPES = `select pg_catalog.json_agg(r) from (
  select t.oid::int8 as oid, t.typname, t.typtype, t.typcategory, t.typelem::int8 as typelem,
    t.typbasetype::int8 as typbasetype,
    case when t.typtype = 'e' then (
      select pg_catalog.array_agg(l.enumlabel::text order by l.enumsortorder)
      from pg_catalog.pg_enum l where l.enumtypid = t.oid
    ) end as labels
  from pg_catalog.pg_type t
  left join pg_catalog.pg_type e on t.typcategory = 'A' and e.oid = t.typelem
  where t.typtype <> 'c' and (e.typtype is null or e.typtype <> 'c')
) r`;

/**
 * Table and column comments, joined on the client: few in most databases, and a join in the
 * columns query risks a nested loop over all of them whenever pg_description's statistics are stale.
 */
const COMMENTS = `select pg_catalog.json_agg(r) from (
  select d.objoid::int8 as relid, d.objsubid as attnum, d.description as comment
  from visible v
  join pg_catalog.pg_description d on d.objoid = v.oid and d.classoid = ${PG_CLASS}
) r`;

/** The discovery statement: one row of JSON values, one per part. */
export const DISCOVERY_SQL = `with ${VISIBLE_RELATIONS}
select (${RELATIONS}) as relations,
  (${COLUMNS}) as columns,
  (${CONSTRAINTS}) as constraints,
  (${INDEXES}) as indexes,
  (${TYPES}) as types,
  (${COMMENTS}) as comments,
  (${PARTITION_KEYS}) as partition_keys`;
