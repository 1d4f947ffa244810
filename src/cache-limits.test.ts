import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { CACHE_LIMITS, lruCache } from './cache-limits.ts';

const src = path.dirname(fileURLToPath(import.meta.url));

describe('cache limits', () => {
  test('a cache keeps its declared bound, dropping the least recently used entry', () => {
    const cache = lruCache<string, number>('businessHours');
    const { max } = CACHE_LIMITS.businessHours;
    for (let i = 0; i < max; i++) cache.set(`k${i}`, i);
    cache.get('k0'); // used: k1 is now the least recent
    cache.set('new', -1);
    expect(cache.size).toBe(max);
    expect(cache.get('k0')).toBe(0);
    expect(cache.has('k1')).toBe(false);
  });

  test('an entry past its TTL is not served', async () => {
    const cache = lruCache<string, number>('connectionStatuses');
    cache.set('org', 1);
    expect(cache.get('org')).toBe(1);
    await new Promise((r) => setTimeout(r, CACHE_LIMITS.connectionStatuses.ttl + 50));
    expect(cache.get('org')).toBeUndefined();
  });

  test('no module keeps a hand-made cache that empties itself when full', () => {
    const offenders = readdirSync(src, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.startsWith('sandbox'))
      .filter((f) =>
        /\.size\s*>=?\s*[\w.]+\)\s*(this\.)?\w+\.clear\(\)/.test(readFileSync(path.join(src, f), 'utf8')),
      );
    expect(offenders).toEqual([]);
  });
});
