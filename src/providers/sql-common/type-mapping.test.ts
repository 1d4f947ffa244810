import { describe, expect, it } from 'vitest';
import { mapMysqlType, mapPostgresType, parseMysqlEnumValues } from './type-mapping.ts';

describe('type mapping', () => {
  it('maps PostgreSQL base types', () => {
    expect(
      [
        'int4',
        'int8',
        'numeric',
        'bool',
        'date',
        'timestamptz',
        'timetz',
        'jsonb',
        'uuid',
        'bytea',
        'text',
        'tsvector',
        'interval',
      ].map((t) => mapPostgresType(t, 'b')),
    ).toEqual([
      'integer',
      'integer',
      'number',
      'boolean',
      'date',
      'datetime',
      'time',
      'json',
      'uuid',
      'binary',
      'string',
      'string',
      'string',
    ]);
    expect(mapPostgresType('mpaa_rating', 'e')).toBe('enum');
    expect(mapPostgresType('address_type', 'c')).toBe('json');
  });

  it('maps MySQL types, tinyint(1) as boolean', () => {
    expect(mapMysqlType('tinyint', 'tinyint(1)')).toBe('boolean');
    expect(mapMysqlType('tinyint', 'tinyint(3) unsigned')).toBe('integer');
    expect(mapMysqlType('decimal', 'decimal(5,2)')).toBe('number');
    expect(mapMysqlType('enum', "enum('a','b')")).toBe('enum');
    expect(mapMysqlType('set', "set('a','b')")).toBe('string');
    expect(mapMysqlType('longtext', 'longtext')).toBe('string');
    expect(mapMysqlType('year', 'year(4)')).toBe('integer');
    expect(mapMysqlType('blob', 'blob')).toBe('binary');
    expect(mapMysqlType('geometry', 'geometry')).toBe('binary');
    expect(mapMysqlType('timestamp', 'timestamp')).toBe('datetime');
  });

  it('parses enum and set members with quotes and commas inside', () => {
    expect(parseMysqlEnumValues("enum('G','PG','PG-13','R','NC-17')")).toEqual([
      'G',
      'PG',
      'PG-13',
      'R',
      'NC-17',
    ]);
    expect(parseMysqlEnumValues("set('Trailers','Deleted Scenes')")).toEqual(['Trailers', 'Deleted Scenes']);
    expect(parseMysqlEnumValues("enum('it''s','a,b','back\\\\slash','')")).toEqual([
      "it's",
      'a,b',
      'back\\slash',
      '',
    ]);
  });
});
