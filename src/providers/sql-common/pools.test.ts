import { describe, expect, test } from 'vitest';
import { credentialsHash, PoolRegistry } from './pools.ts';

class FakePool {
  closed = false;
  constructor(readonly label: string) {}
  async close() {
    this.closed = true;
  }
}

const registry = (maxPools = 3, idleMs = 1000) =>
  new PoolRegistry<FakePool>({ maxPools, idleMs, sweepMs: 60_000 });
const creds = (password: string) => ({ host: 'db', port: 5432, user: 'u', password, database: 'd' });

describe('the pool registry', () => {
  test('one pool per connection while its credentials stay the same', () => {
    const r = registry();
    const a = r.get('c1', creds('x'), () => new FakePool('a'));
    expect(r.get('c1', { ...creds('x') }, () => new FakePool('b'))).toBe(a);
    expect(r.size).toBe(1);
  });

  test('new credentials (a reconnect) get a new pool and close the old one', () => {
    const r = registry();
    const a = r.get('c1', creds('x'), () => new FakePool('a'));
    const b = r.get('c1', creds('y'), () => new FakePool('b'));
    expect(b).not.toBe(a);
    expect(a.closed).toBe(true);
    expect(r.size).toBe(1);
  });

  test('a changed value is seen whatever its shape: an added key, a nested option, a mutated copy', () => {
    const r = registry();
    const a = r.get('c1', creds('x'), () => new FakePool('a'));
    const b = r.get('c1', { ...creds('x'), sslmode: 'require' }, () => new FakePool('b'));
    expect(b).not.toBe(a);
    const withTls = { ...creds('x'), tls: { ca: 'one' } };
    const c = r.get('c1', withTls, () => new FakePool('c'));
    expect(r.get('c1', { ...creds('x'), tls: { ca: 'one' } }, () => new FakePool('same'))).toBe(c);
    const d = r.get('c1', { ...creds('x'), tls: { ca: 'two' } }, () => new FakePool('d'));
    expect(d).not.toBe(c);
    // The registry keeps its own copy: changing the object it was given later changes nothing.
    const given = creds('p');
    const e = r.get('c1', given, () => new FakePool('e'));
    given.password = 'q';
    expect(r.get('c1', creds('q'), () => new FakePool('f'))).not.toBe(e);
    expect(r.get('c1', creds('q'), () => new FakePool('g')).label).toBe('f');
  });

  test('the number of pools is bounded: the least recently used is closed first', () => {
    const r = registry(2);
    const a = r.get('c1', creds('x'), () => new FakePool('a'));
    const b = r.get('c2', creds('x'), () => new FakePool('b'));
    const realNow = Date.now;
    try {
      Date.now = () => realNow() + 10;
      r.get('c1', creds('x'), () => new FakePool('unused'));
      Date.now = () => realNow() + 20;
      r.get('c3', creds('x'), () => new FakePool('c'));
    } finally {
      Date.now = realNow;
    }
    expect(b.closed).toBe(true);
    expect(a.closed).toBe(false);
    expect(r.has('c2')).toBe(false);
    expect(r.size).toBe(2);
  });

  test('pools unused for the idle period are closed by the sweep', async () => {
    const r = registry(10, 1000);
    const a = r.get('c1', creds('x'), () => new FakePool('a'));
    expect(r.sweep(Date.now() + 500)).toBe(0);
    expect(r.sweep(Date.now() + 1500)).toBe(1);
    expect(a.closed).toBe(true);
    expect(r.size).toBe(0);
    await r.closeAll();
  });

  test('the credentials hash ignores key order and changes with any value', () => {
    expect(credentialsHash({ a: 1, b: 2 })).toBe(credentialsHash({ b: 2, a: 1 }));
    expect(credentialsHash(creds('x'))).not.toBe(credentialsHash(creds('x ')));
    expect(credentialsHash(creds('secret'))).not.toContain('secret');
  });
});
