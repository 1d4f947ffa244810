import { describe, expect, it } from 'vitest';
import { column, table } from '../../../test/support/sql-test-catalog.ts';
import { buildNormalizedSchema } from './build-schema.ts';
import type { CatalogRelation } from './catalog.ts';

const READ_ONLY = { select: true, insert: false, update: false };

function build(relation: CatalogRelation) {
  const schema = buildNormalizedSchema({ defaultSchema: 'public', relations: [relation], foreignKeys: [] });
  const ops = schema.operations.map(
    (o) =>
      `${o.name} ${o.kind}/${o.verb} (${o.args.map((a) => `${a.name}${a.required ? '!' : ''}`).join(', ')}) -> ${o.returns}`,
  );
  return { object: schema.objects[0], ops };
}

const customer = (
  extra: Partial<CatalogRelation> = {},
  privileges = { select: true, insert: true, update: true },
) =>
  table(
    'customer',
    [
      column('id', 'integer', { hasDefault: true, privileges }),
      column('email', 'string', { privileges }),
      column('name', 'string', { nullable: true, privileges }),
      column('search_text', 'string', { generated: true, writable: false, hasDefault: true, privileges }),
    ],
    { primaryKey: ['id'], uniqueKeys: [['email']], leadingColumns: ['id', 'email'], ...extra },
  );

describe('operations per object', () => {
  it('offers search on each leading-index column, get by key, insert and update by key', () => {
    const { object, ops } = build(customer());
    expect(ops).toEqual([
      'customer.get read/get (id!) -> customer',
      'customer.insert write/insert (id, email!, name) -> customer',
      'customer.search_by_email read/search (email!) -> customer[]',
      'customer.search_by_id read/search (id!) -> customer[]',
      'customer.update write/update (id!, email, name) -> customer',
    ]);
    expect(object.capabilities).toEqual(['read', 'search', 'create', 'update']);
    expect(object.fields.map((f) => [f.name, f.primaryKey, f.unique, f.leadingIndex])).toEqual([
      ['id', true, true, true],
      ['email', false, true, true],
      ['name', false, false, false],
      ['search_text', false, false, false],
    ]);
    expect(object.meta).toMatchObject({ uniqueKeys: [['email']], updateKey: 'id' });
  });

  it('gives a SELECT-only role read operations only', () => {
    const { object, ops } = build(customer({}, READ_ONLY));
    expect(ops.every((o) => o.includes(' read/'))).toBe(true);
    expect(object.capabilities).toEqual(['read', 'search']);
  });

  it('refuses insert when a required column cannot be written, and lists only insertable columns', () => {
    const relation = customer();
    relation.columns[1] = column('email', 'string', { privileges: READ_ONLY });
    expect(build(relation).ops.some((o) => o.includes('.insert'))).toBe(false);
    relation.columns[1] = column('email', 'string');
    relation.columns[2] = column('name', 'string', { nullable: true, privileges: READ_ONLY });
    expect(build(relation).ops).toContain('customer.insert write/insert (id, email!) -> customer');
  });

  it('updates by the first single-column unique key when the PK is composite', () => {
    const relation = table(
      'line',
      [column('order_id'), column('line_no'), column('code', 'string'), column('qty')],
      {
        primaryKey: ['order_id', 'line_no'],
        uniqueKeys: [['code']],
        leadingColumns: ['order_id'],
      },
    );
    expect(build(relation).ops).toEqual([
      'line.get read/get (order_id!, line_no!) -> line',
      'line.insert write/insert (order_id!, line_no!, code!, qty!) -> line',
      'line.search_by_order_id read/search (order_id!) -> line[]',
      'line.update write/update (code!, order_id, line_no, qty) -> line',
    ]);
  });

  it('offers no get or update without a key, and no writes on a view that refuses them', () => {
    const view = table('report', [column('total', 'number')], {
      kind: 'view',
      accepts: { insert: false, update: false },
    });
    const { object, ops } = build(view);
    expect(ops).toEqual([]);
    expect(object.capabilities).toEqual(['read']);
  });

  it('keeps array columns marked in operation args', () => {
    const relation = table(
      'film',
      [column('id'), column('tags', 'string', { isArray: true, nullable: true })],
      {
        primaryKey: ['id'],
        leadingColumns: ['id'],
      },
    );
    const schema = buildNormalizedSchema({ defaultSchema: 'public', relations: [relation], foreignKeys: [] });
    const insert = schema.operations.find((o) => o.verb === 'insert')!;
    expect(insert.args).toEqual([
      { name: 'id', type: 'integer', required: true },
      { name: 'tags', type: 'string', required: false, isArray: true },
    ]);
  });
});
