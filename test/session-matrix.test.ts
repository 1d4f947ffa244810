/**
 * Every scoped /api/v1 route, reached with a dashboard session instead of a key: the same declared
 * scope decides (members lack keys:write and deletes), writes without the CSRF token are refused,
 * a session plus a key is refused, and an organization the user is not in is 404. The route list
 * comes from the app, so a new route is covered without editing this file.
 */
import { afterAll, describe, expect, test, vi } from 'vitest';
import { startTestServer } from './support/harness.ts';
import { apiRoutes, type CollectedRoute, fillPath, sampleFromSchema } from './support/routes.ts';
import { createOperator, login } from './support/sessions.ts';
import { TEST_KIND, testProvider } from './support/test-provider.ts';

const routes = vi.hoisted(() => [] as CollectedRoute[]);
vi.mock('fastify', async (orig) => (await import('./support/routes.ts')).withRouteCollector(orig, routes));

const s = await startTestServer({ FLOWYTE_RATE_LIMIT_PER_MINUTE: '1000000' }, { providers: [testProvider] });
afterAll(() => s.close());

const PW = 'matrix password 1';
await createOperator(s, 'owner@example.com', 'org-a', 'owner', PW);
await createOperator(s, 'member@example.com', 'org-a', 'member', PW);
const outsider = await createOperator(s, 'out@example.com', 'org-b', 'owner', PW);
const owner = await login(s, 'owner@example.com', PW);
const member = await login(s, 'member@example.com', PW);
const key = await s.key('org-a', ['integrations:read']);

const scoped = apiRoutes(routes).filter((r) => r.config.scope);
const isWrite = (m: string) => m !== 'GET' && m !== 'HEAD';

function requestFor(route: CollectedRoute) {
  const path = fillPath(route.url, { kind: TEST_KIND, keyId: 'key_x', id: 'agt_x', agentId: 'agt_x' });
  const body = route.schema?.body ? sampleFromSchema(route.schema.body) : undefined;
  return { path, body };
}

test('the collector saw the scoped routes', () => expect(scoped.length).toBeGreaterThan(20));

describe.each(scoped.map((r) => [`${r.method} ${r.url}`, r] as const))('%s', (_name, route) => {
  const { path, body } = requestFor(route);

  test('an owner session passes authorization (whatever the handler then says)', async () => {
    const res = await owner.call(route.method, path, { body });
    expect([401, 403], res.text).not.toContain(res.status);
    expect(res.status).toBeLessThan(500);
  });

  test('a member session: refused exactly on keys:write and deletes', async () => {
    const res = await member.call(route.method, path, { body });
    const refused = route.config.scope === 'keys:write' || route.method === 'DELETE';
    if (refused) expect([res.status, res.json?.code], res.text).toEqual([403, 'insufficient_scope']);
    else expect([401, 403], res.text).not.toContain(res.status);
  });

  // Only writes need the token: reads get no test rather than a skipped one.
  if (isWrite(route.method)) {
    test('a session write without the CSRF token: 403', async () => {
      const res = await owner.call(route.method, path, { body, csrf: false });
      expect([res.status, res.json?.code]).toEqual([403, 'csrf_token_invalid']);
    });
  }

  test('a session plus an API key: 400 credentials_conflict', async () => {
    const res = await s.call(route.method, path, {
      key: key.key,
      body,
      headers: { cookie: owner.cookie, 'x-csrf-token': owner.csrfToken },
    });
    expect([res.status, res.json?.code]).toEqual([400, 'credentials_conflict']);
  });

  test('a session naming an organization it is not in: 404', async () => {
    const res = await owner.call(route.method, path, {
      body,
      headers: { 'x-organization-id': outsider.orgId },
    });
    expect([res.status, res.json?.code]).toEqual([404, 'not_found']);
  });
});
