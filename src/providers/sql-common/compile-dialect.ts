/**
 * Engine differences for compiled bindings: identifier quoting (the drivers' own functions),
 * placeholders, qualified table names from the discovered source, and the index DDL a refused filter
 * would need.
 */
import mysql from 'mysql2';
import pg from 'pg';
import type { SchemaField, SchemaObject } from '../types.ts';

export interface SqlDialect {
  engine: 'postgres' | 'mysql';
  quote(identifier: string): string;
  /** The placeholder of the n-th bound value (1-based). */
  placeholder(n: number): string;
  /** Longest identifier the engine keeps (PostgreSQL truncates at 63 bytes, MySQL refuses over 64). */
  maxIdentifier: number;
}

export const postgresDialect: SqlDialect = {
  engine: 'postgres',
  quote: (id) => pg.escapeIdentifier(id),
  placeholder: (n) => `$${n}`,
  maxIdentifier: 63,
};

export const mysqlDialect: SqlDialect = {
  engine: 'mysql',
  // forbidQualified: a dot inside a discovered name is part of the name, not a schema separator.
  quote: (id) => mysql.escapeId(id, true),
  placeholder: () => '?',
  maxIdentifier: 64,
};

export function dialectOf(engine: 'postgres' | 'mysql'): SqlDialect {
  return engine === 'postgres' ? postgresDialect : mysqlDialect;
}

/** `"public"."customer"`: the schema and table discovery recorded, never the display name. */
export function qualifiedTable(d: SqlDialect, object: SchemaObject): string {
  const schema = object.source?.schema;
  const table = object.source?.table ?? object.name;
  return schema ? `${d.quote(schema)}.${d.quote(table)}` : d.quote(table);
}

// MySQL can only index TEXT/BLOB columns by a prefix; 191 characters fit utf8mb4 in any row format.
const MYSQL_PREFIX_ONLY = /^(tiny|medium|long)?(text|blob)\b/i;

/** The index that would make `field` a bindable filter: `CREATE INDEX "customer_email_idx" ON …`. */
export function createIndexDdl(d: SqlDialect, object: SchemaObject, field: SchemaField): string {
  const table = object.source?.table ?? object.name;
  const raw = `${table}_${field.name}_idx`.replace(/[^A-Za-z0-9_]+/g, '_').toLowerCase();
  const name = raw.length > d.maxIdentifier ? `${raw.slice(0, d.maxIdentifier - 4)}_idx` : raw;
  const column =
    d.engine === 'mysql' && MYSQL_PREFIX_ONLY.test(field.nativeType)
      ? `${d.quote(field.name)}(191)`
      : d.quote(field.name);
  return `CREATE INDEX ${d.quote(name)} ON ${qualifiedTable(d, object)} (${column});`;
}

/** `CREATE INDEX "customer_last_name_lower_idx" ON … (lower("last_name"));`: what a case-insensitive filter needs. */
export function createLowerIndexDdl(d: SqlDialect, object: SchemaObject, field: SchemaField): string {
  const table = object.source?.table ?? object.name;
  const raw = `${table}_${field.name}_lower_idx`.replace(/[^A-Za-z0-9_]+/g, '_').toLowerCase();
  const name = raw.length > d.maxIdentifier ? `${raw.slice(0, d.maxIdentifier - 10)}_lower_idx` : raw;
  return `CREATE INDEX ${d.quote(name)} ON ${qualifiedTable(d, object)} (lower(${d.quote(field.name)}));`;
}

/** PostgreSQL's case-insensitive text type: its `=` already ignores case, its plain index serves it. */
export const isCitext = (field: SchemaField) => /^citext\b/i.test(field.nativeType);

/**
 * Whether an index serves a case-insensitive equality filter on `field`, and if not, why. PostgreSQL:
 * an index on `lower(column)`, or a `citext` column with a plain index. MySQL: the column's own index,
 * since the default collations (`*_ci`) already compare without case; a column with a binary or
 * case-sensitive collation keeps comparing with case.
 */
export function caseInsensitiveRefusal(
  d: SqlDialect,
  object: SchemaObject,
  field: SchemaField,
): string | null {
  const at = `${object.name}.${field.name}`;
  if (field.type !== 'string' || field.isArray)
    return `${at} is a ${field.isArray ? 'array' : field.type} column; case-insensitive matching applies to text columns`;
  if (d.engine === 'mysql' || isCitext(field)) {
    if (field.leadingIndex) return null;
    return `${at} is not the leading column of any index, so filtering on it would scan the table; this index would make it bindable: ${createIndexDdl(d, object, field)}`;
  }
  if (field.caseInsensitiveIndex) return null;
  return `no index serves a case-insensitive filter on ${at}, so it would scan the table; this index would (then discover again): ${createLowerIndexDdl(d, object, field)}`;
}
