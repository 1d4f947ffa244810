import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedCatalog, parseIndexDefinition } from '../../../test/support/postgres-discover-expected.ts';
import { PG, postgresDb } from '../../../test/support/services.ts';
import { catalogMismatches } from '../../../test/support/sql-catalog-check.ts';
import type { NormalizedSchema } from '../types.ts';
import { discoverPostgres } from './discover.ts';

function sampleSuite(database: string, extra?: (get: () => NormalizedSchema) => void) {
  return async () => {
    const skip = await postgresDb(database);
    describe.skipIf(skip)(`PostgreSQL discovery of ${database}`, () => {
      const client = new pg.Client({ ...PG, database });
      let schema: NormalizedSchema;
      beforeAll(async () => {
        await client.connect();
        schema = await discoverPostgres(client);
      });
      afterAll(() => client.end());

      it('matches the database catalog: relations, columns, keys, foreign keys, leading indexes', async () => {
        expect(catalogMismatches(schema, await expectedCatalog(client))).toEqual([]);
      });

      it('leaves the connection idle, outside any transaction', async () => {
        const { rows } = await client.query('select now() = statement_timestamp() as fresh');
        expect(rows[0].fresh).toBe(true);
      });

      extra?.(() => schema);
    });
  };
}

await sampleSuite('pagila', (get) => {
  const object = (name: string) => get().objects.find((o) => o.name === name)!;
  const field = (o: string, f: string) => object(o).fields.find((x) => x.name === f)!;

  it('shows the partitioned payment table once, without its partitions', () => {
    expect(get().objects.filter((o) => o.name.startsWith('payment'))).toHaveLength(1);
    expect(object('payment').meta).toMatchObject({ relkind: 'partitioned_table' });
    expect(object('payment').primaryKey).toEqual(['payment_date', 'payment_id']);
  });

  it('resolves the mpaa_rating enum, the year domain and text[] arrays', () => {
    expect(field('film', 'rating')).toMatchObject({
      type: 'enum',
      nativeType: 'mpaa_rating',
      enumValues: ['G', 'PG', 'PG-13', 'R', 'NC-17'],
    });
    expect(field('film', 'release_year')).toMatchObject({ type: 'integer', nativeType: 'year' });
    expect(field('film', 'special_features')).toMatchObject({
      type: 'string',
      isArray: true,
      nativeType: 'text[]',
    });
    expect(field('film', 'fulltext').leadingIndex).toBe(false); // GiST: no equality lookups
  });

  it('lists views and the materialized view, with their updatability', () => {
    expect(object('rental_by_category')).toMatchObject({
      kind: 'view',
      meta: { relkind: 'materialized_view' },
    });
    expect(object('customer_list')).toMatchObject({
      kind: 'view',
      meta: { relkind: 'view', updatable: false },
    });
    expect(get().operations.filter((o) => o.object === 'customer_list')).toEqual([]);
  });

  it('derives readable relationships and operations, and classifies PII', () => {
    const names = get().relationships.map((r) => r.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'customer.address',
        'address.customers',
        'film.original_language',
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
    expect(ops).not.toContain('customer.search_by_email');
    expect(field('customer', 'email').pii).toBe('email');
    expect(field('staff', 'password').pii).toBe('credential');
    expect(field('customer', 'address_id').pii).toBeNull();
    expect(field('customer', 'last_update').pii).toBeNull();
  });
})();

await sampleSuite('chinook')();
await sampleSuite('northwind')();

describe('index definition parsing (test support)', () => {
  it('finds the first key column, method, uniqueness and partiality', () => {
    expect(parseIndexDefinition('CREATE UNIQUE INDEX a ON public.t USING btree (a_id, b)')).toMatchObject({
      first: 'a_id',
      unique: true,
      singleColumn: false,
    });
    expect(
      parseIndexDefinition('CREATE INDEX a ON public.t USING btree ("zip code" DESC) INCLUDE (x)'),
    ).toMatchObject({ first: 'zip code', singleColumn: true });
    expect(parseIndexDefinition('CREATE INDEX a ON public.t USING btree (lower(email))').first).toBeNull();
    expect(parseIndexDefinition('CREATE INDEX a ON public.t USING gist (fulltext)')).toMatchObject({
      method: 'gist',
      first: 'fulltext',
    });
    expect(
      parseIndexDefinition('CREATE INDEX a ON public.t USING btree (region) WHERE (region IS NOT NULL)')
        .partial,
    ).toBe(true);
  });
});
