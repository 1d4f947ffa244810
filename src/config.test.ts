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
