import { describe, expect, it } from 'vitest';
import { buildNormalizedSchema } from '../src/providers/sql-common/build-schema.ts';
import { catalogMismatches, type ExpectedCatalog } from './support/sql-catalog-check.ts';
import { column, table } from './support/sql-test-catalog.ts';

const schema = buildNormalizedSchema({
  defaultSchema: 'public',
  relations: [
    table('store', [column('id')], { primaryKey: ['id'], leadingColumns: ['id'] }),
    table('customer', [column('id'), column('store_id'), column('email', 'string', { nullable: true })], {
      primaryKey: ['id'],
      leadingColumns: ['id', 'store_id'],
    }),
  ],
  foreignKeys: [
    {
      name: 'fk',
      from: { schema: 'public', table: 'customer', columns: ['store_id'] },
      to: { schema: 'public', table: 'store', columns: ['id'] },
    },
  ],
});

function expected(): ExpectedCatalog {
  const col = (name: string, type: 'integer' | 'string', nullable = false) => ({
    name,
    type,
    isArray: false,
    nullable,
    domain: null,
  });
  return {
    relations: [
      {
        schema: 'public',
        table: 'store',
        kind: 'table',
        columns: [col('id', 'integer')],
        primaryKey: ['id'],
        unique: new Set(['id']),
        leading: new Set(['id']),
      },
      {
        schema: 'public',
        table: 'customer',
        kind: 'table',
        columns: [col('id', 'integer'), col('store_id', 'integer'), col('email', 'string', true)],
        primaryKey: ['id'],
        unique: new Set(['id']),
        leading: new Set(['id', 'store_id']),
      },
    ],
    foreignKeys: [
      {
        from: { schema: 'public', table: 'customer', columns: ['store_id'] },
        to: { schema: 'public', table: 'store', columns: ['id'] },
      },
    ],
  };
}

describe('catalog check (test support)', () => {
  it('finds no difference when discovery and catalog agree', () => {
    expect(catalogMismatches(schema, expected())).toEqual([]);
  });

  it('reports every kind of difference', () => {
    const wrong = expected();
    wrong.relations[1].columns[2].nullable = false;
    wrong.relations[1].leading.delete('store_id');
    wrong.relations[0].columns.push({
      name: 'name',
      type: 'string',
      isArray: false,
      nullable: true,
      domain: null,
    });
    wrong.foreignKeys.push({
      from: { schema: 'public', table: 'store', columns: ['id'] },
      to: { schema: 'public', table: 'customer', columns: ['id'] },
    });
    expect(catalogMismatches(schema, wrong)).toEqual([
      'store columns: got ["id"], catalog says ["id","name"]',
      'customer.store_id leadingIndex: got true, catalog says false',
      'customer.email nullable: got true, catalog says false',
      'foreign key store(id) -> customer(id) missing',
      'relationship count: got 2, catalog says 4',
    ]);
  });
});
