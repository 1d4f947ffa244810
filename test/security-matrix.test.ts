/**
 * Every route × every way a caller can be wrong: no key, a revoked or expired key, a key without the
 * route's scope, a valid key of another organization, and a key plus X-Organization-Id. The route
 * list comes from the app itself, so a new route is covered (or fails here) without editing this file.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, test, vi } from 'vitest';
import { SCOPES } from '../src/security/api-keys.ts';
import { type ApiResponse, startTestServer } from './support/harness.ts';
import { apiRoutes, type CollectedRoute, fillPath, paramNames, sampleFromSchema } from './support/routes.ts';
import { TEST_KIND, testProvider } from './support/test-provider.ts';

const routes = vi.hoisted(() => [] as CollectedRoute[]);
vi.mock('fastify', async (orig) => (await import('./support/routes.ts')).withRouteCollector(orig, routes));

/** The only routes reachable without a key (SPEC §1). A new public route must be added here on purpose. */
const PUBLIC_ALLOWED = [
  /^\/healthz$/,
  /^\/readyz$/,
  /^\/api\/v1\/openapi\.json$/,
  /^\/docs(\/|$)/,
  /^\/api\/v1\/integrations\/oauth\/callback$/,
  // The dashboard's page, static files and login (SPEC §1).
  /^\/$/,
  // The pages each problem's `type` points at (SPEC §1).
  /^\/errors(\/|$)/,
  /^\/(assets|static)\//,
  /^\/api\/v1\/(auth|session)\/(login|logout)$/,
  // The dashboard asks who is signed in (null without a session).
  /^\/api\/v1\/session$/,
];

/** Bodies for routes whose schema the generic sample cannot satisfy. */
const BODY_OVERRIDES: Record<string, unknown> = {
  'POST /api/v1/keys': { scopes: ['integrations:read'] },
  'POST /api/v1/integrations/:kind/connect': { credentials: { token: 'good-b' } },
  'POST /api/v1/integrations/:kind/sql/test': { token: 'good-b' },
  'POST /api/v1/agents/:id/confirmations': { token: `fct_${'A'.repeat(32)}`, arguments: {} },
};

const QUERY_OVERRIDES: Record<string, string> = {
  'GET /api/v1/integrations/:kind/sql/scripts': '?database=app&tables=a,b',
};

const s = await startTestServer({ FLOWYTE_RATE_LIMIT_PER_MINUTE: '1000000' }, { providers: [testProvider] });
afterAll(() => s.close());

const all = [...SCOPES];
const owner = await s.key('org-a', all);
const revoked = await s.key('org-a', all);
await s.services.apiKeys.revoke(revoked.keyId);
const expired = await s.key('org-a', all, { expiresInMs: 1 });
const victimKey = await s.key('org-a', ['integrations:read']);
await new Promise((r) => setTimeout(r, 20));

// Org A's resources, which other organizations must never see or touch.
const OWNER_LABEL = `owner-${randomBytes(4).toString('hex')}`;
const connected = await s.call('POST', `/api/v1/integrations/${TEST_KIND}/connect`, {
  key: owner.key,
  body: { credentials: { token: 'good-a', label: OWNER_LABEL } },
});
if (connected.status !== 200)
  throw new Error(`setup: connect answered ${connected.status} ${connected.text}`);

const scoped = apiRoutes(routes).filter((r) => r.config.scope);
const hasRoute = (method: string, url: string) => routes.some((r) => r.method === method && r.url === url);

// Agents arrive in a later issue: when their routes exist, org A owns one for the cross-org checks.
let agentId = `agt_${randomBytes(8).toString('hex')}`;
if (hasRoute('POST', '/api/v1/agents')) {
  const res = await s.call('POST', '/api/v1/agents', { key: owner.key, body: { name: 'Owner agent' } });
  if (res.status === 201 || res.status === 200) agentId = res.json.data.id;
}
const markers = [OWNER_LABEL, victimKey.keyId, owner.keyId, agentId];

function paramValues(): Record<string, string> {
  return { kind: TEST_KIND, keyId: victimKey.keyId, id: agentId, agentId };
}

function requestFor(route: CollectedRoute) {
  const key = `${route.method} ${route.url}`;
  const path = fillPath(route.url, paramValues()) + (QUERY_OVERRIDES[key] ?? '');
  const body =
    key in BODY_OVERRIDES
      ? BODY_OVERRIDES[key]
      : route.schema?.body
        ? sampleFromSchema(route.schema.body)
        : undefined;
  return { path, body };
}

function expectProblem(res: ApiResponse, status: number, code: string) {
  expect({ status: res.status, code: res.json?.code }, res.text).toEqual({ status, code });
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.json).toMatchObject({
    status,
    code,
    type: expect.stringMatching(new RegExp(`/errors/${code}$`)),
    title: expect.any(String),
    detail: expect.any(String),
  });
}

let orgCounter = 0;
const freshOrgKey = () => s.key(`org-other-${++orgCounter}`, all);

describe('route declarations', () => {
  test('the app registers the foundation routes (the collector sees them)', () => {
    for (const [m, u] of [
      ['GET', '/api/v1/integrations/catalog'],
      ['GET', '/api/v1/integrations'],
      ['POST', '/api/v1/integrations/:kind/connect'],
      ['DELETE', '/api/v1/integrations/:kind'],
      ['GET', '/api/v1/keys'],
    ]) {
      expect(hasRoute(m, u), `${m} ${u}`).toBe(true);
    }
  });

  test('every /api/v1 route declares exactly one known scope, or is one of the few public routes', () => {
    const offenders = apiRoutes(routes)
      .filter((r) => {
        const hasScope = typeof r.config.scope === 'string';
        const isPublic = r.config.public === true;
        if (hasScope === isPublic) return true;
        if (hasScope) return !(SCOPES as readonly string[]).includes(r.config.scope!);
        return !PUBLIC_ALLOWED.some((p) => p.test(r.url));
      })
      .map((r) => `${r.method} ${r.url}`);
    expect(offenders).toEqual([]);
  });

  test('routes outside /api/v1 are public health, docs or OpenAPI routes only', () => {
    const others = routes.filter((r) => !r.url.startsWith('/api/v1') && r.method !== 'HEAD');
    expect(others.filter((r) => !PUBLIC_ALLOWED.some((p) => p.test(r.url))).map((r) => r.url)).toEqual([]);
  });

  test.each(routes.filter((r) => r.config.public && r.method === 'GET').map((r) => [r.url]))(
    'public %s answers without a key',
    async (url) => {
      const res = await s.call('GET', url.replace(/\*$/, 'index.html'));
      expect(res.status).not.toBe(401);
      expect(res.status).toBeLessThan(500);
    },
  );
});

describe.each(scoped.map((r) => [`${r.method} ${r.url}`, r] as const))('%s', (_name, route) => {
  const scope = route.config.scope!;
  const { path, body } = requestFor(route);
  const call = (key: string | undefined, headers: Record<string, string> = {}) =>
    s.call(route.method, path, { key, body, headers });

  test('without a key: 401 unauthorized', async () => {
    expectProblem(await call(undefined), 401, 'unauthorized');
  });

  test('with a malformed or unknown bearer token: 401 unauthorized', async () => {
    expectProblem(await call('not-a-flowyte-key'), 401, 'unauthorized');
    expectProblem(
      await call(`flowyte_sk_live_${randomBytes(24).toString('base64url')}`),
      401,
      'unauthorized',
    );
    expectProblem(
      await s.call(route.method, path, { body, headers: { authorization: `Basic ${owner.key}` } }),
      401,
      'unauthorized',
    );
  });

  test('with a revoked key: 401 unauthorized', async () => {
    expectProblem(await call(revoked.key), 401, 'unauthorized');
  });

  test('with an expired key: 401 unauthorized', async () => {
    expectProblem(await call(expired.key), 401, 'unauthorized');
  });

  test(`with a key lacking ${scope}: 403 insufficient_scope naming the scope`, async () => {
    // A :write scope implies its :read, so a key lacking a :read scope lacks its :write too.
    const implied = scope.endsWith(':read') ? `${scope.slice(0, -5)}:write` : null;
    const narrow = await s.key(
      'org-a',
      all.filter((x) => x !== scope && x !== implied),
    );
    const res = await call(narrow.key);
    expectProblem(res, 403, 'insufficient_scope');
    expect(res.json.scope).toBe(scope);
  });

  test('with a key plus X-Organization-Id: 400 organization_header_not_allowed', async () => {
    const other = await freshOrgKey();
    expectProblem(
      await call(owner.key, { 'x-organization-id': other.orgId }),
      400,
      'organization_header_not_allowed',
    );
    expectProblem(await call(owner.key, { 'X-Organization-Id': '' }), 400, 'organization_header_not_allowed');
  });

  test("with another organization's valid key: never the owner's data", async () => {
    const other = await freshOrgKey();
    const res = await call(other.key);
    expect(res.status, res.text).toBeLessThan(500);
    expect(res.status, res.text).not.toBe(403);
    // Ids the caller itself sent may be echoed (instance, detail); nothing else of the owner's may appear.
    for (const m of markers.filter((x) => !path.includes(x))) expect(res.text).not.toContain(m);
    const resourceParams = paramNames(route.url).filter((p) => p !== 'kind');
    if (resourceParams.length > 0) expectProblem(res, 404, 'not_found');
    await crossOrgSemantics(route, res, other);
  });
});

/** What "sees only its own data" means on the organization-level routes of this issue. */
async function crossOrgSemantics(
  route: CollectedRoute,
  res: ApiResponse,
  other: { key: string; orgId: string },
) {
  const id = `${route.method} ${route.url}`;
  const ownerView = () => s.call('GET', '/api/v1/integrations', { key: owner.key });
  switch (id) {
    case 'GET /api/v1/integrations':
      expect(res.status).toBe(200);
      expect(res.json.data).toEqual([]);
      break;
    case 'GET /api/v1/integrations/catalog':
      expect(res.json.data.find((p: any) => p.kind === TEST_KIND)).toMatchObject({
        connected: false,
        connectionStatus: null,
      });
      break;
    case 'GET /api/v1/keys':
      expect(res.status).toBe(200);
      expect(res.json.data.map((k: any) => k.orgId)).toEqual([other.orgId]);
      break;
    case 'POST /api/v1/keys':
      expect(res.status).toBe(201);
      expect(res.json.data.orgId).toBe(other.orgId);
      break;
    case 'DELETE /api/v1/integrations/:kind':
      expect(res.status).toBe(409);
      expect(res.json.code).toBe('integration_not_connected');
      expect((await ownerView()).json.data).toMatchObject([{ kind: TEST_KIND, status: 'connected' }]);
      break;
    case 'POST /api/v1/integrations/:kind/connect':
      expect(res.status).toBe(200);
      expect((await ownerView()).json.data[0].accountLabel).toBe(`Test DB · ${OWNER_LABEL}`);
      break;
    case 'DELETE /api/v1/keys/:keyId': {
      const still = await s.call('GET', '/api/v1/integrations/catalog', { key: victimKey.key });
      expect(still.status).toBe(200);
      break;
    }
  }
}
