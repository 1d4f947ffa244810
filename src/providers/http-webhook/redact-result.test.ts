import { describe, expect, it } from 'vitest';
import { redactSecrets } from './response.ts';

const SECRET = 'whsec_abcdef123456';

describe('redactSecrets on a webhook result', () => {
  it('hands back the very value when no string or key holds a secret (no copy)', () => {
    const result = { ok: true, items: [{ name: 'Ada', tags: ['x', 'y'] }], n: 3, none: null };
    expect(redactSecrets(result, [SECRET, 'Bearer t0ken'])).toBe(result);
  });

  it('blanks a secret wherever it sits: deep value, array item, key', () => {
    const result = {
      echo: { headers: { authorization: `Bearer ${SECRET}` } },
      list: ['a', `x${SECRET}y`],
      [`k-${SECRET}`]: 1,
    };
    const out = redactSecrets(result, [SECRET]);
    expect(out).toEqual({
      echo: { headers: { authorization: 'Bearer [redacted]' } },
      list: ['a', 'x[redacted]y'],
      'k-[redacted]': 1,
    });
    expect(JSON.stringify(out)).not.toContain(SECRET);
    expect(result.list[1]).toContain(SECRET); // the input is not changed
  });

  it('ignores secrets shorter than 4 characters', () => {
    const result = { a: 'abc' };
    expect(redactSecrets(result, ['abc'])).toBe(result);
  });
});
