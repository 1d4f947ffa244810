/**
 * The gates over MCP belong to the server and the host, never to the model: driven by the SDK's
 * own client over HTTP. A gated call answers with a single-use confirmation token bound to the
 * arguments, the MCP session and the live version; only the host redeems it (REST, its key), and
 * the call runs once. A verified caller is the host's header; writes are idempotent per session.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from './support/harness.ts';
import { type ScratchDatabase, scratchPostgres } from './support/scratch-db.ts';
import { postgresServer } from './support/services.ts';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver.ts';

const pgSkip = await postgresServer();

const ALL = ['agents:read', 'agents:write', 'skills:write', 'skills:invoke'];
const META = 'io.flowyte/confirmation';

let server: TestServer;
let hook: WebhookReceiver;
let key: string;
let agentId: string;

const schema = {
  type: 'object',
  properties: { q: { type: 'string' } },
  required: ['q'],
  additionalProperties: false,
};

async function skill(name: string, flags: Record<string, unknown>, patch: Record<string, unknown> = {}) {
  const r = await server.call('POST', `/api/v1/agents/${agentId}/skills`, {
    key,
    body: {
      name,
      description: name,
      skillType: 'http_webhook',
      parametersSchema: schema,
      executionConfig: { url: `http://127.0.0.1:${hook.port}/${name}` },
      ...flags,
    },
  });
  expect(r.status).toBe(201);
  const p = await server.call('PATCH', `/api/v1/agents/${agentId}/skills/${r.json.data.id}`, {
    key,
    body: { isEnabled: true, ...patch },
  });
  expect(p.status).toBe(200);
}

async function connect(headers: Record<string, string> = {}) {
  const client = new Client({ name: 'host', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(`${server.url}/api/v1/agents/${agentId}/mcp`), {
    requestInit: { headers: { authorization: `Bearer ${key}`, ...headers } },
  });
  await client.connect(transport);
  return { client, transport };
}

const hits = (name: string) => hook.requests.filter((r) => r.url === `/${name}`).length;
const text = (r: any) => (r.content as any[])[0].text as string;
const redeem = (body: Record<string, unknown>, k = key) =>
  server.call('POST', `/api/v1/agents/${agentId}/confirmations`, { key: k, body });

const stores = [
  { store: 'the embedded store', skip: false },
  { store: 'a PostgreSQL store', skip: Boolean(pgSkip) },
];

describe.each(stores)('MCP gates on $store', ({ store, skip }) => {
  let scratch: ScratchDatabase | null = null;
  beforeAll(async () => {
    if (skip) return;
    if (store !== 'the embedded store') scratch = await scratchPostgres('gates');
    server = await startTestServer({
      FLOWYTE_RATE_LIMIT_PER_MINUTE: '1000000',
      ...(scratch ? { DATABASE_URL: scratch.url } : {}),
    });
    hook = await startWebhookReceiver();
    ({ key } = await server.key('gates-org', ALL));
    agentId = (await server.call('POST', '/api/v1/agents', { key, body: { name: 'gates' } })).json.data.id;
    await skill('search', {});
    await skill('cancel', { isWrite: true });
    await skill('account', { requiresVerifiedIdentity: true });
    await skill('refund', { isWrite: true, requiresVerifiedIdentity: true });
    await skill('note', { isWrite: true }, { requiresConfirmation: false });
    expect((await server.call('POST', `/api/v1/agents/${agentId}/publish`, { key, body: {} })).status).toBe(
      201,
    );
  });
  afterAll(async () => {
    if (skip) return;
    await hook?.close();
    await server?.close();
    await scratch?.drop();
  });

  describe.skipIf(skip)('over the SDK client', () => {
    test('each MCP session gets an id, and the tools offer the model no gate arguments', async () => {
      const { client, transport } = await connect();
      try {
        expect(transport.sessionId).toMatch(/^mcs_/);
        const { tools } = await client.listTools();
        for (const t of tools) {
          expect(t.inputSchema.properties).not.toHaveProperty('confirmed');
          expect(t.inputSchema.properties).not.toHaveProperty('callerVerified');
        }
        const other = await connect();
        expect(other.transport.sessionId).not.toBe(transport.sessionId);
        await other.client.close();
      } finally {
        await client.close();
      }
    });

    test('the model cannot confirm a write itself; the host redeems the token once and the call runs once', async () => {
      const { client, transport } = await connect();
      try {
        const before = hits('cancel');
        const r = await client.callTool({
          name: 'cancel',
          arguments: { q: 'order 7', confirmed: true, callerVerified: true },
        });
        expect(r.isError).toBeFalsy();
        expect(text(r)).toMatch(/^confirmation_needed: cancel did not run/);
        const pending = (r._meta as any)[META];
        expect(pending).toMatchObject({
          tool: 'cancel',
          needs: ['confirmation'],
          conversationId: transport.sessionId,
        });
        expect(pending.token).toMatch(/^fct_/);
        // The token is for the host: the text the model reads does not carry it.
        expect(text(r)).not.toContain(pending.token);
        expect(Date.parse(pending.expiresAt) - Date.now()).toBeLessThanOrEqual(5 * 60_000);
        expect(hits('cancel')).toBe(before);

        const body = {
          token: pending.token,
          arguments: { q: 'order 7' },
          conversationId: transport.sessionId,
        };
        const done = await redeem(body);
        expect(done.status).toBe(200);
        expect(done.json.data.result).toEqual({ received: { q: 'order 7' } });
        expect(hits('cancel')).toBe(before + 1);

        const again = await redeem(body);
        expect(again.status).toBe(409);
        expect(again.json.code).toBe('confirmation_invalid');
        expect(again.json.detail).toMatch(/already used/);
        expect(hits('cancel')).toBe(before + 1);

        const log = await server.call(
          'GET',
          `/api/v1/agents/${agentId}/executions?tool=cancel&conversationId=${transport.sessionId}`,
          { key },
        );
        expect(log.json.data).toHaveLength(1);
        expect(log.json.data[0].outcome).toBe('ok');
      } finally {
        await client.close();
      }
    });

    test('a token is bound to its arguments, its conversation and its key’s organization, and refusals do not spend it', async () => {
      const { client, transport } = await connect();
      try {
        const before = hits('cancel');
        const r = await client.callTool({ name: 'cancel', arguments: { q: 'order 8' } });
        const { token } = (r._meta as any)[META];
        const changed = await redeem({
          token,
          arguments: { q: 'order 9' },
          conversationId: transport.sessionId,
        });
        expect(changed.status).toBe(409);
        expect(changed.json.detail).toMatch(/arguments differ/);
        const elsewhere = await redeem({ token, arguments: { q: 'order 8' }, conversationId: 'mcs_other' });
        expect(elsewhere.status).toBe(409);
        expect(elsewhere.json.detail).toMatch(/another conversation/);
        const stranger = (await server.key('gates-stranger', ALL)).key;
        const foreign = await redeem(
          { token, arguments: { q: 'order 8' }, conversationId: transport.sessionId },
          stranger,
        );
        expect(foreign.status).toBe(404);
        const model = (await server.key('gates-org', ['agents:read'])).key;
        expect((await redeem({ token, arguments: { q: 'order 8' } }, model)).status).toBe(403);
        expect(hits('cancel')).toBe(before);
        const ok = await redeem({ token, arguments: { q: 'order 8' }, conversationId: transport.sessionId });
        expect(ok.status).toBe(200);
        expect(hits('cancel')).toBe(before + 1);
      } finally {
        await client.close();
      }
    });

    test('concurrent redemptions of one token run the call once', async () => {
      const { client, transport } = await connect();
      try {
        const before = hits('cancel');
        const r = await client.callTool({ name: 'cancel', arguments: { q: 'race' } });
        const { token } = (r._meta as any)[META];
        const body = { token, arguments: { q: 'race' }, conversationId: transport.sessionId };
        const answers = await Promise.all(Array.from({ length: 6 }, () => redeem(body)));
        expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409, 409, 409, 409]);
        expect(hits('cancel')).toBe(before + 1);
      } finally {
        await client.close();
      }
    });

    test('a token expires', async () => {
      const { client, transport } = await connect();
      try {
        const r = await client.callTool({ name: 'cancel', arguments: { q: 'late' } });
        const { token } = (r._meta as any)[META];
        // Five minutes pass.
        await server.services.store.db
          .updateTable('confirmations')
          .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
          .where('used_at', 'is', null)
          .execute();
        const before = hits('cancel');
        const late = await redeem({ token, arguments: { q: 'late' }, conversationId: transport.sessionId });
        expect(late.status).toBe(409);
        expect(late.json.detail).toMatch(/expired/);
        expect(hits('cancel')).toBe(before);
        const unknown = await redeem({ token: `fct_${'A'.repeat(32)}`, arguments: { q: 'late' } });
        expect(unknown.status).toBe(409);
        expect(unknown.json.code).toBe('confirmation_invalid');
      } finally {
        await client.close();
      }
    });

    test("a verified caller is the host's header, never the model's argument", async () => {
      const plain = await connect();
      const verified = await connect({ 'flowyte-caller-verified': 'true' });
      try {
        const before = hits('account');
        const r = await plain.client.callTool({
          name: 'account',
          arguments: { q: 'me', callerVerified: true },
        });
        expect(text(r)).toMatch(/^confirmation_needed/);
        expect((r._meta as any)[META].needs).toEqual(['verification']);
        expect(hits('account')).toBe(before);

        const ran = await verified.client.callTool({ name: 'account', arguments: { q: 'me' } });
        expect(ran.isError).toBeFalsy();
        expect(JSON.parse(text(ran))).toEqual({ received: { q: 'me' } });
        expect(hits('account')).toBe(before + 1);

        // A verified caller still has to agree to a write; an unverified one needs both.
        const refund = await verified.client.callTool({ name: 'refund', arguments: { q: 'A-1' } });
        expect((refund._meta as any)[META].needs).toEqual(['confirmation']);
        const both = await plain.client.callTool({ name: 'refund', arguments: { q: 'A-1' } });
        expect((both._meta as any)[META].needs).toEqual(['confirmation', 'verification']);
        expect(hits('refund')).toBe(0);
      } finally {
        await plain.client.close();
        await verified.client.close();
      }
    });

    test('a write retried in the same session with the same idempotency id runs once', async () => {
      const { client } = await connect();
      const other = await connect();
      try {
        const before = hits('note');
        const call = (c: Client, q: string, id?: string) =>
          c.callTool({
            name: 'note',
            arguments: { q },
            ...(id ? { _meta: { 'io.flowyte/idempotencyKey': id } } : {}),
          });
        const first = await call(client, 'call me back', 'retry-1');
        const retry = await call(client, 'call me back', 'retry-1');
        expect(first.isError).toBeFalsy();
        expect(text(retry)).toBe(text(first));
        expect(hits('note')).toBe(before + 1);
        const reused = await call(client, 'something else', 'retry-1');
        expect(reused.isError).toBe(true);
        expect(text(reused)).toMatch(/^idempotency_key_reused/);
        // Another session is another conversation; no id means no dedupe.
        await call(other.client, 'call me back', 'retry-1');
        await call(client, 'call me back');
        expect(hits('note')).toBe(before + 3);
      } finally {
        await client.close();
        await other.client.close();
      }
    });
  });
});
