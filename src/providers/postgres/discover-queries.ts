/**
 * The pg_catalog queries of PostgreSQL discovery. Each restates the visible-relation filter as a CTE
 * so the whole discovery goes to the server as one multi-statement string: one round trip, which
 * matters far more than server time once the database sits across a network.
 *
 * Visible relation: a table, partitioned table (the parent only), view, materialized view or foreign
 * table, outside the system schemas, in a schema the user may USE, with SELECT on some column.
 */

export const VISIBLE_RELATIONS = `visible as materialized (
  select c.oid
  from pg_catalog.pg_class c
  join pg_catalog.pg_namespace n on n.oid = c.relnamespace
  where c.relkind in ('r', 'p', 'v', 'm', 'f')
    and not c.relispartition
    and n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname !~ '^pg_(toast|temp_)'
    and pg_catalog.has_schema_privilege(n.oid, 'USAGE')
    and pg_catalog.has_any_column_privilege(c.oid, 'SELECT')
)`;

const PG_CLASS = `'pg_catalog.pg_class'::pg_catalog.regclass`;

/** One row per visible relation; privileges at table level (column grants come with the columns). */
export const RELATIONS_SQL = `with ${VISIBLE_RELATIONS}
select c.oid, n.nspname as schema, c.relname as table, c.relkind, c.relispopulated as populated,
  d.description as comment,
  pg_catalog.has_table_privilege(c.oid, 'SELECT') as can_select,
  pg_catalog.has_table_privilege(c.oid, 'INSERT') as can_insert,
  pg_catalog.has_table_privilege(c.oid, 'UPDATE') as can_update,
  case when c.relkind in ('v', 'f') then pg_catalog.pg_relation_is_updatable(c.oid, false) end as events
from visible
join pg_catalog.pg_class c on c.oid = visible.oid
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
left join pg_catalog.pg_description d on d.objoid = c.oid and d.classoid = ${PG_CLASS} and d.objsubid = 0`;

/**
 * Columns of visible relations. Column privileges are only computed where a column has its own ACL
 * (attacl): otherwise the table-level privilege applies, and skipping 3 function calls per column
 * is most of this query's cost on wide schemas.
 */
export const COLUMNS_SQL = `with ${VISIBLE_RELATIONS}
select a.attrelid as relid, a.attnum, a.attname as name, a.attnotnull as not_null,
  a.atthasdef as has_default, a.attidentity as identity, a.attgenerated as generated,
  pg_catalog.format_type(a.atttypid, a.atttypmod) as native_type,
  a.atttypid as type_oid, t.typname, t.typtype, t.typcategory,
  e.oid as elem_oid, e.typname as elem_name, e.typtype as elem_typtype,
  d.description as comment,
  case when a.attacl is not null then pg_catalog.has_column_privilege(a.attrelid, a.attnum, 'SELECT') end as col_select,
  case when a.attacl is not null then pg_catalog.has_column_privilege(a.attrelid, a.attnum, 'INSERT') end as col_insert,
  case when a.attacl is not null then pg_catalog.has_column_privilege(a.attrelid, a.attnum, 'UPDATE') end as col_update
from visible
join pg_catalog.pg_attribute a on a.attrelid = visible.oid and a.attnum > 0 and not a.attisdropped
join pg_catalog.pg_type t on t.oid = a.atttypid
left join pg_catalog.pg_type e on t.typcategory = 'A' and e.oid = t.typelem
left join pg_catalog.pg_description d on d.objoid = a.attrelid and d.classoid = ${PG_CLASS} and d.objsubid = a.attnum
order by a.attrelid, a.attnum`;

/**
 * Primary, unique and foreign keys. pg_constraint is readable by every role, unlike
 * information_schema's constraint views, which hide keys from a SELECT-only role. conparentid <> 0
 * rows are the per-partition clones of a parent's constraint.
 */
export const CONSTRAINTS_SQL = `with ${VISIBLE_RELATIONS}
select con.conrelid as relid, con.conname as name, con.contype as type,
  con.conkey::text as columns, con.confrelid as target_relid, con.confkey::text as target_columns
from visible
join pg_catalog.pg_constraint con on con.conrelid = visible.oid
where con.contype in ('p', 'u', 'f') and con.conparentid = 0`;

/**
 * Valid indexes with their access method. indkey lists key columns then INCLUDE columns; 0 marks an
 * expression. Partial indexes come back flagged so they can be ignored.
 */
export const INDEXES_SQL = `with ${VISIBLE_RELATIONS}
select i.indrelid as relid, i.indkey::text as columns, i.indnkeyatts as key_count, i.indisunique as is_unique,
  i.indpred is not null as partial, am.amname as method
from visible
join pg_catalog.pg_index i on i.indrelid = visible.oid
join pg_catalog.pg_class ic on ic.oid = i.indexrelid
join pg_catalog.pg_am am on am.oid = ic.relam
where i.indisvalid and i.indislive`;

/** Enums with their labels, and domains with their base type (itself maybe a domain or an array). */
export const TYPES_SQL = `select t.oid, t.typtype, t.typname,
  b.oid as base_oid, b.typname as base_name, b.typtype as base_typtype, b.typcategory as base_category,
  be.oid as base_elem_oid, be.typname as base_elem_name, be.typtype as base_elem_typtype,
  case when t.typtype = 'e' then (
    select pg_catalog.array_agg(l.enumlabel::text order by l.enumsortorder)
    from pg_catalog.pg_enum l where l.enumtypid = t.oid
  ) end as labels
from pg_catalog.pg_type t
left join pg_catalog.pg_type b on b.oid = t.typbasetype
left join pg_catalog.pg_type be on b.typcategory = 'A' and be.oid = b.typelem
where t.typtype in ('e', 'd')`;

export const DISCOVERY_STATEMENTS = [RELATIONS_SQL, COLUMNS_SQL, CONSTRAINTS_SQL, INDEXES_SQL, TYPES_SQL];
