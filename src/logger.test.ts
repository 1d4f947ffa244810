import { Writable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { createLogger, redactSecrets } from './logger.ts';

function capture() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  return { logger: createLogger('info', sink), lines };
}

describe('logger', () => {
  test('secret-named members are censored at any of the first levels, whatever their case', () => {
    const { logger, lines } = capture();
    logger.info(
      {
        password: 'p1',
        conn: { Password: 'p2', host: 'db' },
        request: { headers: { authorization: 'Bearer k', 'x-api-key': 'k2', accept: '*/*' } },
        list: [{ access_token: 't1' }],
        credentials: { user: 'u' },
      },
      'connect attempt',
    );
    const line = lines.join('');
    for (const secret of ['p1', 'p2', 'Bearer k', 'k2', 't1', '"user"']) expect(line).not.toContain(secret);
    expect(line).toContain('"host":"db"');
    expect(line).toContain('"accept":"*/*"');
    expect(JSON.parse(line).conn.Password).toBe('[redacted]');
  });

  test('an object without secrets is passed through untouched (no copy)', () => {
    const obj = { method: 'GET', path: '/x', nested: { a: 1, b: [1, 2] } };
    expect(redactSecrets(obj)).toBe(obj);
  });

  test('the input object is never mutated', () => {
    const obj = { nested: { secret: 's' } };
    const out = redactSecrets(obj);
    expect(obj.nested.secret).toBe('s');
    expect(out.nested.secret).toBe('[redacted]');
  });
});
