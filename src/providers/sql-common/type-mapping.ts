/** Native SQL types → the normalized field types of SPEC §6. */
import type { FieldType } from '../types.ts';

const PG_TYPES: Record<string, FieldType> = {
  int2: 'integer',
  int4: 'integer',
  int8: 'integer',
  oid: 'integer',
  numeric: 'number',
  float4: 'number',
  float8: 'number',
  money: 'number',
  bool: 'boolean',
  date: 'date',
  timestamp: 'datetime',
  timestamptz: 'datetime',
  time: 'time',
  timetz: 'time',
  json: 'json',
  jsonb: 'json',
  uuid: 'uuid',
  bytea: 'binary',
};

/**
 * Maps a PostgreSQL base type (already unwrapped from domains and arrays). `typtype` is pg_type's:
 * 'e' enum, 'c' composite (rendered as JSON by row_to_json), anything else by name.
 */
export function mapPostgresType(typname: string, typtype: string): FieldType {
  if (typtype === 'e') return 'enum';
  if (typtype === 'c') return 'json';
  return PG_TYPES[typname] ?? 'string';
}

const MYSQL_TYPES: Record<string, FieldType> = {
  tinyint: 'integer',
  smallint: 'integer',
  mediumint: 'integer',
  int: 'integer',
  integer: 'integer',
  bigint: 'integer',
  year: 'integer',
  bit: 'integer',
  decimal: 'number',
  numeric: 'number',
  float: 'number',
  double: 'number',
  real: 'number',
  date: 'date',
  datetime: 'datetime',
  timestamp: 'datetime',
  time: 'time',
  json: 'json',
  enum: 'enum',
  uuid: 'uuid',
  binary: 'binary',
  varbinary: 'binary',
  tinyblob: 'binary',
  blob: 'binary',
  mediumblob: 'binary',
  longblob: 'binary',
  geometry: 'binary',
  point: 'binary',
  linestring: 'binary',
  polygon: 'binary',
  multipoint: 'binary',
  multilinestring: 'binary',
  multipolygon: 'binary',
  geometrycollection: 'binary',
};

/**
 * Maps a MySQL/MariaDB column from information_schema's DATA_TYPE and COLUMN_TYPE. tinyint(1) is the
 * conventional boolean; `set(...)` holds a comma-joined string, so it stays a string.
 */
export function mapMysqlType(dataType: string, columnType: string): FieldType {
  const type = dataType.toLowerCase();
  if (type === 'tinyint' && /^tinyint\(1\)/i.test(columnType)) return 'boolean';
  if (type === 'bool' || type === 'boolean') return 'boolean';
  return MYSQL_TYPES[type] ?? 'string';
}

/** Parses the quoted members of `enum('a','b')` or `set('a','b')`, honouring '' and \' escapes. */
export function parseMysqlEnumValues(columnType: string): string[] {
  const open = columnType.indexOf('(');
  const close = columnType.lastIndexOf(')');
  if (open < 0 || close < open) return [];
  const body = columnType.slice(open + 1, close);
  const values: string[] = [];
  let i = 0;
  while (i < body.length) {
    if (body[i] !== "'") {
      i++;
      continue;
    }
    let value = '';
    i++;
    while (i < body.length) {
      const ch = body[i];
      if (ch === '\\' && i + 1 < body.length) {
        value += body[i + 1];
        i += 2;
      } else if (ch === "'" && body[i + 1] === "'") {
        value += "'";
        i += 2;
      } else if (ch === "'") {
        i++;
        break;
      } else {
        value += ch;
        i++;
      }
    }
    values.push(value);
  }
  return values;
}
