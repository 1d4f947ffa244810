/**
 * Discovery over HTTP against the local sample databases: summary, schema, search and paging of
 * objects and operations, re-discovery reporting changes, and scoping hiding what it names.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from './support/harness.ts';
import { MY, mariadbDb, PG, postgresDb } from './support/services.ts';

const skip = (await postgresDb('pagila')) ?? (await mariadbDb('sakila'));

describe.skipIf(skip)('discovery routes', () => {
  let server: TestServer;
  let key: string;
  beforeAll(async () => {
    server = await startTestServer();
    ({ key } = await server.key('disc-org', ['integrations:read', 'integrations:write']));
  });
  afterAll(() => server?.close());

  const connect = (kind: string, database: string, c = kind === 'postgres' ? PG : MY) =>
    server.call('POST', `/api/v1/integrations/${kind}/connect`, {
      key,
      body: {
        credentials: {
          host: c.host,
          port: c.port,
          user: c.user,
          password: c.password,
          database,
          sslmode: 'disable',
        },
      },
    });

  test('before discovery the schema routes are 404 not_discovered; after it they serve the scoped schema', async () => {
    expect((await connect('postgres', 'pagila')).status).toBe(200);
    for (const p of ['schema', 'objects', 'operations']) {
      const r = await server.call('GET', `/api/v1/integrations/postgres/${p}`, { key });
      expect(r.status, p).toBe(404);
      expect(r.json.code).toBe('not_discovered');
    }
    const first = await server.call('POST', '/api/v1/integrations/postgres/discover', { key });
    expect(first.status, first.text).toBe(200);
    expect(first.json.data.objectCount).toBeGreaterThan(15);
    expect(first.json.data.changes).toBeNull();
    const listed = await server.call('GET', '/api/v1/integrations', { key });
    expect(listed.json.data.find((c: any) => c.kind === 'postgres').lastDiscoveredAt).toBe(
      first.json.data.discoveredAt,
    );

    const schema = await server.call('GET', '/api/v1/integrations/postgres/schema', { key });
    const customer = schema.json.data.objects.find((o: any) => o.name === 'customer');
    expect(customer.fields.find((f: any) => f.name === 'email')).toMatchObject({
      type: 'string',
      pii: 'email',
    });
    expect(
      schema.json.data.relationships.some(
        (r: any) => r.from.object === 'customer' && r.to.object === 'address',
      ),
    ).toBe(true);

    const found = await server.call('GET', '/api/v1/integrations/postgres/objects?q=cust', { key });
    expect(found.json.data.map((o: any) => o.name)).toContain('customer');
    const page1 = await server.call('GET', '/api/v1/integrations/postgres/objects?limit=5', { key });
    const page2 = await server.call(
      'GET',
      `/api/v1/integrations/postgres/objects?limit=5&cursor=${page1.json.nextCursor}`,
      { key },
    );
    expect(page1.json.data).toHaveLength(5);
    expect(page2.json.data[0].name > page1.json.data[4].name).toBe(true);
    const ops = await server.call('GET', '/api/v1/integrations/postgres/operations?object=customer', { key });
    expect(ops.json.data.length).toBeGreaterThan(0);
    expect(ops.json.data.every((o: any) => o.object === 'customer')).toBe(true);

    const again = await server.call('POST', '/api/v1/integrations/postgres/discover', { key });
    expect(again.json.data.changes.changed).toBe(false);
  });

  test('scoping hides objects and fields everywhere, refuses unknown names, and clears', async () => {
    await connect('postgres', 'pagila');
    await server.call('POST', '/api/v1/integrations/postgres/discover', { key });
    const bad = await server.call('PATCH', '/api/v1/integrations/postgres/scoping', {
      key,
      body: { blockedObjects: ['nope'], blockedFields: ['customer.nope'] },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.errors).toHaveLength(2);
    const set = await server.call('PATCH', '/api/v1/integrations/postgres/scoping', {
      key,
      body: { blockedObjects: ['staff'], blockedFields: ['customer.email'] },
    });
    expect(set.json.data).toEqual({
      blockedObjects: ['staff'],
      blockedFields: ['customer.email'],
      affectedSkills: [],
    });
    const schema = (await server.call('GET', '/api/v1/integrations/postgres/schema', { key })).json.data;
    expect(schema.objects.some((o: any) => o.name === 'staff')).toBe(false);
    expect(
      schema.objects.find((o: any) => o.name === 'customer').fields.some((f: any) => f.name === 'email'),
    ).toBe(false);
    expect(schema.relationships.some((r: any) => r.from.object === 'staff' || r.to.object === 'staff')).toBe(
      false,
    );
    expect(
      schema.operations.some(
        (o: any) =>
          o.object === 'staff' || (o.object === 'customer' && o.args.some((a: any) => a.name === 'email')),
      ),
    ).toBe(false);
    const objects = await server.call('GET', '/api/v1/integrations/postgres/objects?q=staff', { key });
    expect(objects.json.data.map((o: any) => o.name)).not.toContain('staff');
    const cleared = await server.call('PATCH', '/api/v1/integrations/postgres/scoping', {
      key,
      body: { blockedObjects: [], blockedFields: [] },
    });
    expect(cleared.json.data).toEqual({ blockedObjects: [], blockedFields: [], affectedSkills: [] });
    const back = (await server.call('GET', '/api/v1/integrations/postgres/schema', { key })).json.data;
    expect(back.objects.some((o: any) => o.name === 'staff')).toBe(true);
  });

  test('MariaDB discovery over HTTP, and a disconnect removes the schema', async () => {
    expect((await connect('mysql', 'sakila')).status).toBe(200);
    const d = await server.call('POST', '/api/v1/integrations/mysql/discover', { key });
    expect(d.status, d.text).toBe(200);
    expect(d.json.data.objectCount).toBeGreaterThan(15);
    await server.call('DELETE', '/api/v1/integrations/mysql', { key });
    await connect('mysql', 'sakila');
    const r = await server.call('GET', '/api/v1/integrations/mysql/schema', { key });
    expect(r.json.code).toBe('not_discovered');
  });

  test('discovery of a provider that is not connected is 409, of a reserved kind 403', async () => {
    const other = (await server.key('disc-other', ['integrations:read', 'integrations:write'])).key;
    expect((await server.call('POST', '/api/v1/integrations/postgres/discover', { key: other })).status).toBe(
      409,
    );
    expect((await server.call('GET', '/api/v1/integrations/postgres/schema', { key: other })).status).toBe(
      409,
    );
    expect((await server.call('POST', '/api/v1/integrations/hubspot/discover', { key: other })).status).toBe(
      403,
    );
  });
});
