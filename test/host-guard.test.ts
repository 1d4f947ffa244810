/**
 * DNS rebinding (issue 13 item 9): the routes a browser reaches with ambient authority — the MCP
 * endpoint, the session routes, anything carrying a session cookie — answer only under this
 * server's own name (the public URL's host or a loopback name), in Host and in Origin.
 */
import { request } from 'undici';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestServer, type TestServer } from './support/harness.ts';

let s: TestServer;
let key: string;
let agentId: string;

beforeAll(async () => {
  s = await startTestServer({ FLOWYTE_PUBLIC_URL: 'https://flowyte.acme.test' });
  ({ key } = await s.key('rebind', ['agents:write', 'skills:invoke']));
  agentId = (await s.call('POST', '/api/v1/agents', { key, body: { name: 'a' } })).json.data.id;
});
afterAll(() => s.close());

async function send(path: string, headers: Record<string, string>, body?: unknown) {
  const res = await request(s.url + path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.body.text();
  return { status: res.statusCode, code: text.startsWith('{') ? JSON.parse(text).code : undefined };
}

const mcpBody = { jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} };
const mcpHeaders = (extra: Record<string, string>) => ({
  authorization: `Bearer ${key}`,
  accept: 'application/json, text/event-stream',
  ...extra,
});

test('MCP under a foreign Host or Origin is refused; under its own names it answers', async () => {
  const path = `/api/v1/agents/${agentId}/mcp`;
  expect(await send(path, mcpHeaders({ host: 'evil.example' }), mcpBody)).toEqual({
    status: 403,
    code: 'host_not_allowed',
  });
  expect(
    await send(path, mcpHeaders({ host: '127.0.0.1', origin: 'http://evil.example' }), mcpBody),
  ).toMatchObject({ code: 'host_not_allowed' });
  for (const host of ['flowyte.acme.test', 'localhost:8080', '127.0.0.1', '[::1]:9']) {
    const res = await send(path, mcpHeaders({ host }), mcpBody);
    expect(res.code, host).not.toBe('host_not_allowed');
  }
});

test('the session routes and any request carrying a session cookie answer only under their own names', async () => {
  const login = { email: 'x@example.com', password: 'whatever password' };
  expect(await send('/api/v1/session/login', { host: 'evil.example' }, login)).toMatchObject({
    code: 'host_not_allowed',
  });
  expect(await send('/api/v1/session/login', { host: 'flowyte.acme.test' }, login)).not.toMatchObject({
    code: 'host_not_allowed',
  });
  expect(
    await send('/api/v1/agents', { host: 'evil.example', cookie: '__Host-flowyte_session=abc' }),
  ).toMatchObject({ code: 'host_not_allowed' });
});

test("an API-key request to an ordinary route is not a browser's ambient authority: any Host", async () => {
  const res = await send('/api/v1/agents', {
    host: 'api.behind-a-proxy.example',
    authorization: `Bearer ${key}`,
  });
  expect(res.status).toBe(200);
});
