import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { generateSigningSecret, signWebhookPayload, verifyWebhookSignature } from './signing.ts';

const secret = `whsec_${Buffer.from('a test key of thirty-two bytes!!').toString('base64')}`;
const body = '{"name":"Ada","seats":2}';

describe('webhook signatures (Standard Webhooks v1)', () => {
  it('secrets are whsec_ plus 32 random bytes in base64, never repeated', () => {
    const a = generateSigningSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(a.slice(6), 'base64')).toHaveLength(32);
    expect(generateSigningSecret()).not.toBe(a);
  });

  it('is base64 HMAC-SHA-256 over "<id>.<t>.<body>", keyed by the decoded secret, as documented', () => {
    const headers = signWebhookPayload(secret, body, { id: 'msg_1', timestamp: 1_700_000_000 });
    const key = Buffer.from(secret.slice(6), 'base64');
    const expected = createHmac('sha256', key).update(`msg_1.1700000000.${body}`).digest('base64');
    expect(headers).toEqual({
      'webhook-id': 'msg_1',
      'webhook-timestamp': '1700000000',
      'webhook-signature': `v1,${expected}`,
    });
  });

  it('a new message id per call', () => {
    const a = signWebhookPayload(secret, body)['webhook-id'];
    expect(a).toMatch(/^msg_[A-Za-z0-9_-]{24}$/);
    expect(signWebhookPayload(secret, body)['webhook-id']).not.toBe(a);
  });

  it('the standardwebhooks library verifies our signature with the secret as we show it', () => {
    const headers = signWebhookPayload(generateSigningSecret(), body);
    const fresh = generateSigningSecret();
    const signed = signWebhookPayload(fresh, body);
    expect(new Webhook(fresh).verify(body, signed)).toEqual(JSON.parse(body));
    // …and refuses it under another secret or for another body.
    expect(() => new Webhook(fresh).verify(body, headers)).toThrow();
    expect(() => new Webhook(fresh).verify(`${body} `, signed)).toThrow();
  });

  it('a secret from before (whsec_ + base64url) still signs, verifiable once translated to base64', () => {
    const old = `whsec_${Buffer.from('an older key with -_ bytes \xfb\xff', 'latin1').toString('base64url')}`;
    const signed = signWebhookPayload(old, body);
    const translated = `whsec_${Buffer.from(old.slice(6), 'base64url').toString('base64')}`;
    expect(new Webhook(translated).verify(body, signed)).toEqual(JSON.parse(body));
  });

  it('verifies what the standardwebhooks library signs', () => {
    const id = 'msg_from_lib';
    const now = new Date();
    const signature = new Webhook(secret).sign(id, now, body);
    const headers = {
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': signature,
    };
    expect(verifyWebhookSignature(secret, body, headers)).toBe(true);
  });

  it('verifies its own signature, for strings and bytes alike', () => {
    const headers = signWebhookPayload(secret, body);
    expect(verifyWebhookSignature(secret, body, headers)).toBe(true);
    expect(verifyWebhookSignature(secret, Buffer.from(body), headers)).toBe(true);
  });

  it('refuses a changed body, another secret, or a stale or future timestamp', () => {
    const now = 1_700_000_000;
    const headers = signWebhookPayload(secret, body, { timestamp: now });
    expect(verifyWebhookSignature(secret, `${body} `, headers, 300, now)).toBe(false);
    expect(verifyWebhookSignature(generateSigningSecret(), body, headers, 300, now)).toBe(false);
    expect(verifyWebhookSignature(secret, body, headers, 300, now + 301)).toBe(false);
    expect(verifyWebhookSignature(secret, body, headers, 300, now - 301)).toBe(false);
    expect(verifyWebhookSignature(secret, body, headers, 300, now + 300)).toBe(true);
  });

  it('refuses a timestamp or id swapped in without re-signing (both are part of the signed string)', () => {
    const headers = signWebhookPayload(secret, body, { id: 'msg_a', timestamp: 1_700_000_000 });
    const later = { ...headers, 'webhook-timestamp': '1700000100' };
    expect(verifyWebhookSignature(secret, body, later, 300, 1_700_000_100)).toBe(false);
    const otherId = { ...headers, 'webhook-id': 'msg_b' };
    expect(verifyWebhookSignature(secret, body, otherId, 300, 1_700_000_000)).toBe(false);
  });

  it('accepts any of several space-separated v1 signatures (secret rotation)', () => {
    const headers = signWebhookPayload(secret, body);
    const rotated = {
      ...headers,
      'webhook-signature': `v1,${Buffer.alloc(32).toString('base64')} ${headers['webhook-signature']}`,
    };
    expect(verifyWebhookSignature(secret, body, rotated)).toBe(true);
  });

  it.each([
    {},
    { 'webhook-id': 'msg_1', 'webhook-timestamp': '1700000000' },
    { 'webhook-id': 'msg_1', 'webhook-timestamp': 'abc', 'webhook-signature': 'v1,AAAA' },
    { 'webhook-id': 'msg_1', 'webhook-timestamp': '1700000000', 'webhook-signature': 'garbage' },
    { 'webhook-id': 'msg_1', 'webhook-timestamp': '1700000000', 'webhook-signature': 'v1,zz' },
    { 'webhook-id': ['a', 'b'], 'webhook-timestamp': '1700000000', 'webhook-signature': 'v1,AAAA' },
  ])('returns false, never throws, on the malformed headers %j', (headers) => {
    expect(verifyWebhookSignature(secret, body, headers as Record<string, string>, 300, 1_700_000_000)).toBe(
      false,
    );
  });
});
