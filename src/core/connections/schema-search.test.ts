import { describe, expect, it } from 'vitest';
import { searchMatcher } from './schema-search.ts';

const customer = ['customer', 'Customer', 'customer_id', 'first_name', 'last_name', 'email', 'address_id'];
const filmCategory = ['film_category', 'Film category', 'film_id', 'category_id', 'last_update'];

describe('?q= matches words as a person types them', () => {
  it.each([
    'customer',
    'CUSTOMER',
    'customers',
    'Customers',
    'cust',
    'last name',
    'Last Name',
    'lastname',
    'LastName',
    'last_name',
    'name last',
    'customer email',
    'emails',
    'addresses',
    'ustom',
  ])('%s finds customer', (q) => {
    expect(searchMatcher(q)(customer)).toBe(true);
  });

  it.each(['categories', 'film categories', 'Film Category'])('%s finds film_category', (q) => {
    expect(searchMatcher(q)(filmCategory)).toBe(true);
  });

  it.each(['payments', 'phone', 'customer phone', 'middle name'])('%s does not find customer', (q) => {
    expect(searchMatcher(q)(customer)).toBe(false);
  });

  it('no query (or only spaces) matches everything', () => {
    expect(searchMatcher(undefined)([])).toBe(true);
    expect(searchMatcher('  ')(['x'])).toBe(true);
  });
});
