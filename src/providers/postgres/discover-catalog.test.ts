import { describe, expect, it } from 'vitest';
import { catalogFromRows, columnwise } from './discover-catalog.ts';

const relation = {
  oid: 10,
  schema: 'public',
  table: 'account',
  relkind: 'r',
  populated: true,
  can_select: true,
  can_insert: true,
  can_update: true,
  events: null,
};

/** The COLUMNS part for `account`, its columns listed in the order given (attnum, name). */
const columns = (order: [number, string][]) =>
  columnwise({
    relid: order.map(() => 10),
    attnum: order.map(([n]) => n),
    name: order.map(([, name]) => name),
    not_null: order.map(() => true),
    has_default: order.map(() => false),
    identity: order.map(() => ''),
    generated: order.map(() => ''),
    type_oid: order.map(() => 23),
    native_type: order.map(() => 'integer'),
    privileges: order.map(() => null),
  });

const rows = (order: [number, string][]) => ({
  relations: [relation],
  columns: columns(order),
  // A primary key on attribute 3, a unique key on (1, 2).
  constraints: columnwise({
    relid: [10, 10],
    name: ['account_pkey', 'account_a_b_key'],
    type: ['p', 'u'],
    columns: [[3], [1, 2]],
    target_relid: [0, 0],
    target_columns: [null, null],
  }),
  indexes: columnwise({ relid: null, columns: null }),
  types: [
    { oid: 23, typname: 'int4', typtype: 'b', typcategory: 'N', typelem: 0, typbasetype: 0, labels: null },
  ],
  comments: [],
  partitionKeys: [],
});

describe('PostgreSQL catalog from the discovery answer', () => {
  it('puts columns in attribute order whatever order they came in, and names keys by attribute number', () => {
    const catalog = catalogFromRows(
      rows([
        [3, 'id'],
        [1, 'a'],
        [2, 'b'],
      ]),
    );
    const [account] = catalog.relations;
    expect(account.columns.map((c) => c.name)).toEqual(['a', 'b', 'id']);
    expect(account.primaryKey).toEqual(['id']);
    expect(account.uniqueKeys).toEqual([['a', 'b']]);
    expect(account.leadingColumns).toEqual(['id', 'a']);
  });

  it('reads a part with no rows (JSON null arrays) as empty', () => {
    const catalog = catalogFromRows({ ...rows([]), constraints: columnwise({ relid: null }) });
    expect(catalog.relations[0].columns).toEqual([]);
    expect(catalog.foreignKeys).toEqual([]);
  });
});
