/**
 * A client that trickles its request headers (slowloris) is cut once FLOWYTE_HEADERS_TIMEOUT_MS
 * is up, not after Node's 60 s + a 30 s checking interval; a normal request is unaffected.
 */
import net from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestServer, type TestServer } from './support/harness.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ FLOWYTE_HEADERS_TIMEOUT_MS: '400', LOG_LEVEL: 'warn' });
});
afterAll(() => server?.close());

test('a slow-header client is cut shortly after the headers timeout', async () => {
  const { port } = new URL(server.url);
  const socket = net.connect(Number(port), '127.0.0.1');
  socket.on('error', () => {});
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  const started = Date.now();
  let received = '';
  socket.on('data', (d) => {
    received += d.toString();
  });
  const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now() - started)));
  socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n');
  // One header byte every 50 ms: the connection never goes idle, the headers never end.
  const drip = setInterval(() => {
    if (!socket.destroyed) socket.write('X-Slow: a\r\n');
  }, 50);
  const ms = await Promise.race([closed, new Promise<number>((r) => setTimeout(() => r(-1), 10_000))]);
  clearInterval(drip);
  socket.destroy();
  expect(ms).not.toBe(-1);
  expect(ms).toBeGreaterThanOrEqual(350);
  expect(ms).toBeLessThan(2_000);
  expect(received).toMatch(/^HTTP\/1\.1 408/);
  console.log(`slow-header client cut after ${ms} ms (FLOWYTE_HEADERS_TIMEOUT_MS=400)`);
});

test('a request that sends its headers in time is served', async () => {
  expect((await server.call('GET', '/healthz')).status).toBe(200);
});
