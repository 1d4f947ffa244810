import { describe, expect, it } from 'vitest';
import { column, table } from '../../../test/support/sql-test-catalog.ts';
import { diffSchemas } from '../../core/connections/index.ts';
import { buildNormalizedSchema } from './build-schema.ts';
import type { Catalog } from './catalog.ts';

function catalog(): Catalog {
  return {
    defaultSchema: 'public',
    relations: [
      table('customer', [column('id'), column('email', 'string'), column('store_id')], {
        primaryKey: ['id'],
        leadingColumns: ['id'],
      }),
      table('store', [column('id')], { primaryKey: ['id'], leadingColumns: ['id'] }),
      table('legacy', [column('id')]),
    ],
    foreignKeys: [
      {
        name: 'fk',
        from: { schema: 'public', table: 'customer', columns: ['store_id'] },
        to: { schema: 'public', table: 'store', columns: ['id'] },
      },
    ],
  };
}

describe('diffSchemas', () => {
  it('reports nothing for the same schema', () => {
    const a = buildNormalizedSchema(catalog());
    const diff = diffSchemas(a, buildNormalizedSchema(catalog()));
    expect(diff.changed).toBe(false);
  });

  it('treats a first discovery as everything added', () => {
    const diff = diffSchemas(null, buildNormalizedSchema(catalog()));
    expect(diff.objectsAdded).toEqual(['customer', 'legacy', 'store']);
    expect(diff.relationshipsAdded).toEqual(['customer.store', 'store.customers']);
  });

  it('reports objects, fields, relationships and operations that changed', () => {
    const before = buildNormalizedSchema(catalog());
    const next = catalog();
    next.relations = next.relations.filter((r) => r.table !== 'legacy');
    next.relations.push(table('invoice', [column('id')], { primaryKey: ['id'] }));
    const customer = next.relations[0];
    customer.columns = [
      column('id'),
      column('email', 'string', { nullable: true }),
      column('store_id'),
      column('phone', 'string'),
    ];
    customer.leadingColumns = ['id', 'email'];
    next.foreignKeys = [];
    const diff = diffSchemas(before, buildNormalizedSchema(next));
    expect(diff.changed).toBe(true);
    expect(diff.objectsAdded).toEqual(['invoice']);
    expect(diff.objectsRemoved).toEqual(['legacy']);
    expect(diff.objectsChanged).toEqual([
      {
        object: 'customer',
        fieldsAdded: ['phone'],
        fieldsRemoved: [],
        fieldsChanged: [
          {
            field: 'email',
            changes: { nullable: { from: false, to: true }, leadingIndex: { from: false, to: true } },
          },
        ],
        changes: {},
      },
    ]);
    expect(diff.relationshipsRemoved).toEqual(['customer.store', 'store.customers']);
    expect(diff.operationsAdded).toEqual(['customer.search_by_email', 'invoice.get', 'invoice.insert']);
    expect(diff.operationsRemoved).toEqual(['legacy.insert']);
    expect(diff.operationsChanged).toEqual(['customer.insert', 'customer.update']);
  });
});
