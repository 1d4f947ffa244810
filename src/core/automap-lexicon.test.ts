import { describe, expect, test } from 'vitest';
import { filterRange, intentOf, similarity, stem, stems, words } from './automap-lexicon.ts';
import { parseGoal } from './automap-match.ts';

describe('the auto-map vocabulary', () => {
  test('goal and schema words stem alike', () => {
    expect(['categories', 'booking', 'shipped', 'orders', 'addresses', 'status', 'people'].map(stem)).toEqual(
      ['category', 'book', 'ship', 'order', 'address', 'status', 'person'],
    );
    expect(words('SupportRepId e-mail billing_address2')).toEqual([
      'support',
      'rep',
      'id',
      'email',
      'billing',
      'address2',
    ]);
    expect(stems('Customer_Phones')).toEqual(['customer', 'phone']);
  });

  test('synonyms weigh less than the word itself', () => {
    expect(similarity('customer', 'customer')).toBe(1);
    expect(similarity(stem('clients'), 'customer')).toBe(0.7);
    expect(similarity('customer', 'film')).toBe(0);
  });

  test('intent comes from the first intent verb; reads by default', () => {
    expect(intentOf(stems('let callers check their order status'))).toBe('read');
    expect(intentOf(stems('book a table for tonight'))).toBe('insert');
    expect(intentOf(stems('let callers change their email'))).toBe('update');
    expect(intentOf(stems('order status'))).toBe('read');
  });

  test('the filter is the phrase after "by", without articles, up to a stop word', () => {
    const w = words('check the order status by their email address and name');
    const range = filterRange(w)!;
    expect(w.slice(range[0], range[1])).toEqual(['email', 'address']);
    const g = parseGoal('look up a customer by last name and return first name');
    expect(g.filterPhrase).toEqual(['last', 'name']);
    expect(g.restTerms).toEqual(['customer', 'first', 'name']);
  });
});
