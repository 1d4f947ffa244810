/**
 * GET /api/v1/metrics: Prometheus text a scraper parses, with the families operators alert on, and
 * labels that are route patterns and skill types (never an agent id or a path as sent).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from './support/harness.ts';
import { echoHandler, startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver.ts';

describe('metrics', () => {
  let s: TestServer;
  let hook: WebhookReceiver;
  let key: string;
  let scraper: string;
  let agentId: string;

  beforeAll(async () => {
    s = await startTestServer();
    hook = await startWebhookReceiver((req, res) => {
      if (req.url === '/broken') {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end('{"error":"down"}');
      } else echoHandler(req, res);
    });
    key = (await s.key('metered', ['agents:write', 'skills:write', 'skills:invoke'])).key;
    scraper = (await s.key('metered', ['metrics:read'])).key;
    agentId = (await s.call('POST', '/api/v1/agents', { key, body: { name: 'metered' } })).json.data.id;
    for (const name of ['works', 'broken']) {
      const res = await s.call('POST', `/api/v1/agents/${agentId}/skills`, {
        key,
        body: {
          name,
          description: name,
          skillType: 'http_webhook',
          parametersSchema: { type: 'object', properties: {}, required: [], additionalProperties: false },
          executionConfig: { url: `http://127.0.0.1:${hook.port}/${name}` },
        },
      });
      expect(res.status, res.text).toBe(201);
    }
    expect((await s.call('POST', `/api/v1/agents/${agentId}/publish`, { key, body: {} })).status).toBe(201);
  });

  afterAll(async () => {
    await s?.close();
    await hook?.close();
  });

  const scrape = async () => {
    const res = await fetch(`${s.url}/api/v1/metrics`, { headers: { authorization: `Bearer ${scraper}` } });
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
  };
  /** The value of one sample line, by its full name and labels as Prometheus prints them. */
  const sample = (text: string, line: string) => {
    const found = text.split('\n').find((l) => l.startsWith(`${line} `));
    return found ? Number(found.slice(line.length + 1)) : undefined;
  };

  test('a scrape answers Prometheus text with every family', async () => {
    const invoke = (tool: string) =>
      s.call('POST', `/api/v1/agents/${agentId}/tools/${tool}/invoke`, { key, body: { arguments: {} } });
    expect((await invoke('works')).status).toBe(200);
    expect((await invoke('works')).status).toBe(200);
    const failed = await invoke('broken');
    expect(failed.status).toBeGreaterThanOrEqual(400);

    const { status, type, text } = await scrape();
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/plain; version=0\.0\.4/);
    for (const family of [
      'flowyte_http_request_duration_seconds histogram',
      'flowyte_invoke_duration_seconds histogram',
      'flowyte_provider_errors_total counter',
      'flowyte_token_refreshes_total counter',
      'flowyte_pools_open gauge',
      'flowyte_pool_connections gauge',
      'flowyte_pool_connections_idle gauge',
      'flowyte_pool_waiting gauge',
      'nodejs_eventloop_lag_p99_seconds gauge',
      'process_cpu_seconds_total counter',
    ]) {
      expect(text, family).toContain(`# TYPE ${family}`);
    }
    expect(
      sample(text, 'flowyte_invoke_duration_seconds_count{skill_type="http_webhook",outcome="ok"}'),
    ).toBe(2);
    expect(
      sample(text, 'flowyte_invoke_duration_seconds_count{skill_type="http_webhook",outcome="error"}'),
    ).toBe(1);
    const errors = text.split('\n').filter((l) => l.startsWith('flowyte_provider_errors_total{'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^flowyte_provider_errors_total\{skill_type="http_webhook",code="[a-z_]+"\} 1$/,
    );
    // Labelled by the route's pattern: two calls to one route are one series, and no id shows.
    expect(
      sample(
        text,
        'flowyte_http_request_duration_seconds_count{method="POST",route="/api/v1/agents/:id/tools/:name/invoke",status="2xx"}',
      ),
    ).toBe(2);
    expect(text).not.toContain(agentId);
    expect(text).not.toContain(key);
  });

  test('a second scrape counts the first request', async () => {
    const { text } = await scrape();
    expect(
      sample(
        text,
        'flowyte_http_request_duration_seconds_count{method="GET",route="/api/v1/metrics",status="2xx"}',
      ),
    ).toBeGreaterThanOrEqual(1);
  });

  test('a key without metrics:read is refused, naming the scope', async () => {
    const res = await s.call('GET', '/api/v1/metrics', { key });
    expect([res.status, res.json.code, res.json.scope]).toEqual([403, 'insufficient_scope', 'metrics:read']);
  });
});
