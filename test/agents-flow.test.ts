/**
 * The whole agent flow over real HTTP: a webhook skill, publish, tools in three formats, invoke
 * with a verifiable signature, draft edits that leave the live version alone, diff and rollback.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { generateSigningSecret, verifyWebhookSignature } from '../src/providers/http-webhook/signing.ts';
import { startTestServer, type TestServer } from './support/harness.ts';
import { echoHandler, startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver.ts';

const ALL = [
  'agents:read',
  'agents:write',
  'skills:write',
  'skills:invoke',
  'integrations:read',
  'integrations:write',
];

const lookupSchema = {
  type: 'object',
  properties: {
    caller_email: { type: 'string', description: 'the caller email' },
    note: { type: ['string', 'null'] },
  },
  required: ['caller_email', 'note'],
  additionalProperties: false,
};

let server: TestServer;
let hook: WebhookReceiver;
let key: string;

beforeAll(async () => {
  server = await startTestServer();
  hook = await startWebhookReceiver();
  ({ key } = await server.key('flow-org', ALL));
});
afterAll(async () => {
  await hook?.close();
  await server?.close();
});

async function newAgent(name = 'Front desk') {
  const r = await server.call('POST', '/api/v1/agents', { key, body: { name } });
  expect(r.status).toBe(201);
  return r.json.data.id as string;
}

async function webhookSkill(agentId: string, name: string, extra: Record<string, unknown> = {}) {
  const r = await server.call('POST', `/api/v1/agents/${agentId}/skills`, {
    key,
    body: {
      name,
      description: 'Look a customer up by email',
      skillType: 'http_webhook',
      parametersSchema: lookupSchema,
      executionConfig: {
        url: `http://127.0.0.1:${hook.port}/lookup`,
        method: 'POST',
        headers: { 'X-Api-Token': 'canary-header-secret' },
        timeout_ms: 2000,
      },
      ...extra,
    },
  });
  expect(r.status, r.text).toBe(201);
  // The Skill is at data (Flowyte's shape); its signing secret is a field of it, shown this once.
  const { signingSecret, ...skill } = r.json.data;
  return { skill, signingSecret: signingSecret as string };
}

describe('a missing tool says what to do', () => {
  test('enabled on the draft but never published: "publish the agent"; disabled: "enable it"; unknown: the tools there are', async () => {
    const agentId = await newAgent('Publish hint');
    const { skill: first } = await webhookSkill(agentId, 'first_lookup');
    const published = await server.call('POST', `/api/v1/agents/${agentId}/publish`, { key, body: {} });
    expect(published.status).toBe(201);
    await webhookSkill(agentId, 'second_lookup');
    const invoke = (name: string, body: Record<string, unknown> = {}) =>
      server.call('POST', `/api/v1/agents/${agentId}/tools/${name}/invoke`, {
        key,
        body: { arguments: { email: 'ana@example.com' }, ...body },
      });

    const unpublished = await invoke('second_lookup');
    expect(unpublished.status).toBe(404);
    expect(unpublished.json.detail).toContain('publish the agent');
    expect(unpublished.json.detail).toContain(`POST /api/v1/agents/${agentId}/publish`);
    expect(unpublished.json.detail).not.toContain('no enabled tool');

    const unknown = await invoke('no_such_tool');
    expect(unknown.status).toBe(404);
    expect(unknown.json.detail).toContain('its live tools are first_lookup');

    await server.call('PATCH', `/api/v1/agents/${agentId}/skills/${first.id}`, {
      key,
      body: { isEnabled: false },
    });
    const disabled = await invoke('first_lookup', { draft: true });
    expect(disabled.status).toBe(404);
    expect(disabled.json.detail).toContain('is disabled; enable it');
  });
});

describe('agent flow', () => {
  test('create → webhook skill → publish → tools → invoke → edit draft → publish → diff → rollback', async () => {
    const agentId = await newAgent();
    const { skill, signingSecret } = await webhookSkill(agentId, 'lookup_customer');
    expect(signingSecret).toMatch(/^whsec_/);
    expect(skill.executionConfig.headers['X-Api-Token']).toBe('********');
    expect(skill.requiredParams).toEqual(['caller_email']);
    expect(skill.isEnabled).toBe(true);

    const before = await server.call('GET', `/api/v1/agents/${agentId}/tools`, { key });
    expect(before.status).toBe(409);
    expect(before.json.code).toBe('no_published_version');

    const v1 = await server.call('POST', `/api/v1/agents/${agentId}/publish`, {
      key,
      body: { note: 'first' },
    });
    expect(v1.status).toBe(201);
    expect(v1.json.data).toMatchObject({ number: 1, note: 'first', skillCount: 1, isLive: true });

    const openai = await server.call('GET', `/api/v1/agents/${agentId}/tools?format=openai`, { key });
    expect(openai.json.data.tools).toEqual([
      {
        type: 'function',
        function: {
          name: 'lookup_customer',
          description: 'Look a customer up by email',
          parameters: lookupSchema,
          strict: true,
        },
      },
    ]);
    const anthropic = await server.call('GET', `/api/v1/agents/${agentId}/tools?format=anthropic`, { key });
    expect(anthropic.json.data.tools[0]).toEqual({
      name: 'lookup_customer',
      description: 'Look a customer up by email',
      input_schema: lookupSchema,
    });
    const mcp = await server.call('GET', `/api/v1/agents/${agentId}/tools?format=mcp`, { key });
    expect(mcp.json.data.tools[0]).toMatchObject({
      name: 'lookup_customer',
      inputSchema: lookupSchema,
      annotations: { readOnlyHint: true },
    });

    const invoked = await server.call('POST', `/api/v1/agents/${agentId}/tools/lookup_customer/invoke`, {
      key,
      body: { arguments: { caller_email: 'ada@example.com' }, conversationId: 'c1' },
    });
    expect(invoked.status, invoked.text).toBe(200);
    expect(invoked.json.data.result).toEqual({ received: { caller_email: 'ada@example.com', note: null } });
    const received = hook.requests.at(-1)!;
    expect(JSON.parse(received.rawBody)).toEqual({ caller_email: 'ada@example.com', note: null });
    expect(received.headers['x-api-token']).toBe('canary-header-secret');
    expect(verifyWebhookSignature(signingSecret, received.rawBody, received.headers)).toBe(true);
    expect(verifyWebhookSignature(generateSigningSecret(), received.rawBody, received.headers)).toBe(false);

    // Edit the draft: the live version does not move.
    const patched = await server.call('PATCH', `/api/v1/agents/${agentId}/skills/${skill.id}`, {
      key,
      body: { description: 'Find a customer' },
    });
    expect(patched.status).toBe(200);
    await webhookSkill(agentId, 'second_tool');
    const liveStill = await server.call('GET', `/api/v1/agents/${agentId}/tools`, { key });
    expect(liveStill.json.data.tools.map((t: any) => t.function.description)).toEqual([
      'Look a customer up by email',
    ]);
    const draftTools = await server.call('GET', `/api/v1/agents/${agentId}/tools?version=draft`, { key });
    expect(draftTools.json.data.tools).toHaveLength(2);

    const diff = await server.call('GET', `/api/v1/agents/${agentId}/versions/${v1.json.data.id}/diff`, {
      key,
    });
    expect(diff.json.data.added.map((s: any) => s.name)).toEqual(['second_tool']);
    expect(diff.json.data.removed).toEqual([]);
    expect(diff.json.data.changed).toEqual([
      {
        id: skill.id,
        name: 'lookup_customer',
        fields: [{ field: 'description', from: 'Look a customer up by email', to: 'Find a customer' }],
      },
    ]);

    const v2 = await server.call('POST', `/api/v1/agents/${agentId}/publish`, { key, body: {} });
    expect(v2.json.data.number).toBe(2);
    const live2 = await server.call('GET', `/api/v1/agents/${agentId}/tools`, { key });
    expect(live2.json.data.version.number).toBe(2);
    expect(live2.json.data.tools).toHaveLength(2);

    const rolled = await server.call('POST', `/api/v1/agents/${agentId}/rollback`, {
      key,
      body: { versionId: v1.json.data.id },
    });
    expect(rolled.status).toBe(200);
    const live1 = await server.call('GET', `/api/v1/agents/${agentId}/tools`, { key });
    expect(live1.json.data.version.number).toBe(1);
    expect(live1.json.data.tools).toHaveLength(1);

    const versions = await server.call('GET', `/api/v1/agents/${agentId}/versions?limit=1`, { key });
    expect(versions.json.data.map((v: any) => v.number)).toEqual([2]);
    const older = await server.call(
      'GET',
      `/api/v1/agents/${agentId}/versions?limit=1&cursor=${versions.json.nextCursor}`,
      { key },
    );
    expect(older.json.data.map((v: any) => [v.number, v.isLive])).toEqual([[1, true]]);
    expect(older.json.nextCursor).toBeNull();

    const executions = await server.call('GET', `/api/v1/agents/${agentId}/executions`, { key });
    expect(executions.json.data[0]).toMatchObject({
      skillName: 'lookup_customer',
      outcome: 'ok',
      version: { number: 1 },
      conversationId: 'c1',
    });
    expect(executions.json.data[0].arguments.caller_email).toBe('[redacted:email]');
  });

  test('executions narrow to one conversation, one tool or one outcome, and page within the filter', async () => {
    const agentId = await newAgent();
    await webhookSkill(agentId, 'lookup');
    await webhookSkill(agentId, 'broken', {
      executionConfig: { url: `http://127.0.0.1:${hook.port}/broken`, timeout_ms: 2000 },
    });
    await server.call('POST', `/api/v1/agents/${agentId}/publish`, { key, body: {} });
    hook.handle((req, res) => {
      if (req.url === '/broken') {
        res.writeHead(500).end('{}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    const call = (tool: string, conversationId: string) =>
      server.call('POST', `/api/v1/agents/${agentId}/tools/${tool}/invoke`, {
        key,
        body: { arguments: { caller_email: 'a@b.co', note: null }, conversationId },
      });
    try {
      for (const [tool, conv] of [
        ['lookup', 'call-1'],
        ['broken', 'call-1'],
        ['lookup', 'call-2'],
        ['lookup', 'call-1'],
      ])
        await call(tool, conv);
    } finally {
      hook.handle(echoHandler);
    }
    const list = async (query: string) => {
      const r = await server.call('GET', `/api/v1/agents/${agentId}/executions?${query}`, { key });
      expect(r.status, r.text).toBe(200);
      return r.json;
    };
    const names = (page: any) => page.data.map((e: any) => `${e.skillName}/${e.conversationId}/${e.outcome}`);
    expect(names(await list('conversationId=call-1'))).toEqual([
      'lookup/call-1/ok',
      'broken/call-1/error',
      'lookup/call-1/ok',
    ]);
    expect(names(await list('outcome=error'))).toEqual(['broken/call-1/error']);
    expect(names(await list('tool=lookup&conversationId=call-2'))).toEqual(['lookup/call-2/ok']);
    const first = await list('tool=lookup&limit=2');
    expect(names(first)).toEqual(['lookup/call-1/ok', 'lookup/call-2/ok']);
    const rest = await list(`tool=lookup&limit=2&cursor=${first.nextCursor}`);
    expect(names(rest)).toEqual(['lookup/call-1/ok']);
    expect(rest.nextCursor).toBeNull();
    const bad = await server.call('GET', `/api/v1/agents/${agentId}/executions?outcome=maybe`, { key });
    expect(bad.status).toBe(400);
    expect(bad.json.code).toBe('validation_error');
  });

  test('a write that timed out says it may have happened; a read that timed out does not', async () => {
    const agentId = await newAgent();
    const slow = { url: `http://127.0.0.1:${hook.port}/slow`, timeout_ms: 200 };
    await webhookSkill(agentId, 'look', { executionConfig: slow });
    const { skill } = await webhookSkill(agentId, 'book', { isWrite: true, executionConfig: slow });
    await server.call('PATCH', `/api/v1/agents/${agentId}/skills/${skill.id}`, {
      key,
      body: { isEnabled: true },
    });
    await server.call('POST', `/api/v1/agents/${agentId}/publish`, { key, body: {} });
    hook.handle((_req, res) => {
      setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'), 600);
    });
    try {
      const body = { arguments: { caller_email: 'a@b.co', note: null }, confirmed: true };
      const write = await server.call('POST', `/api/v1/agents/${agentId}/tools/book/invoke`, { key, body });
      expect(write.status).toBe(504);
      expect(write.json).toMatchObject({ code: 'provider_timeout', retryable: true, mayHaveApplied: true });
      expect(write.json.detail).toContain('may have been made');
      const read = await server.call('POST', `/api/v1/agents/${agentId}/tools/look/invoke`, { key, body });
      expect(read.status).toBe(504);
      expect(read.json.mayHaveApplied).toBeUndefined();
    } finally {
      hook.handle(echoHandler);
    }
  });

  test('a write skill lands disabled and runs only once enabled and confirmed; a retried write runs once', async () => {
    const agentId = await newAgent();
    const { skill } = await webhookSkill(agentId, 'book', { isWrite: true, isEnabled: true });
    expect(skill).toMatchObject({
      isEnabled: false,
      isWrite: true,
      requiresConfirmation: true,
      nonParallelizable: true,
    });
    await server.call('PATCH', `/api/v1/agents/${agentId}/skills/${skill.id}`, {
      key,
      body: { isEnabled: true, requiresVerifiedIdentity: true },
    });
    await server.call('POST', `/api/v1/agents/${agentId}/publish`, { key, body: {} });
    const path = `/api/v1/agents/${agentId}/tools/book/invoke`;
    const args = { caller_email: 'grace@example.com', note: 'window seat' };

    const unverified = await server.call('POST', path, { key, body: { arguments: args, confirmed: true } });
    expect(unverified.status).toBe(403);
    expect(unverified.json.code).toBe('verification_required');
    const unconfirmed = await server.call('POST', path, {
      key,
      body: { arguments: args, callerVerified: true },
    });
    expect(unconfirmed.status).toBe(409);
    expect(unconfirmed.json.code).toBe('confirmation_required');

    const count = hook.requests.length;
    const body = { arguments: args, confirmed: true, callerVerified: true };
    const headers = { 'idempotency-key': `book-${agentId}` };
    const results = await Promise.all(
      Array.from({ length: 5 }, () => server.call('POST', path, { key, body, headers })),
    );
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(new Set(results.map((r) => r.text)).size).toBe(1);
    expect(hook.requests.length - count).toBe(1);
    expect(hook.requests.at(-1)!.headers['idempotency-key']).toBe(`book-${agentId}`);
  });

  test('a non-parallelizable tool runs one call at a time per conversation', async () => {
    const agentId = await newAgent();
    const { skill } = await webhookSkill(agentId, 'serial', { nonParallelizable: true });
    expect(skill.nonParallelizable).toBe(true);
    await server.call('POST', `/api/v1/agents/${agentId}/publish`, { key, body: {} });
    const spans: { start: number; end: number; conv: string }[] = [];
    hook.handle((req, res) => {
      const start = Date.now();
      setTimeout(() => {
        spans.push({ start, end: Date.now(), conv: JSON.parse(req.rawBody).note });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{}');
      }, 150);
    });
    try {
      const call = (conv: string) =>
        server.call('POST', `/api/v1/agents/${agentId}/tools/serial/invoke`, {
          key,
          body: { arguments: { caller_email: 'a@b.co', note: conv }, conversationId: conv },
        });
      const results = await Promise.all([call('one'), call('one'), call('two')]);
      expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
      const one = spans.filter((s) => s.conv === 'one').sort((a, b) => a.start - b.start);
      expect(one[1].start).toBeGreaterThanOrEqual(one[0].end);
      // Another conversation is not held up by the first.
      const two = spans.find((s) => s.conv === 'two')!;
      expect(two.start).toBeLessThan(one[0].end);
    } finally {
      hook.handle((req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ received: req.rawBody ? JSON.parse(req.rawBody) : null }));
      });
    }
  });

  test('invalid arguments are refused with errors[] and never reach the endpoint', async () => {
    const agentId = await newAgent();
    await webhookSkill(agentId, 'lookup');
    await server.call('POST', `/api/v1/agents/${agentId}/publish`, { key, body: {} });
    const count = hook.requests.length;
    const r = await server.call('POST', `/api/v1/agents/${agentId}/tools/lookup/invoke`, {
      key,
      body: { arguments: { caller_email: 42, extra: true } },
    });
    expect(r.status).toBe(400);
    expect(r.json.code).toBe('validation_error');
    expect(r.json.errors.map((e: any) => e.field).sort()).toEqual([
      'arguments.caller_email',
      'arguments.extra',
    ]);
    expect(hook.requests.length).toBe(count);
  });

  test("Flowyte's plain parameters schema becomes the strict form; what strict mode cannot express is refused field by field", async () => {
    const agentId = await newAgent();
    const create = (name: string, parametersSchema: unknown, extra: Record<string, unknown> = {}) =>
      server.call('POST', `/api/v1/agents/${agentId}/skills`, {
        key,
        body: {
          name,
          description: 'x',
          skillType: 'http_webhook',
          parametersSchema,
          executionConfig: { url: `http://127.0.0.1:${hook.port}/` },
          ...extra,
        },
      });
    const plain = await create(
      'loose',
      { type: 'object', properties: { a: { type: 'string' }, b: { type: 'integer' } } },
      { requiredParams: ['a'] },
    );
    expect(plain.status, plain.text).toBe(201);
    expect(plain.json.data.parametersSchema).toEqual({
      type: 'object',
      properties: { a: { type: 'string' }, b: { type: ['integer', 'null'] } },
      required: ['a', 'b'],
      additionalProperties: false,
    });
    expect(plain.json.data.requiredParams).toEqual(['a']);
    const r = await create('broken', {
      type: 'object',
      properties: { a: { type: 'string', oneOf: [{ minLength: 1 }] }, c: { type: 'thing' } },
    });
    expect(r.status).toBe(400);
    expect(r.json.errors).toEqual(
      expect.arrayContaining([
        { field: 'parametersSchema.properties.a.oneOf', message: 'is not supported in strict mode' },
        expect.objectContaining({ field: 'parametersSchema.properties.c.type' }),
      ]),
    );
    const unknownRequired = await create(
      'named',
      { type: 'object', properties: {} },
      { requiredParams: ['zip'] },
    );
    expect(unknownRequired.status).toBe(400);
    expect(unknownRequired.json.errors).toEqual([
      { field: 'requiredParams', message: '"zip" is not a property' },
    ]);
  });

  test('tool names are unique per agent, and agents are edited with If-Match revisions', async () => {
    const agentId = await newAgent();
    await webhookSkill(agentId, 'same');
    const dup = await server.call('POST', `/api/v1/agents/${agentId}/skills`, {
      key,
      body: {
        name: 'same',
        description: 'x',
        skillType: 'http_webhook',
        parametersSchema: lookupSchema,
        executionConfig: { url: `http://127.0.0.1:${hook.port}/` },
      },
    });
    expect(dup.status).toBe(409);
    const got = await server.call('GET', `/api/v1/agents/${agentId}`, { key });
    expect(got.headers.get('etag')).toBe('"1"');
    const okPatch = await server.call('PATCH', `/api/v1/agents/${agentId}`, {
      key,
      body: { name: 'Renamed' },
      headers: { 'if-match': '"1"' },
    });
    expect(okPatch.json.data.revision).toBe(2);
    const stale = await server.call('PATCH', `/api/v1/agents/${agentId}`, {
      key,
      body: { name: 'Again' },
      headers: { 'if-match': '"1"' },
    });
    expect(stale.status).toBe(409);
    expect(stale.json.code).toBe('revision_mismatch');
  });

  test("another organization's agents, skills and versions are 404", async () => {
    const agentId = await newAgent();
    const { skill } = await webhookSkill(agentId, 'mine');
    const v = await server.call('POST', `/api/v1/agents/${agentId}/publish`, { key, body: {} });
    const other = (await server.key('flow-other-org', ALL)).key;
    const paths: [string, string, unknown?][] = [
      ['GET', `/api/v1/agents/${agentId}`],
      ['PATCH', `/api/v1/agents/${agentId}`, { name: 'x' }],
      ['GET', `/api/v1/agents/${agentId}/skills`],
      ['PATCH', `/api/v1/agents/${agentId}/skills/${skill.id}`, { description: 'x' }],
      ['DELETE', `/api/v1/agents/${agentId}/skills/${skill.id}`],
      ['POST', `/api/v1/agents/${agentId}/publish`, {}],
      ['GET', `/api/v1/agents/${agentId}/versions`],
      ['GET', `/api/v1/agents/${agentId}/versions/${v.json.data.id}`],
      ['GET', `/api/v1/agents/${agentId}/versions/${v.json.data.id}/diff`],
      ['POST', `/api/v1/agents/${agentId}/rollback`, { versionId: v.json.data.id }],
      ['GET', `/api/v1/agents/${agentId}/tools`],
      ['POST', `/api/v1/agents/${agentId}/tools/mine/invoke`, { arguments: { caller_email: 'a@b.c' } }],
      ['GET', `/api/v1/agents/${agentId}/executions`],
      ['DELETE', `/api/v1/agents/${agentId}`],
    ];
    for (const [method, p, body] of paths) {
      const r = await server.call(method, p, { key: other, body });
      expect(r.status, `${method} ${p}`).toBe(404);
      expect(r.json.code).toBe('not_found');
    }
    const stillThere = await server.call('GET', `/api/v1/agents/${agentId}`, { key });
    expect(stillThere.status).toBe(200);
  });

  test('webhook URLs on private or metadata addresses are refused when the network is not allowed', async () => {
    const strict = await startTestServer({ FLOWYTE_ALLOW_PRIVATE_NETWORKS: '' });
    try {
      const k = (await strict.key('strict-org', ALL)).key;
      const agent = await strict.call('POST', '/api/v1/agents', { key: k, body: { name: 'a' } });
      const create = (url: string, name: string) =>
        strict.call('POST', `/api/v1/agents/${agent.json.data.id}/skills`, {
          key: k,
          body: {
            name,
            description: 'x',
            skillType: 'http_webhook',
            parametersSchema: lookupSchema,
            executionConfig: { url },
          },
        });
      for (const url of [
        'http://169.254.169.254/latest/meta-data',
        'http://[::ffff:127.0.0.1]/',
        'http://0x7f.1/',
      ]) {
        const r = await create(url, 'literal');
        expect(r.status, url).toBe(400);
      }
      // A name that resolves to loopback passes creation but is refused when called.
      const named = await create(`http://localhost:${hook.port}/`, 'named');
      expect(named.status).toBe(201);
      await strict.call('POST', `/api/v1/agents/${agent.json.data.id}/publish`, { key: k, body: {} });
      const count = hook.requests.length;
      const r = await strict.call('POST', `/api/v1/agents/${agent.json.data.id}/tools/named/invoke`, {
        key: k,
        body: { arguments: { caller_email: 'a@b.c' } },
      });
      expect(r.status).toBe(502);
      expect(r.json).toMatchObject({ code: 'provider_error', retryable: false });
      expect(hook.requests.length).toBe(count);
    } finally {
      await strict.close();
    }
  });
});
