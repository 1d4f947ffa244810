import { describe, expect, test } from 'vitest';
import { parseGoal } from './goal.ts';
import { goalWords, intentOf, similarity, stem, stems, words } from './lexicon.ts';

describe('the auto-map vocabulary', () => {
  test('goal and schema words stem alike', () => {
    expect(['categories', 'booking', 'shipped', 'orders', 'addresses', 'status', 'people'].map(stem)).toEqual(
      ['category', 'book', 'ship', 'order', 'address', 'status', 'person'],
    );
    expect(stem('paid')).toBe('pay');
    expect(stem('replacement')).toBe(stem('replace'));
    expect(stem('fulfils')).toBe(stem('fulfills'));
    expect(words('SupportRepId e-mail billing_address2')).toEqual([
      'support',
      'rep',
      'id',
      'email',
      'billing',
      'address2',
    ]);
    expect(stems('Customer_Phones')).toEqual(['customer', stem('phone')]);
  });

  test('a doubled last letter is dropped only after a suffix came off, and digits are never touched', () => {
    expect(stem('t600')).toBe('t600');
    expect(stem('t60')).toBe('t60');
    expect(stem('staff')).toBe('staff');
    expect(stem('address')).toBe('address');
    expect(stem('stopped')).toBe('stop');
  });

  test('the domain lexicon: everyday words reach schema words, weaker than the word itself', () => {
    expect(similarity('customer', 'customer')).toBe(1);
    for (const [a, b] of [
      ['clients', 'customer'],
      ['cost', 'price'],
      ['duration', 'length'],
      ['song', 'track'],
      ['courier', 'shipper'],
      ['postcode', 'postal'],
    ])
      expect(similarity(stem(a), stem(b)), `${a} ~ ${b}`).toBe(0.8);
    expect(similarity('customer', 'film')).toBe(0);
    expect(goalWords('how much quantity on hand, by family name')).toEqual([
      'how',
      'much',
      'stock',
      ',',
      'by',
      'last',
      'name',
    ]);
  });

  test('compounds, silent e and phrases people type reach the schema words', () => {
    // `postal_code`, `zip_code` and "postcode" are one word, so "by postcode" is never half explained.
    expect(words('billing_postal_code zip_code ZipCode')).toEqual([
      'billing',
      'postcode',
      'postcode',
      'postcode',
    ]);
    expect(goalWords('by post code')).toEqual(['by', 'postcode']);
    expect(similarity(stem('postcode'), stem('zip'))).toBe(0.8);
    expect(stem('hired')).toBe(stem('hire'));
    expect(stem('named')).toBe(stem('name'));
    expect(stem('rated')).toBe(stem('rating'));
    expect(stem('rating')).not.toBe(stem('rate'));
    // "what is it called" names the label; "a customer calls" does not.
    expect(goalWords('what is it called')).toEqual(['what', 'is', 'it', 'name']);
    expect(similarity(stem('calls'), 'name')).toBe(0);
    expect(goalWords("the employee's full name")).toEqual(['the', 'employee', '_s', 'name']);
    expect(goalWords('what is the running time')).toEqual(['what', 'is', 'the', 'length']);
    // A "by" closing a clause of wanting is a deadline, not who delivers.
    expect(goalWords('when do they need the order delivered by? find it by order id')).toEqual([
      'when',
      'do',
      'they',
      'need',
      'the',
      'order',
      'required',
      'date',
      ',',
      'find',
      'it',
      'by',
      'order',
      'id',
    ]);
    expect(goalWords('find orders shipped by a courier')).toContain('by');
  });

  test('intent comes from the verb; reads by default; deleting is its own intent', () => {
    expect(intentOf(stems('let callers check their order status'))).toBe('read');
    expect(intentOf(stems('book a table for tonight'))).toBe('insert');
    expect(intentOf(stems('let callers change their email'))).toBe('update');
    expect(intentOf(stems('cancel a subscription'))).toBe('delete');
    expect(intentOf(stems('order status'))).toBe('read');
  });

  test('a goal splits into the lookup phrase and chunks naming outputs', () => {
    const g = parseGoal('look up a customer by last name and return first name and email');
    expect(g.filter?.map((t) => t.w)).toEqual(['last', 'name']);
    expect(g.chunks.map((c) => c.map((t) => t.w))).toEqual([['customer'], ['first', 'name'], ['email']]);
    expect(parseGoal('A caller gives their surname: find them').filter?.map((t) => t.w)).toEqual([
      'last',
      'name',
    ]);
    expect(parseGoal('for a film id, find the copies').filter?.map((t) => t.w)).toEqual(['film', 'id']);
    expect(parseGoal('get the phone from their customer number').filter?.map((t) => t.w)).toEqual([
      'customer',
      'number',
    ]);
    expect(parseGoal('find a customer').filter).toBeNull();
  });
});
