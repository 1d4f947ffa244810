import { describe, expect, test } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('the auto-map language model settings', () => {
  test('absent unless a URL is given; model and timeout have defaults', () => {
    expect(loadConfig({}).automapLlm).toBeNull();
    expect(loadConfig({ FLOWYTE_AUTOMAP_LLM_URL: 'http://127.0.0.1:11434/v1' }).automapLlm).toEqual({
      url: 'http://127.0.0.1:11434/v1',
      model: 'gpt-4o-mini',
      apiKey: null,
      timeoutMs: 5000,
    });
  });

  test('a URL that is not http(s), or a timeout out of range, stops the start', () => {
    expect(() => loadConfig({ FLOWYTE_AUTOMAP_LLM_URL: 'api.openai.com' })).toThrow(ConfigError);
    expect(() =>
      loadConfig({ FLOWYTE_AUTOMAP_LLM_URL: 'https://x.test/v1', FLOWYTE_AUTOMAP_LLM_TIMEOUT_MS: '5' }),
    ).toThrow(/FLOWYTE_AUTOMAP_LLM_TIMEOUT_MS/);
  });
});

describe('the auto-map confidence floor', () => {
  test('0.6 unless set; a number between 0 and 1', () => {
    expect(loadConfig({}).automapMinConfidence).toBe(0.6);
    expect(loadConfig({ FLOWYTE_AUTOMAP_MIN_CONFIDENCE: '0.75' }).automapMinConfidence).toBe(0.75);
    expect(loadConfig({ FLOWYTE_AUTOMAP_MIN_CONFIDENCE: '0' }).automapMinConfidence).toBe(0);
    for (const bad of ['1.5', '-0.1', 'high', '0x1'])
      expect(() => loadConfig({ FLOWYTE_AUTOMAP_MIN_CONFIDENCE: bad })).toThrow(
        /FLOWYTE_AUTOMAP_MIN_CONFIDENCE/,
      );
  });
});

describe('provider endpoints', () => {
  test("Shopify's: the real shop by default, a version that must look like a release", () => {
    expect(loadConfig({})).toMatchObject({ shopifyApiUrl: null, shopifyApiVersion: '2026-10' });
    expect(loadConfig({ FLOWYTE_SHOPIFY_API_VERSION: '2027-01' }).shopifyApiVersion).toBe('2027-01');
    expect(() => loadConfig({ FLOWYTE_SHOPIFY_API_VERSION: '2026-11' })).toThrow(
      /FLOWYTE_SHOPIFY_API_VERSION/,
    );
  });

  test('the sandbox points Shopify at its fake and lets only that loopback address through', () => {
    const c = loadConfig({ FLOWYTE_SANDBOX: '1', PORT: '9000' });
    expect(c.shopifyApiUrl).toBe('http://127.0.0.1:9000/sandbox/shopify/{shop}');
    expect(c.allowPrivateNetworks).toEqual(['127.0.0.1/32']);
    expect(
      loadConfig({ FLOWYTE_SANDBOX: '1', FLOWYTE_SHOPIFY_API_URL: 'https://proxy.test' })
        .allowPrivateNetworks,
    ).toEqual([]);
  });

  test("the Google OAuth app: Google's endpoints unless overridden, the issuer settable", () => {
    const app = loadConfig({}).oauthApps.google;
    expect(app).toMatchObject({ clientId: null, authorizeUrl: undefined, issuer: undefined });
    const custom = loadConfig({
      FLOWYTE_GOOGLE_API_URL: 'http://g.test',
      FLOWYTE_GOOGLE_ISSUER: 'http://g.test',
    }).oauthApps.google;
    expect(custom).toMatchObject({
      userinfoUrl: 'http://g.test/oauth2/v3/userinfo',
      issuer: 'http://g.test',
    });
  });
});

describe('deadlines', () => {
  test('the store and header deadlines have defaults and bounds', () => {
    expect(loadConfig({})).toMatchObject({
      storeTimeoutMs: 3000,
      storeConnectTimeoutMs: 2000,
      headersTimeoutMs: 10_000,
    });
    const c = loadConfig({
      FLOWYTE_STORE_TIMEOUT_MS: '500',
      FLOWYTE_STORE_CONNECT_TIMEOUT_MS: '300',
      FLOWYTE_HEADERS_TIMEOUT_MS: '250',
    });
    expect(c).toMatchObject({ storeTimeoutMs: 500, storeConnectTimeoutMs: 300, headersTimeoutMs: 250 });
    expect(() => loadConfig({ FLOWYTE_STORE_TIMEOUT_MS: '0' })).toThrow(/FLOWYTE_STORE_TIMEOUT_MS/);
    expect(() => loadConfig({ FLOWYTE_STORE_CONNECT_TIMEOUT_MS: 'x' })).toThrow(
      /FLOWYTE_STORE_CONNECT_TIMEOUT_MS/,
    );
    expect(() => loadConfig({ FLOWYTE_HEADERS_TIMEOUT_MS: '99' })).toThrow(/FLOWYTE_HEADERS_TIMEOUT_MS/);
  });
});
