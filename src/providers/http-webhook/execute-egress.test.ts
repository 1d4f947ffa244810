import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  echoHandler,
  startWebhookReceiver,
  type WebhookReceiver,
} from '../../../test/support/webhook-receiver.ts';
import { AppError } from '../../errors.ts';
import { EgressPolicy } from '../../security/egress.ts';
import type { WebhookConfig } from './config.ts';
import { callWebhook } from './execute.ts';
import { verifyWebhookSignature } from './signing.ts';

// A fake DNS: two public-looking names on the local receiver, one name on a private address.
const dns: Record<string, string> = {
  'hooks.example.test': '127.0.0.1',
  'other.example.test': '127.0.0.1',
  'internal.example.test': '10.0.0.1',
  'metadata.example.test': '169.254.169.254',
};
const resolver = async (host: string) => {
  if (!dns[host]) throw new Error('NXDOMAIN');
  return [{ address: dns[host], family: 4 }];
};
const egress = new EgressPolicy(['127.0.0.1/32'], resolver);
const strict = new EgressPolicy([], resolver);
const signingSecret = `whsec_${Buffer.from('egress-test-key').toString('base64')}`;
const secrets = { headers: { Authorization: 'Bearer very-secret-token', 'X-Tenant': 't-1' }, signingSecret };
let rx: WebhookReceiver;

beforeAll(async () => {
  rx = await startWebhookReceiver();
});
afterAll(() => rx.close());
afterEach(() => {
  rx.handle(echoHandler);
  rx.requests.length = 0;
});

const config = (url: string, over: Partial<WebhookConfig> = {}): WebhookConfig => ({
  url,
  method: 'POST',
  headers: {},
  timeout_ms: 2000,
  ...over,
});
const hook = (path = '/hook') => `http://hooks.example.test:${rx.port}${path}`;

async function failure(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

/** Redirects /start to `location` with `status`; everything else echoes. */
function redirectFrom(location: string, status = 302) {
  rx.handle((req, res) => {
    if (req.url.startsWith('/start')) res.writeHead(status, { location }).end();
    else echoHandler(req, res);
  });
}

describe('webhooks and the network policy', () => {
  it('refuses a redirect to the cloud metadata address', async () => {
    redirectFrom('http://169.254.169.254/latest/meta-data/');
    const err = await failure(callWebhook(config(hook('/start')), secrets, {}, { egress }));
    expect(err.code).toBe('provider_error');
    expect(err.extras.extensions).toMatchObject({ retryable: false, reason: 'egress_refused' });
    expect(err.message).toBe('the webhook redirect target is refused by the network policy');
    expect(rx.requests).toHaveLength(1);
  });

  it('refuses a redirect to a name that resolves to a private address', async () => {
    redirectFrom('http://internal.example.test/admin', 307);
    const err = await failure(callWebhook(config(hook('/start')), secrets, {}, { egress }));
    expect(err.message).toMatch(/network policy/);
  });

  it('refuses a host name that resolves to a private address', async () => {
    for (const host of ['internal.example.test', 'metadata.example.test']) {
      const err = await failure(callWebhook(config(`http://${host}/hook`), secrets, {}, { egress }));
      expect(err.message).toBe('the webhook host is refused by the network policy');
      expect(err.extras.extensions).toMatchObject({ retryable: false });
    }
  });

  it('refuses an IPv4-mapped IPv6 literal of loopback unless the policy allows loopback', async () => {
    const url = `http://[::ffff:127.0.0.1]:${rx.port}/hook`;
    const err = await failure(callWebhook(config(url), secrets, {}, { egress: strict }));
    expect(err.message).toMatch(/network policy/);
    expect(rx.requests).toHaveLength(0);
    // The same literal is judged as 127.0.0.1, which this policy allows.
    expect((await callWebhook(config(url), secrets, { a: 1 }, { egress })).status).toBe(200);
  });

  it('refuses the local receiver itself under a policy without allowances', async () => {
    const err = await failure(callWebhook(config(hook()), secrets, {}, { egress: strict }));
    expect(err.message).toMatch(/network policy/);
    expect(rx.requests).toHaveLength(0);
  });

  it('a name that does not resolve is a non-retryable provider_error', async () => {
    const err = await failure(callWebhook(config('http://nowhere.example.test/'), secrets, {}, { egress }));
    expect(err.message).toBe('the webhook host does not resolve');
  });

  it.each(['file:///etc/passwd', 'gopher://hooks.example.test/x', 'http://user:pw@hooks.example.test/'])(
    'refuses a redirect to %s',
    async (location) => {
      redirectFrom(location);
      const err = await failure(callWebhook(config(hook('/start')), secrets, {}, { egress }));
      expect(err.extras.extensions).toMatchObject({ retryable: false, reason: 'bad_redirect' });
    },
  );

  it('stops after three redirects', async () => {
    rx.handle((req, res) => res.writeHead(307, { location: `/loop${req.url.length}` }).end());
    const err = await failure(callWebhook(config(hook('/start')), secrets, {}, { egress }));
    expect(err.message).toMatch(/redirected more than 3 times/);
    expect(rx.requests).toHaveLength(4);
  });

  it('follows up to three redirects', async () => {
    rx.handle((req, res) => {
      const n = Number(req.url.slice(1) || 0);
      if (n < 3) res.writeHead(308, { location: `/${n + 1}` }).end();
      else echoHandler(req, res);
    });
    const result = await callWebhook(config(hook('/0')), secrets, { x: 1 }, { egress });
    expect(result).toEqual({ status: 200, body: { received: { x: 1 } } });
  });

  it('a same-origin 307 keeps the method, body, headers and signature', async () => {
    redirectFrom('/landing', 307);
    await callWebhook(config(hook('/start')), secrets, { seats: 2 }, { egress, idempotencyKey: 'k1' });
    const landed = rx.requests[1];
    expect(landed).toMatchObject({ method: 'POST', url: '/landing', rawBody: '{"seats":2}' });
    expect(landed.headers).toMatchObject({
      authorization: 'Bearer very-secret-token',
      'x-tenant': 't-1',
      'idempotency-key': 'k1',
    });
    expect(verifyWebhookSignature(signingSecret, landed.rawBody, landed.headers)).toBe(true);
  });

  it('a redirect to another origin drops the secret headers and the signature', async () => {
    redirectFrom(`http://other.example.test:${rx.port}/landing`, 307);
    await callWebhook(config(hook('/start')), secrets, { seats: 2 }, { egress, idempotencyKey: 'k2' });
    const landed = rx.requests[1];
    expect(landed).toMatchObject({ method: 'POST', url: '/landing', rawBody: '{"seats":2}' });
    expect(landed.headers.host).toBe(`other.example.test:${rx.port}`);
    for (const name of [
      'authorization',
      'x-tenant',
      'webhook-id',
      'webhook-signature',
      'webhook-timestamp',
    ]) {
      expect(landed.headers[name]).toBeUndefined();
    }
    expect(landed.headers['idempotency-key']).toBe('k2');
  });

  it('a 303 turns into a GET without body or signature', async () => {
    redirectFrom('/result', 303);
    await callWebhook(config(hook('/start')), secrets, { seats: 2 }, { egress });
    const landed = rx.requests[1];
    expect(landed).toMatchObject({ method: 'GET', url: '/result', rawBody: '' });
    expect(landed.headers['content-type']).toBeUndefined();
    expect(landed.headers['webhook-signature']).toBeUndefined();
  });
});
