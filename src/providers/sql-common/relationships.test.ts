import { describe, expect, it } from 'vitest';
import { column, table } from '../../../test/support/sql-test-catalog.ts';
import { buildNormalizedSchema } from './build-schema.ts';
import type { CatalogForeignKey } from './catalog.ts';
import { foreignKeyRole, humanLabel, objectNames, pluralize } from './naming.ts';

const fk = (
  name: string,
  from: string,
  fromColumns: string[],
  to: string,
  toColumns: string[],
  schemas = ['public', 'public'],
): CatalogForeignKey => ({
  name,
  from: { schema: schemas[0], table: from, columns: fromColumns },
  to: { schema: schemas[1], table: to, columns: toColumns },
});

const summary = (rels: { name: string; from: any; to: any; cardinality: string }[]) =>
  rels.map(
    (r) => `${r.name} ${r.from.object}(${r.from.fields}) -> ${r.to.object}(${r.to.fields}) ${r.cardinality}`,
  );

describe('object and relationship naming', () => {
  it('keeps bare names for the default schema and for names unique across schemas', () => {
    const names = objectNames(
      [
        table('customer', []),
        { ...table('customer', []), schema: 'sales' },
        { ...table('invoice', []), schema: 'sales' },
      ],
      'public',
    );
    expect([...names.values()]).toEqual(['customer', 'sales.customer', 'invoice']);
  });

  it('derives roles from the foreign key column', () => {
    expect(foreignKeyRole(['address_id'], 'address')).toBe('address');
    expect(foreignKeyRole(['SupportRepId'], 'Employee')).toBe('SupportRep');
    expect(foreignKeyRole(['CustomerID'], 'Customers')).toBe('Customer');
    expect(foreignKeyRole(['ReportsTo'], 'Employee')).toBe('ReportsTo');
    expect(foreignKeyRole(['paid'], 'x')).toBe('paid');
    expect(foreignKeyRole(['id'], 'person')).toBe('person');
    expect(foreignKeyRole(['order_id', 'line_no'], 'order_line')).toBe('order_line');
  });

  it('pluralizes like English and leaves plural table names alone', () => {
    expect(
      ['customer', 'category', 'address', 'box', 'orders', 'Category', 'STATUS', 'day'].map(pluralize),
    ).toEqual(['customers', 'categories', 'addresses', 'boxes', 'orders', 'Categories', 'STATUSES', 'days']);
  });

  it('labels tables for people', () => {
    expect(humanLabel('film_actor')).toBe('Film actor');
    expect(humanLabel('InvoiceLine')).toBe('Invoice line');
    expect(humanLabel('order', 'sales')).toBe('Order (sales)');
  });
});

describe('relationships from foreign keys', () => {
  it('names both directions and marks many-to-one / one-to-many', () => {
    const schema = buildNormalizedSchema({
      defaultSchema: 'public',
      relations: [
        table('address', [column('address_id')], { primaryKey: ['address_id'] }),
        table('customer', [column('customer_id'), column('address_id')], { primaryKey: ['customer_id'] }),
      ],
      foreignKeys: [fk('customer_address_fk', 'customer', ['address_id'], 'address', ['address_id'])],
    });
    expect(summary(schema.relationships)).toEqual([
      'address.customers address(address_id) -> customer(address_id) one_to_many',
      'customer.address customer(address_id) -> address(address_id) many_to_one',
    ]);
  });

  it('deduplicates two keys to the same table on both sides', () => {
    const schema = buildNormalizedSchema({
      defaultSchema: 'public',
      relations: [
        table('language', [column('language_id')], { primaryKey: ['language_id'] }),
        table('film', [column('film_id'), column('language_id'), column('original_language_id')], {
          primaryKey: ['film_id'],
        }),
      ],
      foreignKeys: [
        fk('b', 'film', ['original_language_id'], 'language', ['language_id']),
        fk('a', 'film', ['language_id'], 'language', ['language_id']),
      ],
    });
    expect(schema.relationships.map((r) => r.name)).toEqual([
      'film.language',
      'film.original_language',
      'language.films_by_language',
      'language.films_by_original_language',
    ]);
  });

  it('handles composite keys, one-to-one keys and colliding composite roles', () => {
    const schema = buildNormalizedSchema({
      defaultSchema: 'public',
      relations: [
        table('shipment', [column('order_id'), column('line_no')], { primaryKey: ['order_id', 'line_no'] }),
        table(
          'order_line',
          [column('order_id'), column('line_no'), column('replaces_order'), column('replaces_line')],
          {
            primaryKey: ['order_id', 'line_no'],
          },
        ),
        table('person', [column('id')], { primaryKey: ['id'] }),
        table('employee', [column('id'), column('badge')], { primaryKey: ['id'] }),
      ],
      foreignKeys: [
        fk('ship_line', 'shipment', ['order_id', 'line_no'], 'order_line', ['order_id', 'line_no']),
        fk('line_self', 'order_line', ['replaces_order', 'replaces_line'], 'order_line', [
          'order_id',
          'line_no',
        ]),
        fk('line_self2', 'order_line', ['order_id', 'line_no'], 'order_line', ['order_id', 'line_no']),
        fk('employee_is_person', 'employee', ['id'], 'person', ['id']),
      ],
    });
    expect(summary(schema.relationships)).toEqual(
      [
        'employee.person employee(id) -> person(id) one_to_one',
        // the back side of the degenerate self key on the PK: singular, as it is one-to-one
        'order_line.order_line order_line(order_id,line_no) -> order_line(order_id,line_no) one_to_one',
        'order_line.order_line_by_replaces_order_replaces_line order_line(replaces_order,replaces_line) -> order_line(order_id,line_no) many_to_one',
        'order_line.order_line_by_order_id_line_no order_line(order_id,line_no) -> order_line(order_id,line_no) one_to_one',
        'order_line.order_lines order_line(order_id,line_no) -> order_line(replaces_order,replaces_line) one_to_many',
        'order_line.shipment order_line(order_id,line_no) -> shipment(order_id,line_no) one_to_one',
        'person.employee person(id) -> employee(id) one_to_one',
        'shipment.order_line shipment(order_id,line_no) -> order_line(order_id,line_no) one_to_one',
      ].sort(),
    );
  });

  it('gives stable names whatever the catalog order', () => {
    const relations = [
      table('a', [column('id'), column('b_id'), column('b2_id')], { primaryKey: ['id'] }),
      table('b', [column('id')], { primaryKey: ['id'] }),
    ];
    const keys = [fk('x', 'a', ['b_id'], 'b', ['id']), fk('y', 'a', ['b2_id'], 'b', ['id'])];
    const one = buildNormalizedSchema({ defaultSchema: 'public', relations, foreignKeys: keys });
    const two = buildNormalizedSchema({
      defaultSchema: 'public',
      relations: [...relations].reverse(),
      foreignKeys: [...keys].reverse(),
    });
    expect(two.relationships).toEqual(one.relationships);
  });

  it('drops keys to tables or columns the user cannot see', () => {
    const schema = buildNormalizedSchema({
      defaultSchema: 'public',
      relations: [
        table(
          'customer',
          [
            column('id'),
            column('secret_id', 'integer', { privileges: { select: false, insert: false, update: false } }),
            column('store_id'),
          ],
          {
            primaryKey: ['id'],
          },
        ),
      ],
      foreignKeys: [
        fk('s', 'customer', ['secret_id'], 'customer', ['id']),
        fk('t', 'customer', ['store_id'], 'store', ['id']),
      ],
    });
    expect(schema.relationships).toEqual([]);
    expect(schema.objects[0].fields.map((f) => f.name)).toEqual(['id', 'store_id']);
  });

  it('qualifies objects outside the default schema', () => {
    const schema = buildNormalizedSchema({
      defaultSchema: 'public',
      relations: [
        table('customer', [column('id')], { primaryKey: ['id'] }),
        {
          ...table('customer', [column('id'), column('customer_id')], { primaryKey: ['id'] }),
          schema: 'crm',
        },
      ],
      foreignKeys: [fk('k', 'customer', ['customer_id'], 'customer', ['id'], ['crm', 'public'])],
    });
    expect(schema.objects.map((o) => [o.name, o.label, o.source])).toEqual([
      ['crm.customer', 'Customer (crm)', { schema: 'crm', table: 'customer' }],
      ['customer', 'Customer', { schema: 'public', table: 'customer' }],
    ]);
    expect(schema.relationships.map((r) => r.name)).toEqual(['crm.customer.customer', 'customer.customers']);
  });
});
