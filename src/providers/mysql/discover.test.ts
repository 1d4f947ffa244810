import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedMysqlCatalog, typeFromShowColumns } from '../../../test/support/mysql-discover-expected.ts';
import { MY, mariadbDb } from '../../../test/support/services.ts';
import { catalogMismatches } from '../../../test/support/sql-catalog-check.ts';
import type { NormalizedSchema } from '../types.ts';
import { discoverMysql } from './discover.ts';

function sampleSuite(database: string, extra?: (get: () => NormalizedSchema) => void) {
  return async () => {
    const skip = await mariadbDb(database);
    describe.skipIf(skip)(`MySQL/MariaDB discovery of ${database}`, () => {
      let conn: mysql.Connection;
      let schema: NormalizedSchema;
      beforeAll(async () => {
        conn = await mysql.createConnection({ ...MY });
        schema = await discoverMysql(conn, database);
      });
      afterAll(() => conn?.end());

      it('matches SHOW TABLES / COLUMNS / INDEX / CREATE TABLE: relations, columns, keys, foreign keys, indexes', async () => {
        expect(catalogMismatches(schema, await expectedMysqlCatalog(conn, database))).toEqual([]);
      });

      extra?.(() => schema);
    });
  };
}

await sampleSuite('sakila', (get) => {
  const object = (name: string) => get().objects.find((o) => o.name === name)!;
  const field = (o: string, f: string) => object(o).fields.find((x) => x.name === f)!;

  it('parses enums, keeps sets as strings, reads tinyint(1) as boolean', () => {
    expect(field('film', 'rating')).toMatchObject({
      type: 'enum',
      enumValues: ['G', 'PG', 'PG-13', 'R', 'NC-17'],
    });
    expect(field('film', 'special_features')).toMatchObject({
      type: 'string',
      nativeType: expect.stringMatching(/^set\(/),
    });
    expect(field('customer', 'active').type).toBe('boolean');
    expect(field('film', 'film_id')).toMatchObject({ hasDefault: true, primaryKey: true });
  });

  it('leaves FULLTEXT-only columns unindexed and reports view updatability', () => {
    expect(field('film_text', 'title').leadingIndex).toBe(false);
    expect(object('customer_list').meta).toMatchObject({ relkind: 'view', updatable: true });
    expect(object('film_list').meta).toMatchObject({ updatable: false });
  });

  it('names relationships and operations readably', () => {
    const names = get().relationships.map((r) => r.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'customer.address',
        'address.customers',
        'language.films_by_original_language',
      ]),
    );
    const ops = get().operations.map((o) => o.name);
    expect(ops).toEqual(
      expect.arrayContaining([
        'customer.search_by_last_name',
        'customer.get',
        'customer.insert',
        'customer.update',
      ]),
    );
    expect(field('customer', 'email').pii).toBe('email');
  });
})();

await sampleSuite('Chinook', (get) => {
  it('derives roles from CamelCase key columns', () => {
    const names = get().relationships.map((r) => r.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'Customer.SupportRep',
        'Employee.Customers',
        'Employee.ReportsTo',
        'Employee.Employees',
      ]),
    );
  });
})();

describe('SHOW COLUMNS type reading (test support)', () => {
  it('maps type text', () => {
    expect(typeFromShowColumns('tinyint(1)', false)).toBe('boolean');
    expect(typeFromShowColumns('smallint(5) unsigned', false)).toBe('integer');
    expect(typeFromShowColumns('longtext', true)).toBe('json');
    expect(typeFromShowColumns("set('a')", false)).toBe('string');
  });
});
