import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  echoHandler,
  startWebhookReceiver,
  type WebhookReceiver,
} from '../../../test/support/webhook-receiver.ts';
import { AppError } from '../../errors.ts';
import { EgressPolicy } from '../../security/egress.ts';
import type { WebhookConfig } from './config.ts';
import { callWebhook, USER_AGENT } from './execute.ts';
import { generateSigningSecret, verifyWebhookSignature } from './signing.ts';

// hooks.example.test is "public DNS" pointing at the local receiver; only 127.0.0.1 is allowed.
const egress = new EgressPolicy(['127.0.0.1/32'], async (host) => {
  if (host === 'hooks.example.test') return [{ address: '127.0.0.1', family: 4 }];
  throw new Error('NXDOMAIN');
});
const signingSecret = generateSigningSecret();
const secrets = { headers: { Authorization: 'Bearer very-secret-token' }, signingSecret };
let rx: WebhookReceiver;

beforeAll(async () => {
  rx = await startWebhookReceiver();
});
afterAll(() => rx.close());
afterEach(() => {
  rx.handle(echoHandler);
  rx.requests.length = 0;
});

const config = (over: Partial<WebhookConfig> = {}): WebhookConfig => ({
  url: `http://hooks.example.test:${rx.port}/hook`,
  method: 'POST',
  headers: { Authorization: '********' },
  timeout_ms: 2000,
  ...over,
});

async function failure(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe('calling a webhook', () => {
  it('sends the arguments as signed JSON with the operator headers, and returns the JSON answer', async () => {
    const args = { name: 'Ada Lovelace', seats: 2, when: '2025-05-01T19:00:00Z' };
    const result = await callWebhook(config(), secrets, args, {
      egress,
      idempotencyKey: 'idem-1',
      requestId: 'req-9',
    });
    expect(result).toEqual({ status: 200, body: { received: args } });

    const [req] = rx.requests;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/hook');
    expect(req.rawBody).toBe(JSON.stringify(args));
    expect(verifyWebhookSignature(signingSecret, req.rawBody, req.headers)).toBe(true);
    expect(req.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(req.headers['webhook-id']).toMatch(/^msg_/);
    expect(Math.abs(Number(req.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
    // What a receiver using the standardwebhooks library does with the secret it was shown.
    expect(new Webhook(signingSecret).verify(req.rawBody, req.headers as Record<string, string>)).toEqual(
      args,
    );
    expect(req.headers).toMatchObject({
      host: `hooks.example.test:${rx.port}`,
      authorization: 'Bearer very-secret-token',
      'content-type': 'application/json',
      'user-agent': USER_AGENT,
      'idempotency-key': 'idem-1',
      'flowyte-request-id': 'req-9',
    });
  });

  it('GET carries the arguments as ?arguments=<json>, signed, with no body', async () => {
    const args = { q: 'a&b=c d', n: 1 };
    await callWebhook(
      config({ method: 'GET', url: `http://hooks.example.test:${rx.port}/find?v=2` }),
      secrets,
      args,
      {
        egress,
      },
    );
    const [req] = rx.requests;
    const url = new URL(req.url, 'http://x');
    expect(req.method).toBe('GET');
    expect(req.rawBody).toBe('');
    expect(req.headers['content-type']).toBeUndefined();
    expect(url.searchParams.get('v')).toBe('2');
    const sent = url.searchParams.get('arguments')!;
    expect(JSON.parse(sent)).toEqual(args);
    expect(verifyWebhookSignature(signingSecret, sent, req.headers)).toBe(true);
  });

  it('returns text answers as text and an empty answer as null', async () => {
    rx.handle((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('booked ✓'),
    );
    expect(await callWebhook(config(), secrets, {}, { egress })).toEqual({ status: 200, body: 'booked ✓' });
    rx.handle((_req, res) => res.writeHead(204).end());
    expect(await callWebhook(config(), secrets, {}, { egress })).toEqual({ status: 204, body: null });
  });

  it('reuses one keep-alive connection across calls', async () => {
    const before = rx.connections();
    for (let i = 0; i < 5; i++) await callWebhook(config(), secrets, { i }, { egress });
    expect(rx.connections() - before).toBeLessThanOrEqual(1);
  });

  it('a slow endpoint becomes provider_timeout once timeout_ms has passed', async () => {
    rx.handle((_req, res) => setTimeout(() => res.end('{}'), 1500));
    const started = Date.now();
    const err = await failure(callWebhook(config({ timeout_ms: 150 }), secrets, {}, { egress }));
    expect(err.code).toBe('provider_timeout');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('a body that trickles past timeout_ms is a timeout too', async () => {
    rx.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"a":');
      setTimeout(() => res.end('1}'), 1500);
    });
    expect((await failure(callWebhook(config({ timeout_ms: 200 }), secrets, {}, { egress }))).code).toBe(
      'provider_timeout',
    );
  });

  it('5xx is a retryable provider_error with a short excerpt and no echoed secret', async () => {
    rx.handle((req, res) =>
      res.writeHead(503).end(`down; you sent ${req.headers.authorization} ${'x'.repeat(5000)}`),
    );
    const err = await failure(callWebhook(config(), secrets, {}, { egress }));
    expect(err.code).toBe('provider_error');
    expect(err.extras.extensions).toMatchObject({ retryable: true, upstreamStatus: 503 });
    expect(err.message).toMatch(/HTTP 503: down; you sent \[redacted\]/);
    expect(err.message).not.toContain('very-secret-token');
    expect(err.message.length).toBeLessThan(260);
  });

  it('a successful answer that echoes our headers comes back with every secret we sent redacted', async () => {
    rx.handle((req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          ok: true,
          echoed: { headers: req.headers, nested: [`Bearer ${String(req.headers.authorization).slice(7)}`] },
          [String(req.headers.authorization)]: 'as a key too',
        }),
      ),
    );
    const res = await callWebhook(config(), secrets, {}, { egress });
    const text = JSON.stringify(res.body);
    expect(text).not.toContain('very-secret-token');
    expect(text).not.toContain(secrets.signingSecret);
    expect(text).toContain('[redacted]');
    expect((res.body as { ok: boolean }).ok).toBe(true);
  });

  it('other 4xx are not retryable', async () => {
    rx.handle((_req, res) =>
      res.writeHead(422, { 'content-type': 'application/json' }).end('{"error":"no table"}'),
    );
    const err = await failure(callWebhook(config(), secrets, {}, { egress }));
    expect(err.extras.extensions).toMatchObject({ retryable: false, upstreamStatus: 422 });
    expect(err.message).toBe('the webhook answered HTTP 422: {"error":"no table"}');
  });

  it('429 becomes rate_limited carrying Retry-After', async () => {
    rx.handle((_req, res) => res.writeHead(429, { 'retry-after': '7' }).end());
    const err = await failure(callWebhook(config(), secrets, {}, { egress }));
    expect(err.code).toBe('rate_limited');
    expect(err.extras.retryAfter).toBe(7);
  });

  it('an answer over the size cap is refused, declared or streamed', async () => {
    const big = Buffer.alloc(4096, 'a');
    rx.handle((_req, res) => res.writeHead(200, { 'content-length': big.length }).end(big));
    const declared = await failure(callWebhook(config(), secrets, {}, { egress, maxResponseBytes: 1024 }));
    expect(declared.message).toMatch(/too large/);
    expect(declared.extras.extensions).toMatchObject({ retryable: false });

    rx.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      for (let i = 0; i < 8; i++) res.write(big);
      res.end();
    });
    const streamed = await failure(callWebhook(config(), secrets, {}, { egress, maxResponseBytes: 1024 }));
    expect(streamed.message).toMatch(/too large/);
  });

  it('the default cap is 1 MiB', async () => {
    rx.handle((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/plain' }).end(Buffer.alloc(1024 * 1024 + 1, 'a')),
    );
    expect((await failure(callWebhook(config(), secrets, {}, { egress }))).message).toMatch(/too large/);
    rx.handle((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/plain' }).end(Buffer.alloc(1024 * 1024, 'a')),
    );
    expect(((await callWebhook(config(), secrets, {}, { egress })).body as string).length).toBe(1024 * 1024);
  });

  it('invalid JSON under a JSON content type is a provider_error', async () => {
    rx.handle((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{nope'));
    expect((await failure(callWebhook(config(), secrets, {}, { egress }))).message).toMatch(/invalid JSON/);
  });

  it('a refused connection is a retryable provider_error', async () => {
    const closed = await startWebhookReceiver();
    const port = closed.port;
    await closed.close();
    const err = await failure(
      callWebhook(config({ url: `http://hooks.example.test:${port}/` }), secrets, {}, { egress }),
    );
    expect(err.code).toBe('provider_error');
    expect(err.extras.extensions).toMatchObject({ retryable: true });
    expect(err.message).toMatch(/refused the connection/);
  });

  it('a caller that gives up aborts the call with its own reason', async () => {
    rx.handle((_req, res) => setTimeout(() => res.end('{}'), 1000));
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('client went away')), 50);
    await expect(callWebhook(config(), secrets, {}, { egress, signal: controller.signal })).rejects.toThrow(
      'client went away',
    );
  });

  it('skips stored headers Flowyte owns and refuses unsendable stored values without retry', async () => {
    const forged = {
      headers: {
        Host: 'evil.test',
        'Webhook-Signature': 'v1,forged',
        'Webhook-Id': 'msg_forged',
        'X-Ok': '1',
      },
      signingSecret,
    };
    await callWebhook(config(), forged, { a: 1 }, { egress });
    const [req] = rx.requests;
    expect(req.headers.host).toBe(`hooks.example.test:${rx.port}`);
    expect(req.headers['x-ok']).toBe('1');
    expect(req.headers['webhook-id']).not.toBe('msg_forged');
    expect(verifyWebhookSignature(signingSecret, req.rawBody, req.headers)).toBe(true);

    const broken = { headers: { 'X-Bad': 'a\r\nX-Injected: 1' }, signingSecret };
    const err = await failure(callWebhook(config(), broken, {}, { egress }));
    expect(err.extras.extensions).toMatchObject({ retryable: false });
    expect(rx.requests).toHaveLength(1);
  });

  it('arbitrary JSON arguments arrive byte-identical and correctly signed', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (args) => {
        rx.requests.length = 0;
        await callWebhook(config(), secrets, args, { egress });
        const [req] = rx.requests;
        expect(req.rawBody).toBe(JSON.stringify(args));
        expect(JSON.parse(req.rawBody)).toEqual(JSON.parse(JSON.stringify(args)));
        expect(verifyWebhookSignature(signingSecret, req.rawBody, req.headers)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});
