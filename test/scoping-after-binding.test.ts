/**
 * Scoping after binding, over HTTP on Pagila (PostgreSQL): blocking an object or field that saved
 * bindings use lists them in the scoping answer, marks them needsReview, leaves them out of the
 * tools (live and draft) and refuses them at invoke — the live version published before the block
 * included — until the operator saves the binding again, lifts the block, or removes them.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { localCredentials, openWorld, type World } from './bindings-helpers.ts';
import { postgresDb } from './support/services.ts';

const skip = await postgresDb('pagila');

const customer = {
  toolName: 'find_customer',
  operation: 'customer.search_by_last_name',
  inputs: [{ param: 'caller_last_name', arg: 'last_name' }],
  projection: [
    { path: ['first_name'] },
    { path: ['email'] },
    { path: ['customer.address', 'phone'], as: 'phone' },
  ],
  enabled: true,
};
const film = {
  toolName: 'find_film',
  operation: 'film.search_by_title',
  inputs: [{ param: 'title', arg: 'title' }],
  projection: [{ path: ['title'] }, { path: ['release_year'] }],
  enabled: true,
};

describe.skipIf(skip)('scoping after binding on Pagila', () => {
  let w: World;
  const scoping = (blockedObjects: string[], blockedFields: string[]) =>
    w.server.call('PATCH', `/api/v1/integrations/postgres/scoping`, {
      key: w.key,
      body: { blockedObjects, blockedFields },
    });
  const skills = async () =>
    (await w.server.call('GET', `/api/v1/agents/${w.agent}/skills`, { key: w.key })).json.data as any[];
  const toolNames = async (draft = false) => {
    const r = await w.server.call('GET', `/api/v1/agents/${w.agent}/tools${draft ? '?version=draft' : ''}`, {
      key: w.key,
    });
    expect(r.status).toBe(200);
    return (r.json.data.tools as any[]).map((t) => t.function.name).sort();
  };

  const mcpToolNames = async () => {
    const client = new Client({ name: 'host', version: '1.0.0' });
    const url = new URL(`${w.server.url}/api/v1/agents/${w.agent}/mcp`);
    await client.connect(
      new StreamableHTTPClientTransport(url, {
        requestInit: { headers: { authorization: `Bearer ${w.key}` } },
      }),
    );
    try {
      return (await client.listTools()).tools.map((t) => t.name).sort();
    } finally {
      await client.close();
    }
  };

  beforeAll(async () => {
    w = await openWorld('postgres', localCredentials('postgres', 'pagila'));
  });
  afterAll(async () => {
    await w?.server.close();
  });

  test('blocking a field a binding projects marks the skill, hides it and refuses it until the binding is saved again', async () => {
    await w.newAgent();
    const c = await w.bind(customer);
    expect(c.status).toBe(201);
    expect(c.json.data.needsReview).toBe(false);
    expect((await w.bind(film)).status).toBe(201);
    await w.publish();
    expect((await w.invoke('find_customer', { caller_last_name: 'SMITH' })).status).toBe(200);

    const blocked = await scoping([], ['customer.email']);
    expect(blocked.status).toBe(200);
    const affected = blocked.json.data.affectedSkills.filter((s: any) => s.agentId === w.agent);
    expect(affected.map((s: any) => s.name)).toEqual(['find_customer']);
    expect(affected[0].id).toBe(c.json.data.id);
    expect(JSON.stringify(affected[0].errors)).toMatch(/customer\.email.*blocked/);

    const listed = await skills();
    expect(listed.find((s) => s.name === 'find_customer')).toMatchObject({
      needsReview: true,
      review: { reason: expect.stringMatching(/scoping/) },
    });
    expect(listed.find((s) => s.name === 'find_film').needsReview).toBe(false);
    // The live version was published before the block: it stops serving the skill all the same.
    expect(await toolNames()).toEqual(['find_film']);
    expect(await toolNames(true)).toEqual(['find_film']);
    expect(await mcpToolNames()).toEqual(['find_film']);
    const report = await w.server.call('GET', `/api/v1/agents/${w.agent}/prepublish-report`, { key: w.key });
    expect(report.json.data.warnings.map((x: any) => x.code)).toContain('needs_review');
    const refused = await w.invoke('find_customer', { caller_last_name: 'SMITH' });
    expect(refused.status).toBe(409);
    expect(refused.json).toMatchObject({ code: 'skill_needs_review' });
    expect(refused.json.type).toMatch(/\/errors\/skill_needs_review$/);
    expect(refused.text).not.toMatch(/SELECT|"customer"/);
    const draft = await w.invoke('find_customer', { caller_last_name: 'SMITH' }, { draft: true });
    expect(draft.status).toBe(409);
    expect(draft.json.code).toBe('skill_needs_review');
    expect((await w.invoke('find_film', { title: 'ACADEMY DINOSAUR' })).status).toBe(200);

    const shown = await w.server.call('GET', '/api/v1/integrations/postgres/scoping', { key: w.key });
    expect(shown.json.data.affectedSkills.map((s: any) => s.id)).toContain(c.json.data.id);

    // Saving it again as it was is refused: it still uses the blocked field, and stays under review.
    const put = (body: unknown) =>
      w.server.call('PUT', `/api/v1/agents/${w.agent}/skills/${c.json.data.id}/binding`, {
        key: w.key,
        body,
      });
    const same = await put(customer);
    expect(same.status).toBe(422);
    expect(same.json.code).toBe('binding_invalid');
    expect((await skills()).find((s) => s.name === 'find_customer').needsReview).toBe(true);

    const fixed = await put({
      ...customer,
      projection: customer.projection.filter((p) => p.path[0] !== 'email'),
    });
    expect(fixed.status).toBe(200);
    expect(fixed.json.data).toMatchObject({
      id: c.json.data.id,
      needsReview: false,
      review: null,
      isEnabled: true,
    });
    expect(await toolNames(true)).toEqual(['find_customer', 'find_film']);
    // The live version still holds the old binding: refused until the fixed one is published.
    expect((await w.invoke('find_customer', { caller_last_name: 'SMITH' })).status).toBe(409);
    await w.publish();
    const ok = await w.invoke('find_customer', { caller_last_name: 'SMITH' });
    expect(ok.status).toBe(200);
    expect(Object.keys(ok.json.data.result.rows[0]).sort()).toEqual(['first_name', 'phone']);
    expect(await toolNames()).toEqual(['find_customer', 'find_film']);
    await scoping([], []);
  });

  test('blocking the object a join goes through affects the skill; lifting the block clears it', async () => {
    await w.newAgent();
    const c = await w.bind(customer);
    expect(c.status).toBe(201);
    await w.publish();
    const blocked = await scoping(['address'], []);
    expect(blocked.json.data.affectedSkills.map((s: any) => s.id)).toContain(c.json.data.id);
    expect((await w.invoke('find_customer', { caller_last_name: 'SMITH' })).status).toBe(409);
    expect(await toolNames()).toEqual([]);

    // Published while under review: the live copy stays out until the block is lifted.
    await w.publish();
    expect(await toolNames()).toEqual([]);
    expect(await mcpToolNames()).toEqual([]);

    const lifted = await scoping([], []);
    expect(lifted.json.data.affectedSkills).toEqual([]);
    expect((await skills())[0].needsReview).toBe(false);
    expect((await w.invoke('find_customer', { caller_last_name: 'SMITH' })).status).toBe(200);
    expect(await toolNames()).toEqual(['find_customer']);
    expect(await mcpToolNames()).toEqual(['find_customer']);
  });

  test('removing a skill under review takes it out of the draft; the live version refuses it until republished', async () => {
    await w.newAgent();
    const c = await w.bind(customer);
    expect((await w.bind(film)).status).toBe(201);
    await w.publish();
    await scoping(['customer'], []);
    const del = await w.server.call('DELETE', `/api/v1/agents/${w.agent}/skills/${c.json.data.id}`, {
      key: w.key,
    });
    expect(del.status).toBe(200);
    const shown = await w.server.call('GET', '/api/v1/integrations/postgres/scoping', { key: w.key });
    expect(shown.json.data.affectedSkills.map((s: any) => s.id)).not.toContain(c.json.data.id);
    // Deleting the draft row does not unblock the frozen live copy.
    expect((await w.invoke('find_customer', { caller_last_name: 'SMITH' })).status).toBe(409);
    await w.publish();
    expect(await toolNames()).toEqual(['find_film']);
    expect((await w.invoke('find_customer', { caller_last_name: 'SMITH' })).status).toBe(404);
    await scoping([], []);
  });
});
