import { expect, test } from 'vitest';
import { searchFieldsOf } from './search-fields.ts';

test("a connection's documented search fields are read from its markdown table", () => {
  const doc = [
    'A filter made up of terms.',
    '| name | type | description | acceptable_values | default_value | example_use |',
    '| ---- | ---- | ---- | ---- | ---- | ---- |',
    '| default | string | Filter by a case-insensitive search of multiple fields',
    'in a document. | | | - `query=Bob Norman` |',
    '| created_at | time | Filter by the date. | | | - `created_at:<now` |',
    '| email | string | Filter by email. | | | |',
    '| total_price | float | Filter by price. | | | |',
    '| customer_id | id | Filter by customer. | | | |',
  ].join('\n');
  expect(searchFieldsOf(doc)).toEqual([
    { name: 'created_at', type: 'datetime' },
    { name: 'email', type: 'string' },
    { name: 'total_price', type: 'number' },
    { name: 'customer_id', type: 'string' },
  ]);
  expect(searchFieldsOf(null)).toEqual([]);
});
