import { describe, expect, it } from 'vitest';
import { parseSuccessBody, redactSecrets } from './response.ts';

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

describe('parseSuccessBody on a webhook answer', () => {
  it('drops prototype-poisoning keys, spelt out or escaped, and keeps the rest', () => {
    const plain = parseSuccessBody(
      Buffer.from('{"a":1,"__proto__":{"admin":true},"b":{"constructor":{"prototype":{"x":1}},"c":2}}'),
      'application/json',
    ) as Record<string, any>;
    expect(plain).toEqual({ a: 1, b: { c: 2 } });
    expect(Object.hasOwn(plain, '__proto__')).toBe(false);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
    const escaped = parseSuccessBody(
      Buffer.from('{"\\u005f_proto__":{"admin":true},"ok":1}'),
      'application/json',
    );
    expect(escaped).toEqual({ ok: 1 });
  });

  it('parses answers without such keys as they are', () => {
    expect(parseSuccessBody(Buffer.from('{"constructor":"Ada","list":[1,2]}'), 'application/json')).toEqual({
      constructor: 'Ada',
      list: [1, 2],
    });
  });
});
