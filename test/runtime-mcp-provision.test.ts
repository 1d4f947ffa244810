/**
 * The MCP endpoint driven by the SDK's own client, provisioning over a provider module that only
 * tests register, and argument validation under generated bad input.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AppError } from '../src/errors.ts';
import type { ExecuteRequest, ProviderModule } from '../src/providers/types.ts';
import { startTestServer, type TestServer } from './support/harness.ts';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver.ts';

const ALL = [
  'agents:read',
  'agents:write',
  'skills:write',
  'skills:invoke',
  'integrations:read',
  'integrations:write',
];

const executed: ExecuteRequest[] = [];

/** A provider that exists only in tests: it proves the provisioning machinery without a live provider. */
const testProvider: ProviderModule = {
  kind: 'test_crm',
  name: 'Test CRM',
  category: 'Testing',
  blurb: 'A provider registered only by tests',
  logo: 'test',
  auth: {
    type: 'api_key',
    credentials: Type.Object({ token: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
  },
  verify: async (creds) => {
    // The ProviderModule contract: a refusal is an AppError('credentials_rejected'); any other
    // error is the server's own fault (a 500), never blamed on the caller's credentials.
    if (creds.token !== 'good-token')
      throw new AppError('credentials_rejected', 'the test CRM refused the token');
    return { accountLabel: 'Test CRM · demo' };
  },
  actions: [
    {
      slug: 'find_contact',
      name: 'Find contact',
      description: 'Find a contact by phone',
      important: true,
      isWrite: false,
      parameters: {
        type: 'object',
        properties: { caller_phone: { type: 'string' } },
        required: ['caller_phone'],
        additionalProperties: false,
      },
      config: [],
    },
    {
      slug: 'create_ticket',
      name: 'Create ticket',
      description: 'Open a support ticket',
      important: true,
      isWrite: true,
      parameters: {
        type: 'object',
        properties: { subject: { type: 'string' } },
        required: ['subject'],
        additionalProperties: false,
      },
      config: [{ key: 'queue', label: 'Queue', type: 'string', required: true }],
    },
    {
      slug: 'export_all',
      name: 'Export all',
      description: 'Not important',
      important: false,
      isWrite: false,
      parameters: { type: 'object', properties: {}, required: [], additionalProperties: false },
      config: [],
    },
  ],
  pack: {
    slug: 'support',
    name: 'Support desk',
    description: 'Everything a support line needs',
    presets: [
      {
        slug: 'lookup',
        name: 'Look up caller',
        description: 'Find the caller by the number they call from',
        action: 'find_contact',
        toolName: 'lookup_caller',
      },
      {
        slug: 'ticket',
        name: 'Open ticket',
        description: 'Open a ticket in the support queue',
        action: 'create_ticket',
        toolName: 'open_ticket',
        config: { queue: 'support' },
      },
    ],
  },
  execute: async (_creds, request) => {
    executed.push(request);
    return { ok: true, action: request.action, echo: request.arguments, queue: request.config.queue ?? null };
  },
};

let server: TestServer;
let hook: WebhookReceiver;
let key: string;

beforeAll(async () => {
  const { defaultProviders } = await import('../src/providers/catalog.ts');
  server = await startTestServer({}, { providers: [...defaultProviders(), testProvider] });
  hook = await startWebhookReceiver();
  ({ key } = await server.key('rt-org', ALL));
});
afterAll(async () => {
  await hook?.close();
  await server?.close();
});

const agent = async () =>
  (await server.call('POST', '/api/v1/agents', { key, body: { name: 'a' } })).json.data.id as string;

describe('provisioning', () => {
  test('refuses before the provider is connected, then provisions important actions idempotently', async () => {
    const id = await agent();
    const early = await server.call('POST', `/api/v1/agents/${id}/integrations/test_crm/provision`, {
      key,
      body: {},
    });
    expect(early.status).toBe(409);
    expect(early.json.code).toBe('integration_not_connected');

    const bad = await server.call('POST', '/api/v1/integrations/test_crm/connect', {
      key,
      body: { credentials: { token: 'nope' } },
    });
    expect(bad.status).toBe(422);
    const conn = await server.call('POST', '/api/v1/integrations/test_crm/connect', {
      key,
      body: { credentials: { token: 'good-token' } },
    });
    expect(conn.json.data).toEqual({ status: 'connected', accountLabel: 'Test CRM · demo' });

    const first = await server.call('POST', `/api/v1/agents/${id}/integrations/test_crm/provision`, {
      key,
      body: {},
    });
    expect(first.status).toBe(200);
    expect(
      first.json.data.map((r: any) => [r.skill.name, r.created, r.skill.isEnabled, r.skill.isWrite]),
    ).toEqual([
      ['find_contact', true, true, false],
      // Its operator setting (queue) is still missing, so it lands disabled.
      ['create_ticket', true, false, true],
    ]);
    expect(first.json.data[0].skill.source).toEqual({ kind: 'test_crm', action: 'find_contact' });
    const again = await server.call('POST', `/api/v1/agents/${id}/integrations/test_crm/provision`, { key });
    expect(again.json.data.map((r: any) => r.created)).toEqual([false, false]);
    const named = await server.call('POST', `/api/v1/agents/${id}/integrations/test_crm/provision`, {
      key,
      body: { actions: ['export_all'] },
    });
    expect(named.json.data.map((r: any) => [r.skill.name, r.created])).toEqual([['export_all', true]]);

    const unknown = await server.call('POST', `/api/v1/agents/${id}/integrations/test_crm/provision`, {
      key,
      body: { actions: ['nope'] },
    });
    expect(unknown.status).toBe(422);
    const missingAgent = await server.call(
      'POST',
      '/api/v1/agents/agt_missing/integrations/test_crm/provision',
      { key, body: {} },
    );
    expect(missingAgent.status).toBe(404);
    const reserved = await server.call('POST', `/api/v1/agents/${id}/integrations/hubspot/provision`, {
      key,
      body: {},
    });
    expect(reserved.status).toBe(403);

    // Enabling the write without its setting is refused; with it, it runs once confirmed.
    const ticket = first.json.data[1].skill;
    const refused = await server.call('PATCH', `/api/v1/agents/${id}/skills/${ticket.id}`, {
      key,
      body: { isEnabled: true },
    });
    expect(refused.status).toBe(400);
    expect(refused.json.errors).toEqual([
      { field: 'executionConfig.queue', message: 'is required before the skill can be enabled' },
    ]);
    await server.call('PATCH', `/api/v1/agents/${id}/skills/${ticket.id}`, {
      key,
      body: { executionConfig: { queue: 'support' } },
    });
    const enabled = await server.call('PATCH', `/api/v1/agents/${id}/skills/${ticket.id}`, {
      key,
      body: { isEnabled: true },
    });
    expect(enabled.json.data.isEnabled).toBe(true);
    await server.call('POST', `/api/v1/agents/${id}/publish`, { key, body: {} });
    const run = await server.call('POST', `/api/v1/agents/${id}/tools/create_ticket/invoke`, {
      key,
      body: { arguments: { subject: 'Broken' }, confirmed: true },
    });
    expect(run.status, run.text).toBe(200);
    expect(run.json.data.result).toEqual({
      ok: true,
      action: 'create_ticket',
      echo: { subject: 'Broken' },
      queue: 'support',
    });

    const removed = await server.call('DELETE', `/api/v1/agents/${id}/integrations/test_crm/provision`, {
      key,
      body: { actions: ['export_all'] },
    });
    expect(removed.json.data).toEqual({ removed: 1 });

    // Disconnecting disables the draft skills that use it but deletes none.
    const disc = await server.call('DELETE', '/api/v1/integrations/test_crm', { key });
    expect(disc.json.data).toEqual({ disconnected: true, disabledSkills: 2 });
    const skills = await server.call('GET', `/api/v1/agents/${id}/skills`, { key });
    expect(skills.json.data.map((s: any) => [s.name, s.isEnabled])).toEqual([
      ['find_contact', false],
      ['create_ticket', false],
    ]);
    // The live version still holds them; calling without a connection is a typed 409.
    const gone = await server.call('POST', `/api/v1/agents/${id}/tools/find_contact/invoke`, {
      key,
      body: { arguments: { caller_phone: '+1555' } },
    });
    expect(gone.status).toBe(409);
    expect(gone.json.code).toBe('integration_not_connected');
  });
});

describe('packs', () => {
  test('lists presets with installed flags and installs them idempotently', async () => {
    const id = await agent();
    const none = await server.call('GET', `/api/v1/agents/${id}/integrations/postgres/pack`, { key });
    expect(none.status).toBe(404);
    expect(none.json.code).toBe('no_pack');
    await server.call('DELETE', '/api/v1/integrations/test_crm', { key });
    const early = await server.call('POST', `/api/v1/agents/${id}/integrations/test_crm/pack/install`, {
      key,
      body: {},
    });
    expect(early.status).toBe(409);
    expect(early.json.code).toBe('integration_not_connected');
    await server.call('POST', '/api/v1/integrations/test_crm/connect', {
      key,
      body: { credentials: { token: 'good-token' } },
    });

    const listed = await server.call('GET', `/api/v1/agents/${id}/integrations/test_crm/pack`, { key });
    expect(listed.json.data.presets.map((p: any) => [p.slug, p.installed])).toEqual([
      ['lookup', false],
      ['ticket', false],
    ]);
    const one = await server.call('POST', `/api/v1/agents/${id}/integrations/test_crm/pack/install`, {
      key,
      body: { presets: ['lookup'] },
    });
    expect(one.json.data.map((r: any) => [r.skill.name, r.created, r.skill.description])).toEqual([
      ['lookup_caller', true, 'Find the caller by the number they call from'],
    ]);
    const all = await server.call('POST', `/api/v1/agents/${id}/integrations/test_crm/pack/install`, {
      key,
      body: {},
    });
    // The ticket preset brings its own setting, so even the write lands runnable (but gated).
    expect(
      all.json.data.map((r: any) => [
        r.skill.name,
        r.created,
        r.skill.executionConfig,
        r.skill.source.preset,
      ]),
    ).toEqual([
      ['lookup_caller', false, {}, 'lookup'],
      ['open_ticket', true, { queue: 'support' }, 'ticket'],
    ]);
    const after = await server.call('GET', `/api/v1/agents/${id}/integrations/test_crm/pack`, { key });
    expect(after.json.data.presets.every((p: any) => p.installed)).toBe(true);
    const unknown = await server.call('POST', `/api/v1/agents/${id}/integrations/test_crm/pack/install`, {
      key,
      body: { presets: ['nope'] },
    });
    expect(unknown.status).toBe(400);
    const foreign = await server.call('GET', `/api/v1/agents/${id}/integrations/test_crm/pack`, {
      key: (await server.key('pack-other', ALL)).key,
    });
    expect(foreign.status).toBe(404);
  });
});

describe('MCP endpoint', () => {
  test('the SDK client lists tools, calls one, and sees a gated tool refuse', async () => {
    const id = await agent();
    const schema = {
      type: 'object',
      properties: { q: { type: 'string' } },
      required: ['q'],
      additionalProperties: false,
    };
    const exec = { url: `http://127.0.0.1:${hook.port}/mcp-hook` };
    await server.call('POST', `/api/v1/agents/${id}/skills`, {
      key,
      body: {
        name: 'search',
        description: 'Search',
        skillType: 'http_webhook',
        parametersSchema: schema,
        executionConfig: exec,
      },
    });
    const w = await server.call('POST', `/api/v1/agents/${id}/skills`, {
      key,
      body: {
        name: 'cancel',
        description: 'Cancel',
        skillType: 'http_webhook',
        parametersSchema: schema,
        executionConfig: exec,
        isWrite: true,
      },
    });
    await server.call('PATCH', `/api/v1/agents/${id}/skills/${w.json.data.id}`, {
      key,
      body: { isEnabled: true },
    });
    await server.call('POST', `/api/v1/agents/${id}/publish`, { key, body: {} });

    const client = new Client({ name: 'test', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(`${server.url}/api/v1/agents/${id}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${key}` } },
    });
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual(['cancel', 'search']);
      // The gates are the host's: the model is offered no confirmed/callerVerified argument.
      expect(tools.find((t) => t.name === 'cancel')!.inputSchema.properties).not.toHaveProperty('confirmed');
      const result = await client.callTool({ name: 'search', arguments: { q: 'ada' } });
      expect(result.isError).toBeFalsy();
      expect(JSON.parse((result.content as any)[0].text)).toEqual({ received: { q: 'ada' } });
      const count = hook.requests.length;
      const gated = await client.callTool({ name: 'cancel', arguments: { q: 'order 7' } });
      expect((gated.content as any)[0].text).toMatch(/^confirmation_needed/);
      expect(hook.requests.length).toBe(count);
      const selfConfirmed = await client.callTool({
        name: 'cancel',
        arguments: { q: 'order 7', confirmed: true },
      });
      expect((selfConfirmed.content as any)[0].text).toMatch(/^confirmation_needed/);
      expect(hook.requests.length).toBe(count);
    } finally {
      await client.close();
    }
  });

  test('MCP without a skills:invoke key is refused', async () => {
    const id = await agent();
    const weak = (await server.key('rt-org', ['agents:read'])).key;
    const r = await server.call('POST', `/api/v1/agents/${id}/mcp`, {
      key: weak,
      body: { jsonrpc: '2.0', id: 1, method: 'tools/list' },
    });
    expect(r.status).toBe(403);
  });
});

describe('argument validation', () => {
  test('generated bad arguments never reach the endpoint', async () => {
    const id = await agent();
    const schema = {
      type: 'object',
      properties: {
        email: { type: 'string', format: 'email' },
        party_size: { type: 'integer', minimum: 1, maximum: 20 },
        note: { type: ['string', 'null'] },
      },
      required: ['email', 'party_size', 'note'],
      additionalProperties: false,
    };
    await server.call('POST', `/api/v1/agents/${id}/skills`, {
      key,
      body: {
        name: 'reserve',
        description: 'r',
        skillType: 'http_webhook',
        parametersSchema: schema,
        executionConfig: { url: `http://127.0.0.1:${hook.port}/fc` },
      },
    });
    await server.call('POST', `/api/v1/agents/${id}/publish`, { key, body: {} });
    const count = hook.requests.length;
    const bad = fc.oneof(
      fc.record({
        email: fc.string().filter((s) => !s.includes('@')),
        party_size: fc.integer({ min: 1, max: 20 }),
      }),
      fc.record({
        email: fc.constant('a@b.co'),
        party_size: fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: 21 }), fc.string(), fc.double()),
      }),
      fc.record({ email: fc.constant('a@b.co'), party_size: fc.constant(2), extra: fc.jsonValue() }),
      fc.record({ party_size: fc.constant(2) }),
      fc.dictionary(fc.string(), fc.jsonValue()).filter((d) => !('email' in d)),
    );
    await fc.assert(
      fc.asyncProperty(bad, async (args) => {
        const r = await server.call('POST', `/api/v1/agents/${id}/tools/reserve/invoke`, {
          key,
          body: { arguments: args },
        });
        expect(r.status).toBe(400);
        expect(r.json.code).toBe('validation_error');
        expect(r.json.errors.length).toBeGreaterThan(0);
      }),
      { numRuns: 60 },
    );
    expect(hook.requests.length).toBe(count);
  });

  // Found by the property above in CI: a key named __proto__ is refused by the body parser, which
  // must still answer with errors[] like every other validation_error.
  test('an argument named __proto__ or constructor.prototype is a 400 with errors[], never forwarded', async () => {
    const id = await agent();
    await server.call('POST', `/api/v1/agents/${id}/skills`, {
      key,
      body: {
        name: 'reserve',
        description: 'Reserve a table',
        skillType: 'http_webhook',
        parametersSchema: {
          type: 'object',
          properties: { email: { type: 'string' } },
          required: ['email'],
          additionalProperties: false,
        },
        executionConfig: { url: `http://127.0.0.1:${hook.port}/proto` },
      },
    });
    await server.call('POST', `/api/v1/agents/${id}/publish`, { key, body: {} });
    const count = hook.requests.length;
    for (const raw of [
      '{"arguments":{"__proto__":{}}}',
      '{"arguments":{"constructor":{"prototype":{"x":1}}}}',
      // Spelt with escapes, the text holds neither name literally: still refused.
      '{"arguments":{"\\u005f_proto__":{}}}',
      '{"arguments":{"\\u0063onstructor":{"prototype":{"x":1}}}}',
    ]) {
      const r = await server.call('POST', `/api/v1/agents/${id}/tools/reserve/invoke`, { key, raw });
      expect(r.status).toBe(400);
      expect(r.json.code).toBe('validation_error');
      expect(r.json.errors).toEqual([{ field: 'body', message: expect.stringContaining('__proto__') }]);
    }
    expect(hook.requests.length).toBe(count);
  });
});

describe('provisioning under concurrency', () => {
  test('parallel provisions of the same actions create each skill once', async () => {
    await server.call('POST', '/api/v1/integrations/test_crm/connect', {
      key,
      body: { credentials: { token: 'good-token' } },
    });
    const id = await agent();
    const runs = await Promise.all(
      Array.from({ length: 6 }, () =>
        server.call('POST', `/api/v1/agents/${id}/integrations/test_crm/provision`, { key, body: {} }),
      ),
    );
    expect(runs.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const created = runs.flatMap((r) =>
      r.json.data.filter((x: any) => x.created).map((x: any) => x.skill.name),
    );
    expect(created.sort()).toEqual(['create_ticket', 'find_contact']);
    const skills = await server.call('GET', `/api/v1/agents/${id}/skills`, { key });
    expect(skills.json.data).toHaveLength(2);
  });
});
