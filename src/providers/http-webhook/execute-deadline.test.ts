/**
 * A webhook's `timeout_ms` bounds the whole call, the connection included: a name whose lookup
 * never answers, and a TLS server that accepts the connection but never finishes the handshake,
 * both end as provider_timeout close to timeout_ms (not the connector's own 10 s).
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../errors.ts';
import { EgressPolicy } from '../../security/egress.ts';
import type { WebhookConfig } from './config.ts';
import { callWebhook } from './execute.ts';

const hangingDns = new EgressPolicy([], () => new Promise(() => {}));
const loopback = new EgressPolicy(['127.0.0.1/32']);
const secrets = { headers: { Authorization: 'Bearer deadline-secret' }, signingSecret: 'whsec_deadline' };
const config = (url: string, timeout_ms: number): WebhookConfig => ({
  url,
  method: 'POST',
  headers: {},
  timeout_ms,
});

// Accepts TCP connections and never says a word: a TLS handshake to it never completes.
let silent: net.Server;
const sockets = new Set<net.Socket>();
beforeAll(async () => {
  silent = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
  });
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((r) => silent.close(r));
});

async function timedFailure(p: Promise<unknown>): Promise<{ err: AppError; ms: number }> {
  const started = Date.now();
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return { err: err as AppError, ms: Date.now() - started };
}

describe('timeout_ms covers connecting', () => {
  it('a DNS lookup that never answers', async () => {
    const { err, ms } = await timedFailure(
      callWebhook(config('https://hangs.example.test/hook', 300), secrets, {}, { egress: hangingDns }),
    );
    expect(err.code).toBe('provider_timeout');
    expect(err.extras.extensions).toMatchObject({ retryable: true, timeoutMs: 300 });
    expect(ms).toBeGreaterThanOrEqual(250);
    expect(ms).toBeLessThan(800);
  });

  it('a TLS handshake that never completes (accepted, then silence)', async () => {
    const port = (silent.address() as net.AddressInfo).port;
    const { err, ms } = await timedFailure(
      callWebhook(config(`https://127.0.0.1:${port}/hook`, 1000), secrets, {}, { egress: loopback }),
    );
    expect(err.code).toBe('provider_timeout');
    expect(ms).toBeGreaterThanOrEqual(990);
    expect(ms).toBeLessThan(1_500);
    console.log(`webhook timeout_ms=1000, TLS handshake never answered: provider_timeout after ${ms} ms`);
  });
});
