/**
 * The HTTP conventions of SPEC §1 over a real socket: rate limits, Idempotency-Key, cursor pagination,
 * body limits, request ids, health, and the OpenAPI document.
 */
import { validate } from '@readme/openapi-parser';
import { afterAll, describe, expect, test, vi } from 'vitest';
import { type ApiResponse, startTestServer, type TestServer } from './support/harness.ts';
import { apiRoutes, type CollectedRoute } from './support/routes.ts';
import { TEST_KIND, testProvider } from './support/test-provider.ts';

const routes = vi.hoisted(() => [] as CollectedRoute[]);
vi.mock('fastify', async (orig) => (await import('./support/routes.ts')).withRouteCollector(orig, routes));

const servers: TestServer[] = [];
async function server(env: Record<string, string> = {}) {
  const s = await startTestServer(
    { FLOWYTE_RATE_LIMIT_PER_MINUTE: '1000000', ...env },
    { providers: [testProvider] },
  );
  servers.push(s);
  return s;
}
afterAll(async () => {
  for (const s of servers) await s.close();
});

function expectProblem(res: ApiResponse, status: number, code: string) {
  expect({ status: res.status, code: res.json?.code }, res.text).toEqual({ status, code });
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
}

const keyCount = async (s: TestServer, key: string) =>
  (await s.call('GET', '/api/v1/keys?limit=200', { key })).json.data.length;

describe('rate limiting', () => {
  test('past the per-minute limit an organization gets 429 with Retry-After and RateLimit-* headers', async () => {
    const s = await server({ FLOWYTE_RATE_LIMIT_PER_MINUTE: '3' });
    const a = await s.key('busy', ['integrations:read']);
    for (let i = 0; i < 3; i++) {
      const ok = await s.call('GET', '/api/v1/integrations/catalog', { key: a.key });
      expect(ok.status).toBe(200);
      // The headers are sent on the 429 only: on every answer they halve the hot paths' throughput.
      expect(ok.headers.get('ratelimit-limit')).toBeNull();
    }
    const limited = await s.call('GET', '/api/v1/integrations/catalog', { key: a.key });
    expectProblem(limited, 429, 'rate_limited');
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.headers.get('ratelimit-limit')).toBe('3');
    expect(limited.headers.get('ratelimit-remaining')).toBe('0');
    expect(Number(limited.headers.get('ratelimit-reset'))).toBeGreaterThan(0);
  });

  test('the limit is per organization: a second key of the same org shares it, another org is unaffected', async () => {
    const s = await server({ FLOWYTE_RATE_LIMIT_PER_MINUTE: '2' });
    const a1 = await s.key('shared', ['integrations:read']);
    const a2 = await s.key('shared', ['integrations:read']);
    const b = await s.key('quiet', ['integrations:read']);
    expect((await s.call('GET', '/api/v1/integrations', { key: a1.key })).status).toBe(200);
    expect((await s.call('GET', '/api/v1/integrations', { key: a2.key })).status).toBe(200);
    expectProblem(await s.call('GET', '/api/v1/integrations', { key: a1.key }), 429, 'rate_limited');
    expectProblem(await s.call('GET', '/api/v1/integrations', { key: a2.key }), 429, 'rate_limited');
    expect((await s.call('GET', '/api/v1/integrations', { key: b.key })).status).toBe(200);
    // Health checks are never limited.
    for (let i = 0; i < 4; i++) expect((await s.call('GET', '/healthz')).status).toBe(200);
  });
});

/** A key that may mint the keys these tests ask for: a key grants only scopes it holds. */
const MINTER = ['keys:write', 'integrations:read', 'agents:write', 'skills:invoke'];

describe('Idempotency-Key', () => {
  test('a retry with the same key and body replays the first response and performs nothing twice', async () => {
    const s = await server();
    const admin = await s.key('idem', MINTER);
    const before = await keyCount(s, admin.key);
    const headers = { 'idempotency-key': 'mint-1' };
    const body = { scopes: ['integrations:read'], label: 'ci' };
    const first = await s.call('POST', '/api/v1/keys', { key: admin.key, body, headers });
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const again = await s.call('POST', '/api/v1/keys', { key: admin.key, body, headers });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.json).toEqual(first.json);
    // The replay carries a secret shown once, so it keeps the first answer's no-store.
    expect(first.headers.get('cache-control')).toBe('no-store');
    expect(again.headers.get('cache-control')).toBe('no-store');
    expect(again.headers.get('x-request-id')).not.toBe(first.headers.get('x-request-id'));
    expect(await keyCount(s, admin.key)).toBe(before + 1);
  });

  test('the same key with a different body is 409 idempotency_key_reused and performs nothing', async () => {
    const s = await server();
    const admin = await s.key('idem-reuse', MINTER);
    const headers = { 'idempotency-key': 'mint-2' };
    expect(
      (await s.call('POST', '/api/v1/keys', { key: admin.key, body: { scopes: ['agents:read'] }, headers }))
        .status,
    ).toBe(201);
    const before = await keyCount(s, admin.key);
    const reused = await s.call('POST', '/api/v1/keys', {
      key: admin.key,
      body: { scopes: ['agents:write'] },
      headers,
    });
    expectProblem(reused, 409, 'idempotency_key_reused');
    expect(await keyCount(s, admin.key)).toBe(before);
  });

  test('keys are per organization: another org using the same key string performs its own request', async () => {
    const s = await server();
    const a = await s.key('idem-a', MINTER);
    const b = await s.key('idem-b', MINTER);
    const headers = { 'idempotency-key': 'same-string' };
    const body = { scopes: ['agents:read'] };
    const ra = await s.call('POST', '/api/v1/keys', { key: a.key, body, headers });
    const rb = await s.call('POST', '/api/v1/keys', { key: b.key, body, headers });
    expect(rb.headers.get('idempotent-replayed')).toBeNull();
    expect(rb.json.data.orgId).toBe(b.orgId);
    expect(rb.json.data.keyId).not.toBe(ra.json.data.keyId);
  });

  test('concurrent duplicates perform once and all get the same answer', async () => {
    const s = await server();
    const admin = await s.key('idem-race', MINTER);
    const before = await keyCount(s, admin.key);
    const headers = { 'idempotency-key': 'race-1' };
    const body = { scopes: ['skills:invoke'] };
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => s.call('POST', '/api/v1/keys', { key: admin.key, body, headers })),
    );
    expect(answers.map((r) => r.status)).toEqual(Array(8).fill(201));
    expect(new Set(answers.map((r) => r.json.data.keyId)).size).toBe(1);
    expect(answers.filter((r) => r.headers.get('idempotent-replayed') === null)).toHaveLength(1);
    expect(await keyCount(s, admin.key)).toBe(before + 1);
  });

  test('a client error is remembered too: the retry replays the same 422', async () => {
    const s = await server();
    const k = await s.key('idem-422', ['integrations:write', 'integrations:read']);
    const headers = { 'idempotency-key': 'connect-bad' };
    const body = { credentials: { token: 'bad-token' } };
    const first = await s.call('POST', `/api/v1/integrations/${TEST_KIND}/connect`, {
      key: k.key,
      body,
      headers,
    });
    expectProblem(first, 422, 'credentials_rejected');
    const again = await s.call('POST', `/api/v1/integrations/${TEST_KIND}/connect`, {
      key: k.key,
      body,
      headers,
    });
    expectProblem(again, 422, 'credentials_rejected');
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect((await s.call('GET', '/api/v1/integrations', { key: k.key })).json.data).toEqual([]);
  });

  test('a malformed Idempotency-Key is a 400', async () => {
    const s = await server();
    const admin = await s.key('idem-bad', ['keys:write']);
    const res = await s.call('POST', '/api/v1/keys', {
      key: admin.key,
      body: { scopes: ['agents:read'] },
      headers: { 'idempotency-key': 'x'.repeat(300) },
    });
    expectProblem(res, 400, 'validation_error');
  });
});

describe('cursor pagination', () => {
  test('pages of GET /keys follow nextCursor to the end, each key exactly once, in creation order', async () => {
    const s = await server();
    const admin = await s.key('pages', ['keys:write']);
    for (let i = 0; i < 7; i++) await s.key('pages', ['agents:read']);
    await s.key('someone-else', ['agents:read']);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await s.call(
        'GET',
        `/api/v1/keys?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        { key: admin.key },
      );
      expect(res.status).toBe(200);
      expect(res.json.success).toBe(true);
      expect(res.json.data.length).toBeLessThanOrEqual(3);
      seen.push(...res.json.data.map((k: any) => k.keyId));
      cursor = res.json.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(8);
    expect(new Set(seen).size).toBe(8);
    expect([...seen].sort()).toEqual(seen);
    expect(seen[0]).toBe(admin.keyId);
  });

  test('a full last page ends with nextCursor null, and the default page holds up to 50', async () => {
    const s = await server();
    const admin = await s.key('exact', ['keys:write']);
    await s.key('exact', ['agents:read']);
    const res = await s.call('GET', '/api/v1/keys?limit=2', { key: admin.key });
    expect(res.json.data).toHaveLength(2);
    expect(res.json.nextCursor).toBeNull();
    expect((await s.call('GET', '/api/v1/keys', { key: admin.key })).json).toMatchObject({
      nextCursor: null,
    });
  });

  test.each([
    ['limit=0'],
    ['limit=201'],
    ['limit=abc'],
    ['cursor=not-a-cursor'],
    [`cursor=${Buffer.from('{"b":1}').toString('base64url')}`],
  ])('?%s is a 400 validation_error', async (query) => {
    const s = servers[0] ?? (await server());
    const admin = await s.key('bad-page', ['keys:write']);
    expectProblem(await s.call('GET', `/api/v1/keys?${query}`, { key: admin.key }), 400, 'validation_error');
  });
});

describe('limits, ids and health', () => {
  test('a body over FLOWYTE_BODY_LIMIT_BYTES is a 413 problem', async () => {
    const s = await server({ FLOWYTE_BODY_LIMIT_BYTES: '1024' });
    const admin = await s.key('big', ['keys:write']);
    const res = await s.call('POST', '/api/v1/keys', {
      key: admin.key,
      body: { scopes: ['agents:read'], label: 'x'.repeat(4096) },
    });
    expectProblem(res, 413, 'payload_too_large');
  });

  test('a valid X-Request-Id is echoed in the header, the problem and the logs; an invalid one is replaced', async () => {
    const s = await server();
    const echoed = await s.call('GET', '/api/v1/nope', { headers: { 'x-request-id': 'req-abc.123' } });
    expect(echoed.headers.get('x-request-id')).toBe('req-abc.123');
    expect(echoed.json.requestId).toBe('req-abc.123');
    expect(s.logs.some((l) => l.includes('"reqId":"req-abc.123"'))).toBe(true);
    const replaced = await s.call('GET', '/healthz', { headers: { 'x-request-id': 'has spaces <script>' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const fresh = await s.call('GET', '/healthz');
    expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(fresh.headers.get('x-request-id')).not.toBe(replaced.headers.get('x-request-id'));
  });

  test('/healthz and /readyz answer without a key; /readyz is 503 when the store is gone', async () => {
    const s = await server();
    expect(await s.call('GET', '/healthz')).toMatchObject({ status: 200, json: { status: 'ok' } });
    expect(await s.call('GET', '/readyz')).toMatchObject({ status: 200, json: { status: 'ready' } });
    const down = await startTestServer({}, { providers: [testProvider] });
    await down.services.store.close();
    const res = await down.call('GET', '/readyz');
    expectProblem(res, 503, 'unavailable');
    expect(res.headers.get('retry-after')).toBe('5');
    await down.app.close();
  });

  test('an unknown route or method is a 404 problem', async () => {
    const s = await server();
    expectProblem(await s.call('GET', '/api/v1/does-not-exist'), 404, 'not_found');
    expectProblem(await s.call('PUT', '/api/v1/keys'), 404, 'not_found');
  });
});

describe('OpenAPI', () => {
  test('the document validates as OpenAPI 3.1', async () => {
    const s = await server();
    const res = await s.call('GET', '/api/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.json.openapi).toBe('3.1.0');
    const result = await validate(structuredClone(res.json));
    expect(result.valid, JSON.stringify(result)).toBe(true);
  });

  test('it lists every API route with its x-required-scope, and public routes without security', async () => {
    const s = await server();
    const doc = (await s.call('GET', '/api/v1/openapi.json')).json;
    const missing: string[] = [];
    for (const r of apiRoutes(routes).filter((x) => x.config.scope)) {
      const op = doc.paths[r.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}')]?.[r.method.toLowerCase()];
      if (!op) missing.push(`${r.method} ${r.url}: not documented`);
      else if (op['x-required-scope'] !== r.config.scope)
        missing.push(`${r.method} ${r.url}: scope ${op['x-required-scope']}`);
      else if (!op.security?.length) missing.push(`${r.method} ${r.url}: no security requirement`);
    }
    expect(missing).toEqual([]);
    expect(doc.paths['/healthz'].get.security).toEqual([]);
    expect(Object.keys(doc.paths).length).toBeGreaterThanOrEqual(8);
  });

  test('every operation has an id, named schemas with examples, real descriptions, and its error codes', async () => {
    const s = await server();
    const doc = (await s.call('GET', '/api/v1/openapi.json')).json;
    const problems: string[] = [];
    const ids = new Set<string>();
    const schemas = doc.components?.schemas ?? {};
    const isNamed = (schema: any) =>
      typeof schema?.$ref === 'string' && schema.$ref.replace('#/components/schemas/', '') in schemas;
    const hasExample = (media: any) =>
      media?.example !== undefined || Object.keys(media?.examples ?? {}).length > 0;
    for (const [path, item] of Object.entries<any>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(item)) {
        const at = `${method.toUpperCase()} ${path}`;
        if (!op.operationId) problems.push(`${at}: no operationId`);
        else if (ids.has(op.operationId)) problems.push(`${at}: duplicate operationId`);
        ids.add(op.operationId);
        const body = op.requestBody?.content?.['application/json'];
        if (op.requestBody && !isNamed(body?.schema)) problems.push(`${at}: request schema not named`);
        if (op.requestBody && !hasExample(body)) problems.push(`${at}: request without example`);
        for (const [status, response] of Object.entries<any>(op.responses ?? {})) {
          if (!response.description || response.description === 'Default Response')
            problems.push(`${at} ${status}: no description`);
          for (const [type, media] of Object.entries<any>(response.content ?? {})) {
            if (!isNamed(media.schema)) problems.push(`${at} ${status} ${type}: schema not named`);
            if (!hasExample(media)) problems.push(`${at} ${status} ${type}: no example`);
          }
        }
        if (op['x-required-scope']) {
          const codes: string[] = op['x-error-codes'] ?? [];
          for (const c of ['unauthorized', 'insufficient_scope'])
            if (!codes.includes(c)) problems.push(`${at}: no ${c}`);
          const examples = {
            ...op.responses?.['4XX']?.content?.['application/problem+json']?.examples,
            ...op.responses?.['5XX']?.content?.['application/problem+json']?.examples,
          };
          for (const c of codes) {
            const ref = examples[c]?.$ref?.replace('#/components/examples/', '');
            if (!ref || !doc.components.examples?.[ref]?.value?.code)
              problems.push(`${at}: no example of ${c}`);
            else if (doc.components.examples[ref].value.code !== c)
              problems.push(`${at}: ${c} shows another code`);
          }
          if (!/\/errors\/unauthorized\)/.test(op.responses?.['4XX']?.description ?? ''))
            problems.push(`${at}: 4XX does not link the error catalogue`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(JSON.stringify(doc)).not.toContain('Default Response');
  });

  test('connect and sql/test document the credential shape of each kind', async () => {
    const s = await startTestServer({ FLOWYTE_RATE_LIMIT_PER_MINUTE: '1000000' });
    servers.push(s);
    const doc = (await s.call('GET', '/api/v1/openapi.json')).json;
    const connect =
      doc.paths['/api/v1/integrations/{kind}/connect'].post.requestBody.content['application/json'];
    expect(Object.keys(connect.examples)).toEqual(
      expect.arrayContaining(['postgres', 'mysql', 'shopify', 'google_calendar', 'google_sheets']),
    );
    const shapes = doc.components.schemas.ConnectRequest.properties.credentials.oneOf.map((r: any) => r.$ref);
    expect(shapes).toEqual(
      expect.arrayContaining([
        '#/components/schemas/PostgresCredentials',
        '#/components/schemas/MysqlCredentials',
        '#/components/schemas/ShopifyCredentials',
      ]),
    );
    expect(doc.components.schemas.ShopifyCredentials.properties).toHaveProperty('access_token');
    const sqlTest =
      doc.paths['/api/v1/integrations/{kind}/sql/test'].post.requestBody.content['application/json'];
    expect(Object.keys(sqlTest.examples)).toEqual(expect.arrayContaining(['postgres', 'postgres_bare']));
    expect(doc.info.description).toContain('/errors');
  });

  test('/docs serves the human docs page', async () => {
    const s = await server();
    const res = await s.call('GET', '/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
  });
});

describe('keys manage keys within their own scopes (SPEC §1)', () => {
  test('a keys:write key mints only scopes it holds; :write covers its :read', async () => {
    const s = await server();
    const admin = await s.key('bounded', ['keys:write', 'agents:write']);
    const escalate = await s.call('POST', '/api/v1/keys', {
      key: admin.key,
      body: { scopes: ['agents:read', 'integrations:write', 'keys:write'] },
    });
    expect(escalate.status).toBe(403);
    expect(escalate.json).toMatchObject({ code: 'insufficient_scope', scopes: ['integrations:write'] });
    const within = await s.call('POST', '/api/v1/keys', {
      key: admin.key,
      body: { scopes: ['agents:read', 'agents:write', 'keys:write'] },
    });
    expect(within.status, within.text).toBe(201);
  });

  test('a keys:write key revokes only keys whose scopes it holds', async () => {
    const s = await server();
    const narrow = await s.key('revoking', ['keys:write']);
    const strong = await s.key('revoking', ['keys:write', 'integrations:write', 'agents:write']);
    const refused = await s.call('DELETE', `/api/v1/keys/${strong.keyId}`, { key: narrow.key });
    expect(refused.status).toBe(403);
    expect(refused.json).toMatchObject({
      code: 'insufficient_scope',
      scopes: ['integrations:write', 'agents:write'],
    });
    expect((await s.call('GET', '/api/v1/agents', { key: strong.key })).status).toBe(200);
    const peer = await s.key('revoking', ['keys:write']);
    expect((await s.call('DELETE', `/api/v1/keys/${peer.keyId}`, { key: narrow.key })).status).toBe(200);
    const byStrong = await s.call('DELETE', `/api/v1/keys/${narrow.keyId}`, { key: strong.key });
    expect(byStrong.status, byStrong.text).toBe(200);
  });
});
