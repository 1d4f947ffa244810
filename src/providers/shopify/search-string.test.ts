import { describe, expect, test } from 'vitest';
import { quoteSearchValue, searchTerm } from './search-string.ts';

describe('a caller value in Shopify search syntax', () => {
  test('is one quoted term, with quotes and backslashes escaped', () => {
    expect(searchTerm('email', 'a@b.com OR status:any')).toBe('email:"a@b.com OR status:any"');
    expect(quoteSearchValue('x" OR name:*')).toBe('"x\\" OR name:*"');
    expect(quoteSearchValue('back\\slash\\"')).toBe('"back\\\\slash\\\\\\""');
  });

  test('loses control characters, which could end a term in some parsers', () => {
    expect(quoteSearchValue('a\nb\u0000c\u007f')).toBe('"a b c"');
    expect(searchTerm('sku', 42)).toBe('sku:"42"');
  });
});
