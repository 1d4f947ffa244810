/**
 * Auto-map with the optional OpenAI-compatible model configured, against a local fake of the chat
 * completions endpoint: the model's pick among the valid candidates is saved; what it is sent holds
 * the goal and schema names but no row values, and its key travels only to it; a slow, failing or
 * nonsensical answer leaves the built-in order.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { localCredentials, openWorld, SHOP_SQL, type World } from './bindings-helpers.ts';
import { startTestServer, type TestServer } from './support/harness.ts';
import { type ScratchDatabase, scratchPostgres } from './support/scratch-db.ts';
import { PG, postgresServer } from './support/services.ts';

const skip = await postgresServer();
const LLM_KEY = 'sk-llm-canary-7c1f';
// Two valid candidates here: orders by the customer's email, and customers by email (the goal
// names both objects; auto-map proposes only objects a goal names).
const GOAL = 'look up orders by the customer email';

interface Seen {
  authorization?: string;
  body: any;
}

describe.skipIf(skip)('auto-map with a language model', () => {
  let db: ScratchDatabase;
  let server: TestServer;
  let llm: http.Server;
  let shop: World;
  const seen: Seen[] = [];
  let answer: (res: http.ServerResponse) => void = () => {};

  const reply = (content: string) => (res: http.ServerResponse) =>
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content } }] }));

  beforeAll(async () => {
    db = await scratchPostgres('automapllm');
    const c = new pg.Client({ ...PG, database: db.name });
    await c.connect();
    await c.query(SHOP_SQL);
    await c.end();
    llm = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (b: Buffer) => chunks.push(b));
      req.on('end', () => {
        expect(req.url).toBe('/v1/chat/completions');
        seen.push({
          authorization: req.headers.authorization,
          body: JSON.parse(Buffer.concat(chunks).toString()),
        });
        answer(res);
      });
    });
    await new Promise<void>((r) => llm.listen(0, '127.0.0.1', r));
    server = await startTestServer({
      FLOWYTE_AUTOMAP_LLM_URL: `http://127.0.0.1:${(llm.address() as AddressInfo).port}/v1`,
      FLOWYTE_AUTOMAP_LLM_MODEL: 'test-model',
      FLOWYTE_AUTOMAP_LLM_API_KEY: LLM_KEY,
      FLOWYTE_AUTOMAP_LLM_TIMEOUT_MS: '400',
      // The model is offered only readings above the confidence floor; at 0 both readings are.
      FLOWYTE_AUTOMAP_MIN_CONFIDENCE: '0',
      FLOWYTE_RATE_LIMIT_PER_MINUTE: '1000000',
    });
    shop = await openWorld('postgres', localCredentials('postgres', db.name), server);
  });
  afterAll(async () => {
    await server?.close();
    await new Promise((r) => llm?.close(r));
    await db?.drop();
  });

  test('the model picks among the valid candidates; the built-in order stands when it cannot', async () => {
    answer = reply('not json at all');
    const builtIn = await shop.auto({ goal: GOAL });
    expect(builtIn.status, builtIn.text).toBe(201);
    expect(builtIn.json.data.rankedBy).toBe('vocabulary');
    expect(builtIn.json.data.explanation).toContain('no usable answer');
    const second = builtIn.json.data.alternatives[0];
    expect(second, 'the goal has at least two valid candidates').toBeDefined();

    answer = reply(JSON.stringify({ choice: 2, why: 'the caller asks about an order' }));
    const picked = await shop.auto({ goal: GOAL });
    expect(picked.status, picked.text).toBe(201);
    expect(picked.json.data).toMatchObject({ rankedBy: 'llm', binding: { operation: second.operation } });
    expect(picked.json.data.explanation).toContain('test-model chose it');
    expect(picked.json.data.alternatives[0].operation).toBe(builtIn.json.data.binding.operation);

    const sent = seen.at(-1)!;
    expect(sent.authorization).toBe(`Bearer ${LLM_KEY}`);
    expect(sent.body).toMatchObject({ model: 'test-model', temperature: 0 });
    const prompt = JSON.stringify(sent.body.messages);
    expect(prompt).toContain(GOAL);
    expect(prompt).toContain(second.operation);
    expect(prompt).not.toMatch(/ada@example\.com|Ada Lovelace|A-100/);

    await shop.newAgent(); // each auto-map saves a skill; a fresh agent keeps the tool names free
    for (const bad of [{ choice: 0 }, { choice: 99 }, { choice: 'two' }]) {
      answer = reply(JSON.stringify(bad));
      const r = await shop.auto({ goal: GOAL });
      expect(r.status, r.text).toBeLessThan(300);
      expect(r.json.data.rankedBy).toBe('vocabulary');
      expect(r.json.data.binding.operation).toBe(builtIn.json.data.binding.operation);
    }
  });

  test('a model slower than its timeout, or failing, costs the timeout and nothing else', async () => {
    await shop.newAgent();
    answer = (res) => setTimeout(() => reply(JSON.stringify({ choice: 2 }))(res), 2000);
    const asked = seen.length;
    const started = Date.now();
    const slow = await shop.auto({ goal: GOAL });
    expect(slow.status, slow.text).toBe(201);
    expect(slow.json.data.rankedBy).toBe('vocabulary');
    expect(Date.now() - started).toBeLessThan(1500);
    answer = (res) => res.writeHead(500).end('{"error":{"message":"boom"}}');
    expect((await shop.auto({ goal: GOAL })).json.data.rankedBy).toBe('vocabulary');
    expect(seen.length).toBe(asked + 2);
    expect(server.logs.join('\n')).not.toContain(LLM_KEY);
  });
});
