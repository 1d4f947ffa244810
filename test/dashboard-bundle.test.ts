/**
 * The dashboard as the server sends it: the first page (index.html and the scripts and styles it
 * loads) stays under 300 kB of JavaScript as transferred, assets come precompressed with a year's
 * cache on hashed names, index.html is never cached, and the app's own paths fall back to it.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from './support/harness.ts';

const BUDGET = 300 * 1024;
let s: TestServer;

describe('the built dashboard', () => {
  beforeAll(async () => {
    s = await startTestServer();
  }, 120_000);
  afterAll(() => s?.close());

  const get = (path: string, encoding = 'br, gzip') =>
    fetch(s.url + path, { headers: { accept: 'text/html', 'accept-encoding': encoding } });

  test(`the first page loads at most ${BUDGET / 1024} kB of JavaScript as transferred`, async () => {
    const index = await get('/');
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(index.headers.get('content-security-policy')).toContain("default-src 'self'");
    const html = await index.text();
    const scripts = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]);
    expect(scripts.length).toBeGreaterThan(0);
    let transferred = 0;
    for (const src of scripts) {
      const res = await get(src);
      expect(res.headers.get('content-encoding')).toBe('br');
      transferred += (await res.arrayBuffer()).byteLength; // fetch decodes: count the header instead
    }
    let wire = 0;
    for (const src of scripts) wire += Number((await get(src)).headers.get('content-length'));
    console.log(
      `first page: ${scripts.length} script(s), ${(wire / 1024).toFixed(1)} kB brotli (${(transferred / 1024).toFixed(1)} kB decoded)`,
    );
    expect(wire).toBeGreaterThan(0);
    expect(wire).toBeLessThanOrEqual(BUDGET);
  });

  test('hashed assets: precompressed brotli or gzip, cached for a year; identity when neither is accepted', async () => {
    const html = await (await get('/')).text();
    const src = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1];
    const br = await get(src, 'br');
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(br.headers.get('vary')).toBe('accept-encoding');
    expect((await get(src, 'gzip')).headers.get('content-encoding')).toBe('gzip');
    const plain = await get(src, 'identity');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toContain('createRoot');
    expect((await get('/assets/missing-abc123.js')).status).toBe(404);
  });

  test("the app's own paths answer index.html; API, docs and unknown files do not", async () => {
    const deep = await get('/agents/agt_123');
    expect(deep.status).toBe(200);
    expect(await deep.text()).toContain('<div id="root">');
    expect((await fetch(`${s.url}/api/v1/nope`, { headers: { accept: 'text/html' } })).status).toBe(404);
    const json = await fetch(`${s.url}/agents/x`, { headers: { accept: 'application/json' } });
    expect(json.status).toBe(404);
    expect((await fetch(`${s.url}/docs`)).status).toBeLessThan(400);
  });
});
