/** The one door to a shop over HTTP, against misbehaving servers on real sockets. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { isAppError } from '../../errors.ts';
import { EgressPolicy } from '../../security/egress.ts';
import type { ProviderContext } from '../types.ts';
import { shopRequest } from './http.ts';

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/drip') {
      // A byte every 100 ms: each wait is short, the whole answer is not.
      res.writeHead(200, { 'content-type': 'application/json' });
      let n = 0;
      const timer = setInterval(() => {
        if (res.destroyed || n++ > 50) {
          clearInterval(timer);
          res.end();
        } else res.write(' ');
      }, 100);
      return;
    }
    if (req.url === '/huge') {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(1024 * 1024, 32);
      let n = 0;
      const more = () => {
        while (n++ < 30) if (!res.write(chunk)) return res.once('drain', more);
        res.end();
      };
      return more();
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"data":{"ok":true}}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const ctx = (egress: EgressPolicy, timeoutMs = 400): ProviderContext => ({
  endpoints: { googleApiUrl: '', shopifyApiUrl: null, shopifyApiVersion: '2026-10' },
  resolveHost: (h) => egress.resolve(h),
  dispatcher: egress.dispatcher(),
  allowPlaintextSql: false,
  timeoutMs,
});
const post = { method: 'POST' as const, headers: {}, body: '{}' };
const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e) => (isAppError(e) ? e.code : String(e)),
  );

test('answers go through the network policy: a loopback shop is refused unless allowed', async () => {
  expect(await codeOf(shopRequest(ctx(new EgressPolicy([])), `${base}/ok`, post))).toBe('provider_error');
  const ok = await shopRequest(ctx(new EgressPolicy(['127.0.0.1/32'])), `${base}/ok`, post);
  expect(ok.body).toEqual({ data: { ok: true } });
});

test('a slow drip of bytes is cut at the deadline although each wait is short', async () => {
  const started = Date.now();
  expect(await codeOf(shopRequest(ctx(new EgressPolicy(['127.0.0.1/32'])), `${base}/drip`, post))).toBe(
    'provider_timeout',
  );
  expect(Date.now() - started).toBeLessThan(2_000);
});

test('an answer larger than the cap is refused without reading it all', async () => {
  expect(
    await codeOf(shopRequest(ctx(new EgressPolicy(['127.0.0.1/32']), 10_000), `${base}/huge`, post)),
  ).toBe('provider_error');
});

test('without the network policy dispatcher no request is made', async () => {
  const bare = { ...ctx(new EgressPolicy(['127.0.0.1/32'])), dispatcher: undefined };
  // A server setup fault, not the caller's credentials: never credentials_rejected.
  expect(await codeOf(shopRequest(bare, `${base}/ok`, post))).toBe('unavailable');
});
