import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateSigningSecret, signWebhookPayload, verifyWebhookSignature } from './signing.ts';

const secret = 'whsec_test-secret';
const body = '{"name":"Ada","seats":2}';

describe('webhook signatures', () => {
  it('secrets are whsec_ plus 32 random bytes in base64url, never repeated', () => {
    const a = generateSigningSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a.slice(6), 'base64url')).toHaveLength(32);
    expect(generateSigningSecret()).not.toBe(a);
  });

  it('is HMAC-SHA-256 over "<t>.<body>" keyed by the whole secret string, as documented', () => {
    const headers = signWebhookPayload(secret, body, 1_700_000_000);
    const expected = createHmac('sha256', secret).update(`1700000000.${body}`).digest('hex');
    expect(headers).toEqual({
      'flowyte-signature': `t=1700000000,v1=${expected}`,
      'flowyte-timestamp': '1700000000',
    });
  });

  it('verifies its own signature, for strings and bytes alike', () => {
    const { 'flowyte-signature': header } = signWebhookPayload(secret, body);
    expect(verifyWebhookSignature(secret, body, header)).toBe(true);
    expect(verifyWebhookSignature(secret, Buffer.from(body), header)).toBe(true);
  });

  it('refuses a changed body, another secret, or a stale or future timestamp', () => {
    const now = 1_700_000_000;
    const { 'flowyte-signature': header } = signWebhookPayload(secret, body, now);
    expect(verifyWebhookSignature(secret, `${body} `, header, 300, now)).toBe(false);
    expect(verifyWebhookSignature('whsec_other', body, header, 300, now)).toBe(false);
    expect(verifyWebhookSignature(secret, body, header, 300, now + 301)).toBe(false);
    expect(verifyWebhookSignature(secret, body, header, 300, now - 301)).toBe(false);
    expect(verifyWebhookSignature(secret, body, header, 300, now + 300)).toBe(true);
  });

  it('refuses a timestamp swapped in without re-signing (it is part of the signed string)', () => {
    const { 'flowyte-signature': header } = signWebhookPayload(secret, body, 1_700_000_000);
    const replayed = header.replace('t=1700000000', 't=1700000100');
    expect(verifyWebhookSignature(secret, body, replayed, 300, 1_700_000_100)).toBe(false);
  });

  it('accepts any of several v1 signatures (secret rotation)', () => {
    const t = Math.floor(Date.now() / 1000);
    const good = signWebhookPayload(secret, body, t)['flowyte-signature'].split('v1=')[1];
    expect(verifyWebhookSignature(secret, body, `t=${t},v1=${'0'.repeat(64)},v1=${good}`)).toBe(true);
  });

  it.each([
    undefined,
    null,
    '',
    'garbage',
    't=abc,v1=00',
    `v1=${'a'.repeat(64)}`,
    't=1700000000',
    't=1700000000,v1=zz',
    ['t=1', 'v1=2'],
  ])('returns false, never throws, on the malformed header %j', (header) => {
    expect(verifyWebhookSignature(secret, body, header as string | undefined)).toBe(false);
  });
});
