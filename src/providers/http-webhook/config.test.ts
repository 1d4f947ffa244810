import { describe, expect, it } from 'vitest';
import { EgressPolicy } from '../../security/egress.ts';
import { MASKED_VALUE, maskHeaders, mergeHeaders, validateWebhookConfig } from './config.ts';

const fieldsOf = (input: unknown, opts = {}) => {
  const r = validateWebhookConfig(input, opts);
  return r.ok ? [] : r.errors.map((e) => e.field);
};

describe('webhook execution config', () => {
  it('applies the defaults: POST, 10 s, no headers', () => {
    expect(validateWebhookConfig({ url: 'https://hooks.example.com/x' })).toEqual({
      ok: true,
      config: { url: 'https://hooks.example.com/x', method: 'POST', headers: {}, timeout_ms: 10_000 },
    });
  });

  it('keeps a full valid config', () => {
    const input = {
      url: 'http://a.example/h?x=1',
      method: 'GET',
      headers: { Authorization: 'Bearer t' },
      timeout_ms: 100,
    };
    expect(validateWebhookConfig(input)).toEqual({ ok: true, config: input });
  });

  it.each([
    ['ftp://a.example/x', 'must use http or https'],
    ['javascript:alert(1)', 'must use http or https'],
    ['https://user:pw@a.example/x', 'must not contain credentials'],
    ['/relative/path', 'is not a valid absolute URL'],
  ])('refuses the URL %s', (url, message) => {
    const r = validateWebhookConfig({ url });
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.errors).toContainEqual({
        field: 'executionConfig.url',
        message: expect.stringContaining(message),
      });
  });

  it('refuses a URL longer than 2048 characters', () => {
    expect(fieldsOf({ url: `https://a.example/${'x'.repeat(2048)}` })).toEqual(['executionConfig.url']);
  });

  it('refuses unknown methods, out-of-range timeouts and unknown fields, all at once', () => {
    const fields = fieldsOf({ url: 'https://a.example', method: 'TRACE', timeout_ms: 50, retries: 3 });
    expect(fields).toEqual(
      expect.arrayContaining([
        'executionConfig.method',
        'executionConfig.timeout_ms',
        'executionConfig.retries',
      ]),
    );
    expect(fieldsOf({ url: 'https://a.example', timeout_ms: 30_001 })).toEqual([
      'executionConfig.timeout_ms',
    ]);
    expect(fieldsOf({ url: 'https://a.example', timeout_ms: 1000.5 })).toEqual([
      'executionConfig.timeout_ms',
    ]);
  });

  it('does not throw on non-objects', () => {
    for (const input of [null, 'https://a.example', 42, []])
      expect(validateWebhookConfig(input).ok).toBe(false);
  });

  it.each([
    'Host',
    'content-type',
    'Content-Length',
    'Connection',
    'Transfer-Encoding',
    'Keep-Alive',
    'Upgrade',
    'Proxy-Authorization',
    'Flowyte-Signature',
    'flowyte-timestamp',
    'Webhook-Signature',
    'webhook-id',
    'Webhook-Timestamp',
    'Flowyte-Anything',
    'Idempotency-Key',
    'User-Agent',
  ])('refuses the header %s, which Flowyte or the connection owns', (name) => {
    expect(fieldsOf({ url: 'https://a.example', headers: { [name]: 'v' } })).toEqual([
      `executionConfig.headers.${name}`,
    ]);
  });

  it('refuses invalid header names and values that could inject headers', () => {
    const fields = fieldsOf({
      url: 'https://a.example',
      headers: {
        'Bad Name': 'v',
        'X-Ok': 'a\r\nX-Injected: 1',
        'X-Nul': 'a\u0000b',
        'X-Fine': 'tab\tand spaces',
      },
    });
    expect(fields.sort()).toEqual([
      'executionConfig.headers.Bad Name',
      'executionConfig.headers.X-Nul',
      'executionConfig.headers.X-Ok',
    ]);
  });

  it('refuses more than 20 headers and names given twice ignoring case', () => {
    const many = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`X-H${i}`, 'v']));
    expect(fieldsOf({ url: 'https://a.example', headers: many })).toEqual(['executionConfig.headers']);
    expect(fieldsOf({ url: 'https://a.example', headers: { 'X-Key': 'a', 'x-key': 'b' } })).toEqual([
      'executionConfig.headers.x-key',
    ]);
  });

  it('with a policy, refuses a URL on a literal refused address at configuration time', () => {
    const egress = new EgressPolicy();
    for (const url of [
      'http://169.254.169.254/latest',
      'http://10.0.0.1/',
      'http://[::ffff:127.0.0.1]/',
      'http://[::1]:80/',
    ]) {
      expect(fieldsOf({ url }, { egress })).toEqual(['executionConfig.url']);
    }
    expect(fieldsOf({ url: 'http://93.184.215.14/' }, { egress })).toEqual([]);
    expect(
      fieldsOf({ url: 'http://127.0.0.1:8080/' }, { egress: new EgressPolicy(['127.0.0.1/32']) }),
    ).toEqual([]);
  });

  it('uses the given field prefix', () => {
    expect(fieldsOf({ url: 'ftp://x' }, { prefix: 'config' })).toEqual(['config.url']);
  });
});

describe('masked header values', () => {
  const stored = { Authorization: 'Bearer s3cret-token', 'X-Api-Key': 'key-123' };

  it('shows every name and no value', () => {
    const masked = maskHeaders(stored);
    expect(masked).toEqual({ Authorization: MASKED_VALUE, 'X-Api-Key': MASKED_VALUE });
    expect(JSON.stringify(masked)).not.toMatch(/s3cret|key-123/);
    expect(maskHeaders(undefined)).toEqual({});
  });

  it('a PATCH that sends the masked config back keeps the stored values', () => {
    const merged = mergeHeaders(stored, maskHeaders(stored));
    expect(merged).toEqual(stored);
    expect(validateWebhookConfig({ url: 'https://a.example', headers: merged }).ok).toBe(true);
  });

  it('replaces changed values, adds new ones, drops omitted ones, matches names ignoring case', () => {
    const merged = mergeHeaders(stored, { authorization: MASKED_VALUE, 'X-New': 'fresh' });
    expect(merged).toEqual({ authorization: 'Bearer s3cret-token', 'X-New': 'fresh' });
  });

  it('keeps everything when the update leaves headers out', () => {
    expect(mergeHeaders(stored, undefined)).toEqual(stored);
  });

  it('a masked value with nothing stored under that name is a validation error, not a stored mask', () => {
    const merged = mergeHeaders(stored, { 'X-Unknown': MASKED_VALUE });
    const r = validateWebhookConfig({ url: 'https://a.example', headers: merged });
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.errors[0]).toMatchObject({
        field: 'executionConfig.headers.X-Unknown',
        message: expect.stringMatching(/masked/),
      });
  });

  it('a header named __proto__ stays an ordinary entry', () => {
    const incoming = JSON.parse('{"__proto__": "x"}');
    expect(Object.keys(maskHeaders(incoming))).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(mergeHeaders({}, incoming))).toBe(Object.prototype);
  });
});
