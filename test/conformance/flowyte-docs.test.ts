/**
 * Conformance with Flowyte's public docs (issue 10): each documented request in ./fixtures is sent
 * as the docs write it, and the answer is checked against the documented shape. The fixtures cite
 * their pages (./fixtures/README.md). Needs the local PostgreSQL with the Pagila sample database.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../support/harness.ts';
import { postgresDb } from '../support/services.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = (name: string) => JSON.parse(readFileSync(path.join(here, 'fixtures', name), 'utf8'));

const skip = await postgresDb('pagila');
const ALL = [
  'integrations:read',
  'integrations:write',
  'agents:read',
  'agents:write',
  'skills:write',
  'skills:invoke',
];

/** The documented keys of an object, all present in the answer (placeholder values are not compared). */
function expectDocumentedKeys(actual: Record<string, unknown>, documented: Record<string, unknown>) {
  const missing = Object.keys(documented).filter((k) => !(k in actual));
  expect(missing, `documented fields missing from ${JSON.stringify(actual).slice(0, 200)}`).toEqual([]);
  for (const [k, v] of Object.entries(documented)) {
    if (v === null || actual[k] === null) continue;
    const kind = (x: unknown) => (Array.isArray(x) ? 'array' : typeof x);
    expect(kind(actual[k]), k).toBe(kind(v));
  }
}

function expectProblem(res: { status: number; headers: Headers; json: any }, status: number, code: string) {
  expect({ status: res.status, code: res.json?.code }).toEqual({ status, code });
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  for (const k of ['type', 'title', 'status', 'detail', 'instance', 'code', 'errors'])
    expect(res.json, k).toHaveProperty(k);
  expect(res.json.type).toMatch(new RegExp(`(^about:blank$)|(/errors/${code}$)`));
}

describe.skipIf(skip)("Flowyte's documented requests, sent as written", () => {
  let s: TestServer;
  let key: string;
  let orgId: string;
  let hook: http.Server;
  let hookUrl: string;
  const agent = async (body: Record<string, unknown> = { name: 'Front desk' }) => {
    const r = await s.call('POST', '/api/v1/agents', { key, body });
    expect(r.status, r.text).toBe(201);
    return r.json.data.id as string;
  };
  const connectBody = () => {
    const body = structuredClone(fixture('connect-postgres.json').body);
    body.credentials.sslmode = 'disable'; // the local server has no TLS; the operator allowed plaintext
    return body;
  };

  beforeAll(async () => {
    s = await startTestServer({ FLOWYTE_RATE_LIMIT_PER_MINUTE: '1000000' });
    ({ key, orgId } = await s.key('conformance', ALL));
    hook = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/callbacks`;
  });
  afterAll(async () => {
    await s?.close();
    await new Promise((r) => hook?.close(r));
  });

  describe('1. SQL port as a string', () => {
    test('sql/test and connect accept "port": "5432" and the connection works', async () => {
      const body = connectBody();
      const t = await s.call('POST', '/api/v1/integrations/postgres/sql/test', {
        key,
        body: body.credentials,
      });
      expect(t.status, t.text).toBe(200);
      expect(t.json.data.checks.find((c: any) => c.name === 'auth').ok).toBe(true);
      const c = await s.call('POST', '/api/v1/integrations/postgres/connect', { key, body });
      expect(c.status, c.text).toBe(200);
      expect(c.json.data.status).toBe('connected');
      const d = await s.call('POST', '/api/v1/integrations/postgres/discover', { key });
      expect(d.status, d.text).toBe(200);
    });

    test.each([['0'], ['65536'], ['54a'], [' 5432'], [0], [70000], ['']])(
      'port %j is a 400 naming the field',
      async (port) => {
        const body = connectBody();
        body.credentials.port = port;
        const r = await s.call('POST', '/api/v1/integrations/postgres/sql/test', {
          key,
          body: body.credentials,
        });
        expectProblem(r, 400, 'validation_error');
        expect(r.json.errors.map((e: any) => e.field)).toContain('credentials.port');
      },
    );

    test('an unknown sslmode lists the allowed values', async () => {
      const body = connectBody();
      body.credentials.sslmode = 'prefer';
      const r = await s.call('POST', '/api/v1/integrations/postgres/connect', { key, body });
      expectProblem(r, 400, 'validation_error');
      expect(r.json.errors).toEqual([
        { field: 'credentials.sslmode', message: 'must be one of disable, require, verify-ca, verify-full' },
      ]);
      expect(r.text).not.toContain('must be equal to constant');
    });
  });

  describe('2. GET /integrations/{kind}/pack', () => {
    test('lists the presets with their parameters and what each returns, with skills:write', async () => {
      const { key: narrow } = await s.key('pack-reader', ['skills:write']);
      const r = await s.call('GET', '/api/v1/integrations/google_calendar/pack', { key: narrow });
      expect(r.status, r.text).toBe(200);
      expect(r.json.data.presets.length).toBeGreaterThan(0);
      for (const p of r.json.data.presets) {
        expect(p).toMatchObject({ slug: expect.any(String), toolName: expect.any(String) });
        expect(p.parameters.type).toBe('object');
        expect(p).toHaveProperty('returns');
      }
      expectProblem(await s.call('GET', '/api/v1/integrations/postgres/pack', { key }), 404, 'no_pack');
    });

    test('the agent form keeps installed per preset', async () => {
      const id = await agent();
      const r = await s.call('GET', `/api/v1/agents/${id}/integrations/google_calendar/pack`, { key });
      expect(r.status, r.text).toBe(200);
      expect(r.json.data.presets.every((p: any) => p.installed === false && p.parameters)).toBe(true);
    });
  });

  describe('3 and 5. Creating a skill by hand, and the Skill object', () => {
    test('the documented body answers the Skill at data, with every documented field', async () => {
      const id = await agent();
      const { body } = fixture('skill-create-request.json');
      body.executionConfig.url = hookUrl;
      const r = await s.call('POST', `/api/v1/agents/${id}/skills`, { key, body });
      expect(r.status, r.text).toBe(201);
      expect(r.json.data.id).toMatch(/^skl_/);
      expectDocumentedKeys(r.json.data, fixture('skill-response.json').response.data);
      expect(r.json.data).toMatchObject({
        agentId: id,
        organizationId: orgId,
        name: 'create_callback_request',
        title: 'Create callback request',
        requiredParams: ['caller_phone'],
        channels: ['voice', 'chat'],
        expectedLatencyMs: null,
      });
      const origin = new URL(hookUrl).origin;
      expect(r.json.data.dataEgressMap).toEqual({ [origin]: ['caller_phone', 'notes'] });
      expect(r.json.data.signingSecret).toMatch(/^whsec_/);
      // Shown once: the list does not carry it.
      const list = await s.call('GET', `/api/v1/agents/${id}/skills`, { key });
      expect(list.json.data[0]).not.toHaveProperty('signingSecret');
      expect(list.json.nextCursor).toBeNull();
      const renamed = await s.call('PATCH', `/api/v1/agents/${id}/skills/${r.json.data.id}`, {
        key,
        body: { name: 'Request a callback', channels: ['voice'] },
      });
      expect(renamed.status, renamed.text).toBe(200);
      expect(renamed.json.data).toMatchObject({
        name: 'request_a_callback',
        title: 'Request a callback',
        channels: ['voice'],
      });
    });

    test('expectedLatencyMs is measured from the skill’s calls', async () => {
      const id = await agent();
      const { body } = fixture('skill-create-request.json');
      body.executionConfig.url = hookUrl;
      const made = await s.call('POST', `/api/v1/agents/${id}/skills`, { key, body });
      const call = await s.call('POST', `/api/v1/agents/${id}/tools/create_callback_request/invoke`, {
        key,
        body: { arguments: { caller_phone: '+15551234567', notes: null }, draft: true },
      });
      expect(call.status, call.text).toBe(200);
      let latency: unknown = null;
      for (let i = 0; i < 50 && latency === null; i++) {
        await new Promise((r) => setTimeout(r, 100));
        const list = await s.call('GET', `/api/v1/agents/${id}/skills`, { key });
        latency = list.json.data.find((x: any) => x.id === made.json.data.id).expectedLatencyMs;
      }
      expect(latency).toEqual(expect.any(Number));
    });

    test.each(['transfer', 'sms', 'email', 'crm', 'playbook', 'native_rest'])(
      'skillType %s is 422 unsupported_skill_type naming the types it runs',
      async (skillType) => {
        const id = await agent();
        const { body } = fixture('skill-create-request.json');
        const r = await s.call('POST', `/api/v1/agents/${id}/skills`, { key, body: { ...body, skillType } });
        expectProblem(r, 422, 'unsupported_skill_type');
        expect(r.json.supportedTypes).toContain('http_webhook');
        expect(r.json.detail).toContain('http_webhook');
      },
    );

    test('skillType mcp is 403 reserved', async () => {
      const id = await agent();
      const { body } = fixture('skill-create-request.json');
      const r = await s.call('POST', `/api/v1/agents/${id}/skills`, {
        key,
        body: { ...body, skillType: 'mcp' },
      });
      expectProblem(r, 403, 'reserved');
    });
  });

  describe('4. Bindings with the documented names', () => {
    test('sqlSearch, leaf and a toolName with spaces: the Skill at data, with binding and compiled', async () => {
      const id = await agent();
      const { body } = fixture('binding-request.json');
      const r = await s.call('POST', `/api/v1/agents/${id}/integrations/postgres/bindings`, { key, body });
      expect(r.status, r.text).toBe(201);
      expectDocumentedKeys(r.json.data, fixture('skill-response.json').response.data);
      expect(r.json.data).toMatchObject({
        name: 'look_up_the_caller',
        title: 'Look up the caller',
        isEnabled: true,
        requiredParams: ['caller_last_name'],
        allowedFields: ['customer_name', 'customer_email'],
        dataEgressMap: {
          'provider:postgres': ['caller_last_name'],
          model: ['customer_name', 'customer_email'],
        },
      });
      expect(r.json.data.binding).toMatchObject({
        toolName: 'look_up_the_caller',
        title: 'Look up the caller',
        inputs: [{ param: 'caller_last_name', arg: 'last_name' }],
        projection: [
          { path: ['first_name'], as: 'customer_name', leaf: 'customer_name' },
          { path: ['email'], as: 'customer_email', leaf: 'customer_email' },
        ],
      });
      expect(r.json.data.compiled.outputs.map((o: any) => o.name)).toEqual([
        'customer_name',
        'customer_email',
      ]);
      expect(r.text).not.toMatch(/select/i);
      const call = await s.call('POST', `/api/v1/agents/${id}/tools/look_up_the_caller/invoke`, {
        key,
        body: { arguments: { caller_last_name: 'SMITH' }, draft: true },
      });
      expect(call.status, call.text).toBe(200);
      expect(call.json.data.result.rows[0]).toEqual({
        customer_name: 'MARY',
        customer_email: expect.any(String),
      });
    });

    test('inputObjectMap with { field, param } and { field, const } binds a write, landing disabled', async () => {
      const id = await agent();
      const { body } = fixture('binding-write-request.json');
      const r = await s.call('POST', `/api/v1/agents/${id}/integrations/postgres/bindings`, { key, body });
      expect(r.status, r.text).toBe(201);
      expect(r.json.data).toMatchObject({
        name: 'add_an_actor',
        isWrite: true,
        isEnabled: false,
        requiresConfirmation: true,
        requiredParams: ['caller_name'],
      });
      expect(r.json.data.binding.inputObjectMap).toEqual(body.inputObjectMap);
    });
  });

  describe('6. Agents', () => {
    test('the agent carries the documented fields; If-Match with a stale version is 409 with the current version and agent', async () => {
      const id = await agent({
        name: 'Front desk',
        persona: 'A friendly receptionist',
        primaryLanguage: 'en',
        languages: ['en', 'es'],
        greeting: 'Hello!',
        enabledChannels: ['voice'],
      });
      const got = await s.call('GET', `/api/v1/agents/${id}`, { key });
      expectDocumentedKeys(got.json.data, fixture('agent-response.json').response.data);
      expect(got.json.data).toMatchObject({ organizationId: orgId, version: 1, publishedVersionId: null });
      const ok = await s.call('PATCH', `/api/v1/agents/${id}`, {
        key,
        body: { greeting: 'Hi there' },
        headers: { 'if-match': '1' },
      });
      expect(ok.status, ok.text).toBe(200);
      expect(ok.json.data).toMatchObject({
        version: 2,
        greeting: 'Hi there',
        persona: 'A friendly receptionist',
      });
      const stale = await s.call('PATCH', `/api/v1/agents/${id}`, {
        key,
        body: { greeting: 'Lost update' },
        headers: { 'if-match': '1' },
      });
      expectProblem(stale, 409, 'revision_mismatch');
      expect(stale.json.currentVersion).toBe(2);
      expect(stale.json.agent).toMatchObject({ id, version: 2, greeting: 'Hi there' });
    });
  });

  describe('7. Versions: diff, prepublish report, publish warnings', () => {
    test('publishing zero enabled skills warns; the report and the diff list what changes', async () => {
      const id = await agent({ name: 'Versions', greeting: 'Hello' });
      const first = await s.call('POST', `/api/v1/agents/${id}/publish`, { key, body: {} });
      expect(first.status, first.text).toBe(201);
      expect(first.json.data.warnings.map((w: any) => w.code)).toEqual(['no_enabled_skills']);

      const { body } = fixture('skill-create-request.json');
      body.executionConfig.url = hookUrl;
      await s.call('POST', `/api/v1/agents/${id}/skills`, { key, body });
      await s.call('PATCH', `/api/v1/agents/${id}`, { key, body: { greeting: 'Welcome' } });

      const report = await s.call('GET', `/api/v1/agents/${id}/prepublish-report`, { key });
      expect(report.status, report.text).toBe(200);
      expect(report.json.data.skills).toEqual([
        expect.objectContaining({
          name: 'create_callback_request',
          published: false,
          sends: { [new URL(hookUrl).origin]: ['caller_phone', 'notes'] },
        }),
      ]);
      expect(report.json.data.unpublishedSkills.map((x: any) => x.name)).toEqual(['create_callback_request']);
      expect(report.json.data.warnings.map((w: any) => w.code)).toEqual(['enabled_unpublished']);

      const diff = await s.call('GET', `/api/v1/agents/${id}/versions/${first.json.data.id}/diff`, { key });
      expect(diff.status, diff.text).toBe(200);
      expect(diff.json.data.changes).toEqual(
        expect.arrayContaining([
          { field: 'agent.greeting', before: 'Hello', after: 'Welcome', kind: 'changed' },
          expect.objectContaining({ field: 'skills.create_callback_request', before: null, kind: 'added' }),
        ]),
      );
      expect(diff.json.data.added.map((x: any) => x.name)).toEqual(['create_callback_request']);
      const second = await s.call('POST', `/api/v1/agents/${id}/publish`, { key, body: {} });
      expect(second.json.data.warnings).toEqual([]);
      // The agent's fields are versioned with the draft: each version keeps them as published.
      const v1 = await s.call('GET', `/api/v1/agents/${id}/versions/${first.json.data.id}`, { key });
      const v2 = await s.call('GET', `/api/v1/agents/${id}/versions/${second.json.data.id}`, { key });
      expect(v1.json.data.agent).toMatchObject({ name: 'Versions', greeting: 'Hello' });
      expect(v2.json.data.agent).toMatchObject({ greeting: 'Welcome' });
    });
  });

  describe('8. sql/scripts', () => {
    test('answers readOnly and write, and generatedPassword only when it made one', async () => {
      const made = await s.call(
        'GET',
        '/api/v1/integrations/postgres/sql/scripts?database=appdb&tables=appointments',
        {
          key,
        },
      );
      expect(made.status, made.text).toBe(200);
      expectDocumentedKeys(made.json.data, fixture('sql-scripts-response.json').response.data);
      const given = await s.call(
        'GET',
        '/api/v1/integrations/postgres/sql/scripts?database=appdb&password=Str0ng-enough',
        {
          key,
        },
      );
      expect(given.json.data).not.toHaveProperty('generatedPassword');
      expect(given.json.data.readOnly.sql).toContain("'Str0ng-enough'");
      expect(given.json.data.write).toBeNull();
    });
  });

  describe('9. Errors', () => {
    test('the documented validation problem', async () => {
      const { problem, request } = fixture('problem.json');
      const r = await s.call(request.method, request.path, { key, body: request.body });
      expectProblem(r, problem.status, problem.code);
      expect(r.json).toMatchObject({ instance: problem.instance, errors: problem.errors });
    });

    test('a typed problem points at a page of this server saying what it means and how to recover', async () => {
      const id = await agent();
      const r = await s.call('GET', `/api/v1/agents/${id}/tools?format=openai`, { key });
      const documented = fixture('problem-typed.json').problem;
      expectProblem(r, documented.status, 'no_published_version');
      // Flowyte's docs: https://docs.flowyte.com/errors/<code>; here the same path on this server.
      expect(r.json.type).toMatch(/^https?:\/\/[^/]+\/errors\/no_published_version$/);
      const page = await s.call('GET', new URL(r.json.type).pathname, {
        headers: { accept: 'application/json' },
      });
      expect(page.status).toBe(200);
      expect(page.json.data).toMatchObject({
        code: 'no_published_version',
        status: 409,
        recovery: expect.any(String),
      });
      const html = await s.call('GET', '/errors/no_published_version');
      expect(html.headers.get('content-type')).toMatch(/text\/html/);
      expect((await s.call('GET', '/errors/nothing_like_this')).status).toBe(404);
    });

    test('/mcp, the OAuth callback and unknown routes answer problem+json', async () => {
      const id = await agent();
      await s.call('POST', `/api/v1/agents/${id}/publish`, { key, body: {} });
      const mcp = `/api/v1/agents/${id}/mcp`;
      expectProblem(
        await s.call('POST', mcp, { key, body: { jsonrpc: '2.0', id: 1, method: 'tools/list' } }),
        406,
        'not_acceptable',
      );
      expectProblem(
        await s.call('POST', mcp, {
          key,
          body: { hello: 1 },
          headers: { accept: 'application/json, text/event-stream' },
        }),
        400,
        'validation_error',
      );
      expectProblem(await s.call('GET', mcp, { key }), 405, 'method_not_allowed');
      expectProblem(
        await s.call('GET', '/api/v1/integrations/oauth/callback?state=nope&code=x'),
        400,
        'oauth_state_invalid',
      );
      const browser = await s.call('GET', '/api/v1/integrations/oauth/callback?state=nope&code=x', {
        headers: { accept: 'text/html' },
      });
      expect(browser.headers.get('content-type')).toMatch(/text\/html/);
      expectProblem(await s.call('GET', '/api/v1/nowhere', { key }), 404, 'not_found');
    });
  });

  describe('10. Scopes and pagination', () => {
    test('a :write scope implies its :read', async () => {
      const { key: writer } = await s.key('writer', ['integrations:write', 'agents:write']);
      expect((await s.call('GET', '/api/v1/integrations', { key: writer })).status).toBe(200);
      expect((await s.call('GET', '/api/v1/agents', { key: writer })).status).toBe(200);
      expectProblem(
        await s.call('GET', '/api/v1/integrations', {
          key: (await s.key('agents-only', ['agents:write'])).key,
        }),
        403,
        'insufficient_scope',
      );
    });

    test.each([
      '/api/v1/integrations/catalog',
      '/api/v1/integrations',
      '/api/v1/integrations/google_calendar/actions',
      '/api/v1/canonical-parameters',
      '/api/v1/agents',
    ])('%s pages with limit, cursor and nextCursor', async (route) => {
      const seen: unknown[] = [];
      let cursor: string | null = null;
      const all = await s.call('GET', route, { key });
      expect(all.json.nextCursor === null || typeof all.json.nextCursor === 'string').toBe(true);
      do {
        const r: any = await s.call('GET', `${route}?limit=1${cursor ? `&cursor=${cursor}` : ''}`, { key });
        expect(r.status, r.text).toBe(200);
        expect(r.json.data.length).toBeLessThanOrEqual(1);
        seen.push(...r.json.data);
        cursor = r.json.nextCursor;
      } while (cursor && seen.length < 300);
      expect(seen).toEqual(all.json.data.slice(0, seen.length));
      if (all.json.nextCursor === null) expect(seen.length).toBe(all.json.data.length);
    });
  });

  describe('11. Reserved routes', () => {
    test.each(fixture('reserved-routes.json').routes as [string, string, unknown][])(
      '%s %s is 403 reserved',
      async (method, route, body) => {
        const id = await agent();
        const r = await s.call(method, `/api/v1${route.replace('{id}', id)}`, {
          key,
          body: body ?? undefined,
        });
        expectProblem(r, 403, 'reserved');
        const other = await s.key('someone-else', ALL);
        expectProblem(
          await s.call(method, `/api/v1${route.replace('{id}', id)}`, {
            key: other.key,
            body: body ?? undefined,
          }),
          404,
          'not_found',
        );
      },
    );
  });
});
