import { describe, expect, test } from 'vitest';
import { orderNumberOf, samePhone } from './orders.ts';

describe('second factors and order numbers', () => {
  test('phones match by digits, with or without the country code', () => {
    expect(samePhone('+1 (503) 555-0100', '+15035550100')).toBe(true);
    expect(samePhone('503 555 0100', '+15035550100')).toBe(true);
    expect(samePhone('+44 20 7946 0958', '+15035550100')).toBe(false);
  });

  test('a short tail of digits is not a phone number', () => {
    expect(samePhone('5550100', '+15035550100')).toBe(false);
    expect(samePhone('', '+15035550100')).toBe(false);
    expect(samePhone(null, '+15035550100')).toBe(false);
  });

  test('an order number is its digits', () => {
    expect(orderNumberOf('#1001')).toBe('1001');
    expect(orderNumberOf('order 1001')).toBe('1001');
    expect(orderNumberOf('no number')).toBeNull();
    expect(orderNumberOf('1'.repeat(30))).toBeNull();
  });
});
