/** The browser's part of an OAuth connection, played over HTTP against a server and the Google fake. */
import { expect } from 'vitest';
import type { ApiResponse, TestServer } from './harness.ts';
import { OAUTH_TEST_KIND } from './oauth-test-provider.ts';

export const ALL_SCOPES = [
  'agents:read',
  'agents:write',
  'skills:write',
  'skills:invoke',
  'integrations:read',
  'integrations:write',
];

export const CALLBACK = '/api/v1/integrations/oauth/callback';

export async function startConnect(s: TestServer, key: string, kind = OAUTH_TEST_KIND): Promise<string> {
  const res = await s.call('POST', `/api/v1/integrations/${kind}/connect`, { key });
  expect(res.status, res.text).toBe(200);
  return res.json.data.oauthUrl as string;
}

/**
 * Answers the fake's consent screen at once (`decision=allow|deny`, `account`, `grant_scopes`) and
 * returns the path and query it redirects to: our callback, whatever public URL it was built on.
 */
export async function consent(oauthUrl: string, answer: Record<string, string>): Promise<string> {
  const url = new URL(oauthUrl);
  for (const [k, v] of Object.entries(answer)) url.searchParams.set(k, v);
  const res = await fetch(url, { redirect: 'manual' });
  expect(res.status, await res.text()).toBe(302);
  const to = new URL(res.headers.get('location')!);
  expect(to.pathname).toBe(CALLBACK);
  return to.pathname + to.search;
}

export const callback = (s: TestServer, pathAndQuery: string, html = false): Promise<ApiResponse> =>
  s.call('GET', pathAndQuery, { headers: html ? { accept: 'text/html,application/xhtml+xml' } : {} });

/** connect → consent (allow) → callback; returns the callback's answer. */
export async function connectOAuth(
  s: TestServer,
  key: string,
  account: string,
  kind = OAUTH_TEST_KIND,
): Promise<ApiResponse> {
  const back = await consent(await startConnect(s, key, kind), { decision: 'allow', account });
  const res = await callback(s, back);
  expect(res.status, res.text).toBe(200);
  return res;
}

/** An agent with the test provider's action provisioned and published; returns an invoke function. */
export async function publishedAgent(s: TestServer, key: string, kind = OAUTH_TEST_KIND) {
  const agent = await s.call('POST', '/api/v1/agents', { key, body: { name: 'oauth agent' } });
  const id = agent.json.data.id as string;
  const prov = await s.call('POST', `/api/v1/agents/${id}/integrations/${kind}/provision`, { key, body: {} });
  expect(prov.status, prov.text).toBe(200);
  const pub = await s.call('POST', `/api/v1/agents/${id}/publish`, { key, body: {} });
  expect(pub.status, pub.text).toBe(201);
  return () =>
    s.call('POST', `/api/v1/agents/${id}/tools/list_calendars/invoke`, { key, body: { arguments: {} } });
}

/** A clock the server's OAuth code reads; tests move it forward. */
export function testClock() {
  return {
    offset: 0,
    now() {
      return Date.now() + this.offset;
    },
  };
}
