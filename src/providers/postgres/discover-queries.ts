/**
 * The pg_catalog queries of PostgreSQL discovery, sent as one multi-statement string: one round
 * trip, which matters far more than server time once the database sits across a network.
 *
 * Candidate relation: a table, partitioned table (the parent only), view, materialized view or
 * foreign table outside the system schemas. Visible relation: a candidate in a schema the user may
 * USE, with SELECT on some column. Only RELATIONS_SQL pays for the privilege checks; the other
 * queries read every candidate and the client keeps the visible ones (pg_catalog is readable by
 * every role, so nothing is revealed that the role could not query itself).
 *
 * Column-wise answers: the statements with thousands of rows (columns, keys, indexes) answer one
 * row holding one JSON array per field, aligned by position (the aggregates of one query read the
 * same rows in the same order). On a 1,000-table schema, node-postgres spent more time cutting
 * 20,000 rows into 150,000 strings and objects than the server spent finding them; JSON.parse of a
 * few arrays costs a tenth of that, and the server's json_agg a few milliseconds more. Oids go out
 * as int8: json_agg writes an oid as a string. Zero input rows make every array null.
 */

const CANDIDATE_FILTER = `c.relkind in ('r', 'p', 'v', 'm', 'f')
    and not c.relispartition
    and n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname !~ '^pg_(toast|temp_)'`;

export const CANDIDATE_RELATIONS = `candidate as materialized (
  select c.oid
  from pg_catalog.pg_class c
  join pg_catalog.pg_namespace n on n.oid = c.relnamespace
  where ${CANDIDATE_FILTER}
)`;

const PG_CLASS = `'pg_catalog.pg_class'::pg_catalog.regclass`;

/** One row per visible relation; privileges at table level (column grants come with the columns). */
export const RELATIONS_SQL = `select c.oid, n.nspname as schema, c.relname as table, c.relkind, c.relispopulated as populated,
  pg_catalog.has_table_privilege(c.oid, 'SELECT') as can_select,
  pg_catalog.has_table_privilege(c.oid, 'INSERT') as can_insert,
  pg_catalog.has_table_privilege(c.oid, 'UPDATE') as can_update,
  case when c.relkind in ('v', 'f') then pg_catalog.pg_relation_is_updatable(c.oid, false) end as events
from pg_catalog.pg_class c
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where ${CANDIDATE_FILTER}
  and pg_catalog.has_schema_privilege(n.oid, 'USAGE')
  and pg_catalog.has_any_column_privilege(c.oid, 'SELECT')`;

/**
 * Columns of candidate relations (column-wise), in no particular order (sorting 12,000 columns is
 * the client's cheap job). Type details come once per type from TYPES_SQL, comments from
 * COMMENTS_SQL. Column privileges are only computed where a column has its own ACL (attacl):
 * otherwise the table-level privilege applies.
 */
export const COLUMNS_SQL = `with ${CANDIDATE_RELATIONS}
select pg_catalog.json_agg(a.attrelid::int8) as relid, pg_catalog.json_agg(a.attnum) as attnum,
  pg_catalog.json_agg(a.attname) as name, pg_catalog.json_agg(a.attnotnull) as not_null,
  pg_catalog.json_agg(a.atthasdef) as has_default, pg_catalog.json_agg(a.attidentity) as identity,
  pg_catalog.json_agg(a.attgenerated) as generated, pg_catalog.json_agg(a.atttypid::int8) as type_oid,
  pg_catalog.json_agg(pg_catalog.format_type(a.atttypid, a.atttypmod)) as native_type,
  pg_catalog.json_agg(case when a.attacl is not null then pg_catalog.concat(
    pg_catalog.has_column_privilege(a.attrelid, a.attnum, 'SELECT')::int,
    pg_catalog.has_column_privilege(a.attrelid, a.attnum, 'INSERT')::int,
    pg_catalog.has_column_privilege(a.attrelid, a.attnum, 'UPDATE')::int
  ) end) as privileges
from candidate
-- An index lookup per relation rather than a scan of every attribute of every index and system
-- table: OFFSET 0 keeps the planner from flattening the LATERAL subquery back into a join.
cross join lateral (
  select * from pg_catalog.pg_attribute x
  where x.attrelid = candidate.oid and x.attnum > 0 and not x.attisdropped offset 0
) a`;

/**
 * Primary, unique and foreign keys (column-wise). pg_constraint is readable by every role, unlike
 * information_schema's constraint views, which hide keys from a SELECT-only role. conparentid <> 0
 * rows are the per-partition clones of a parent's constraint.
 */
export const CONSTRAINTS_SQL = `with ${CANDIDATE_RELATIONS}
select pg_catalog.json_agg(con.conrelid::int8) as relid, pg_catalog.json_agg(con.conname) as name,
  pg_catalog.json_agg(con.contype) as type, pg_catalog.json_agg(con.conkey) as columns,
  pg_catalog.json_agg(con.confrelid::int8) as target_relid,
  pg_catalog.json_agg(con.confkey) as target_columns
from candidate
join pg_catalog.pg_constraint con on con.conrelid = candidate.oid
where con.contype in ('p', 'u', 'f') and con.conparentid = 0`;

/**
 * Valid indexes with their access method (column-wise). indkey lists key columns then INCLUDE
 * columns; 0 marks an expression, whose text comes along for the first key (`lower((email)::text)`:
 * a case-insensitive filter can use it). Partial indexes come back flagged so they can be ignored.
 */
export const INDEXES_SQL = `with ${CANDIDATE_RELATIONS}
select pg_catalog.json_agg(i.indrelid::int8) as relid, pg_catalog.json_agg(i.indkey) as columns,
  pg_catalog.json_agg(i.indnkeyatts) as key_count, pg_catalog.json_agg(i.indisunique) as is_unique,
  pg_catalog.json_agg(i.indpred is not null) as partial, pg_catalog.json_agg(am.amname) as method,
  pg_catalog.json_agg(case when i.indkey[0] = 0 then pg_catalog.pg_get_indexdef(i.indexrelid, 1, false) end)
    as first_expression
from candidate
join pg_catalog.pg_index i on i.indrelid = candidate.oid
join pg_catalog.pg_class ic on ic.oid = i.indexrelid
join pg_catalog.pg_am am on am.oid = ic.relam
where i.indisvalid and i.indislive`;

/**
 * Every type a column can have, composite types aside: those include one row type per table (and
 * its array type), thousands on a large schema, and the client reads any type missing here as a
 * composite. Enums come with their labels; domains and arrays point at their base and element.
 */
export const TYPES_SQL = `select t.oid, t.typname, t.typtype, t.typcategory, t.typelem, t.typbasetype,
  case when t.typtype = 'e' then (
    select pg_catalog.array_agg(l.enumlabel::text order by l.enumsortorder)
    from pg_catalog.pg_enum l where l.enumtypid = t.oid
  ) end as labels
from pg_catalog.pg_type t
left join pg_catalog.pg_type e on t.typcategory = 'A' and e.oid = t.typelem
where t.typtype <> 'c' and (e.typtype is null or e.typtype <> 'c')`;

/**
 * Table and column comments, joined on the client: few in most databases, and a join in the
 * columns query risks a nested loop over all of them whenever pg_description's statistics are stale.
 */
export const COMMENTS_SQL = `with ${CANDIDATE_RELATIONS}
select d.objoid as relid, d.objsubid as attnum, d.description as comment
from candidate
join pg_catalog.pg_description d on d.objoid = candidate.oid and d.classoid = ${PG_CLASS}`;

export const DISCOVERY_STATEMENTS = [
  RELATIONS_SQL,
  COLUMNS_SQL,
  CONSTRAINTS_SQL,
  INDEXES_SQL,
  TYPES_SQL,
  COMMENTS_SQL,
];
