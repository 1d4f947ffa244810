/**
 * End to end over real HTTP against the local PostgreSQL (pagila, chinook, northwind) and MariaDB
 * (sakila, Chinook): catalog, connect, list, reconnect, refusals, disconnect, sql/test, sql/scripts.
 */
import { afterAll, describe, expect, test, vi } from 'vitest';
import { RESERVED_KINDS } from '../src/providers/registry.ts';
import { type ApiResponse, startTestServer, type TestServer } from './support/harness.ts';
import type { CollectedRoute } from './support/routes.ts';
import { fillPath, paramNames, sampleFromSchema } from './support/routes.ts';
import { MY, mariadbDb, PG, postgresDb } from './support/services.ts';

const routes = vi.hoisted(() => [] as CollectedRoute[]);
vi.mock('fastify', async (orig) => (await import('./support/routes.ts')).withRouteCollector(orig, routes));

const pgSkip =
  (await postgresDb('pagila')) ?? (await postgresDb('chinook')) ?? (await postgresDb('northwind'));
const mySkip = (await mariadbDb('sakila')) ?? (await mariadbDb('Chinook'));

const servers: TestServer[] = [];
async function server(env: Record<string, string> = {}) {
  const s = await startTestServer({
    FLOWYTE_RATE_LIMIT_PER_MINUTE: '1000000',
    FLOWYTE_CONNECT_TIMEOUT_MS: '5000',
    ...env,
  });
  servers.push(s);
  return s;
}
afterAll(async () => {
  for (const s of servers) await s.close();
});

const RW = ['integrations:read', 'integrations:write'];
// The local PostgreSQL trusts 127.0.0.1, so any password signs in; the local servers have no TLS.
const pgCreds = (database: string, extra: Record<string, unknown> = {}) => ({
  host: PG.host,
  port: PG.port,
  database,
  user: PG.user,
  password: 'not-checked-by-trust-auth',
  sslmode: 'disable',
  ...extra,
});
const myCreds = (database: string, extra: Record<string, unknown> = {}) => ({
  host: MY.host,
  port: MY.port,
  database,
  user: MY.user,
  password: MY.password,
  sslmode: 'disable',
  ...extra,
});

function expectProblem(res: ApiResponse, status: number, code: string) {
  expect({ status: res.status, code: res.json?.code }, res.text).toEqual({ status, code });
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
}

const connect = (s: TestServer, key: string, kind: string, credentials: unknown) =>
  s.call('POST', `/api/v1/integrations/${kind}/connect`, { key, body: { credentials } });
const list = async (s: TestServer, key: string) =>
  (await s.call('GET', '/api/v1/integrations', { key })).json.data;

describe('catalog', () => {
  test('lists exactly the connectable providers, never a reserved one', async () => {
    const s = await server();
    const { key } = await s.key('catalog', RW);
    const res = await s.call('GET', '/api/v1/integrations/catalog', { key });
    expect(res.status).toBe(200);
    const kinds = res.json.data.map((p: any) => p.kind);
    expect(kinds).toEqual(expect.arrayContaining(['postgres', 'mysql']));
    for (const reserved of RESERVED_KINDS) expect(kinds).not.toContain(reserved);
    for (const kind of ['postgres', 'mysql']) {
      expect(res.json.data.find((p: any) => p.kind === kind)).toMatchObject({
        name: expect.any(String),
        category: 'Database',
        blurb: expect.any(String),
        logo: expect.any(String),
        authType: 'credentials',
        actionCount: 0,
        hasPack: false,
        connected: false,
        connectionStatus: null,
      });
    }
  });
});

describe.skipIf(pgSkip)('PostgreSQL', () => {
  test('connect, list, reconnect, refuse wrong credentials without touching the good connection, disconnect', async () => {
    const s = await server();
    const { key } = await s.key('pg-life', RW);
    const first = await connect(s, key, 'postgres', pgCreds('chinook'));
    expect(first.status, first.text).toBe(200);
    expect(first.json.data).toEqual({
      status: 'connected',
      accountLabel: expect.stringMatching(/^PostgreSQL 1\d\.\d+ · chinook$/),
    });
    const listed = await list(s, key);
    expect(listed).toEqual([
      {
        kind: 'postgres',
        status: 'connected',
        accountLabel: first.json.data.accountLabel,
        // A database login has no scopes the server could read back.
        grantedScopes: null,
        connectedAt: expect.any(String),
        lastDiscoveredAt: null,
      },
    ]);
    const catalog = await s.call('GET', '/api/v1/integrations/catalog', { key });
    expect(catalog.json.data.find((p: any) => p.kind === 'postgres')).toMatchObject({
      connected: true,
      connectionStatus: 'connected',
    });

    const again = await connect(s, key, 'postgres', pgCreds('pagila'));
    expect(again.json.data.accountLabel).toMatch(/ · pagila$/);
    const afterReconnect = await list(s, key);
    expect(afterReconnect).toHaveLength(1);
    expect(afterReconnect[0].accountLabel).toMatch(/ · pagila$/);

    const wrongUser = await connect(s, key, 'postgres', pgCreds('pagila', { user: 'no_such_role' }));
    expectProblem(wrongUser, 422, 'credentials_rejected');
    expect(wrongUser.json.detail.length).toBeGreaterThan(10);
    const unknownDb = await connect(s, key, 'postgres', pgCreds('no_such_database'));
    expectProblem(unknownDb, 422, 'credentials_rejected');
    expect(await list(s, key)).toEqual(afterReconnect);

    const gone = await s.call('DELETE', '/api/v1/integrations/postgres', { key });
    expect(gone.status).toBe(200);
    expect(gone.json.data).toEqual({ disconnected: true, disabledSkills: 0 });
    expect(await list(s, key)).toEqual([]);
    expectProblem(
      await s.call('DELETE', '/api/v1/integrations/postgres', { key }),
      409,
      'integration_not_connected',
    );
  });

  test('northwind connects too', async () => {
    const s = await server();
    const { key } = await s.key('pg-northwind', RW);
    expect((await connect(s, key, 'postgres', pgCreds('northwind'))).json.data.accountLabel).toMatch(
      / · northwind$/,
    );
  });

  test('a refused port, a plaintext request where TLS is required, and a bad sslmode store nothing', async () => {
    const s = await server();
    const { key } = await s.key('pg-refusals', RW);
    expectProblem(
      await connect(s, key, 'postgres', pgCreds('chinook', { port: 1 })),
      422,
      'credentials_rejected',
    );
    // The local server has no TLS: a TLS mode must fail rather than fall back to plaintext.
    expectProblem(
      await connect(s, key, 'postgres', pgCreds('chinook', { sslmode: 'require' })),
      422,
      'credentials_rejected',
    );
    const bad = await connect(s, key, 'postgres', pgCreds('chinook', { sslmode: 'prefer' }));
    expectProblem(bad, 400, 'validation_error');
    expect(bad.json.errors.map((e: any) => e.field)).toContain('credentials.sslmode');
    const missing = await connect(s, key, 'postgres', { host: PG.host });
    expectProblem(missing, 400, 'validation_error');
    expectProblem(
      await s.call('POST', '/api/v1/integrations/postgres/connect', { key, body: {} }),
      400,
      'validation_error',
    );
    expect(await list(s, key)).toEqual([]);
  });

  test('a private host is refused when FLOWYTE_ALLOW_PRIVATE_NETWORKS is empty, in every spelling', async () => {
    const s = await server({ FLOWYTE_ALLOW_PRIVATE_NETWORKS: '' });
    const { key } = await s.key('pg-private', RW);
    for (const host of [
      '127.0.0.1',
      'localhost',
      '0x7f.1',
      '2130706433',
      '[::1]',
      '::ffff:127.0.0.1',
      '169.254.169.254',
    ]) {
      const res = await connect(s, key, 'postgres', pgCreds('chinook', { host }));
      expectProblem(res, 422, 'credentials_rejected');
      expect(res.json.detail, host).toMatch(/network policy|private|loopback|refused/i);
    }
    const checks = await s.call('POST', '/api/v1/integrations/postgres/sql/test', {
      key,
      body: pgCreds('chinook'),
    });
    expect(checks.status).toBe(200);
    expect(checks.json.data.ok).toBe(false);
    expect(checks.json.data.checks[0]).toMatchObject({ ok: false });
    expect(await list(s, key)).toEqual([]);
  });

  test('plaintext is refused when FLOWYTE_SQL_ALLOW_PLAINTEXT is false', async () => {
    const s = await server({ FLOWYTE_SQL_ALLOW_PLAINTEXT: 'false' });
    const { key } = await s.key('pg-plain', RW);
    const res = await connect(s, key, 'postgres', pgCreds('chinook'));
    expectProblem(res, 422, 'credentials_rejected');
    expect(res.json.detail).toMatch(/plaintext/i);
    expect(await list(s, key)).toEqual([]);
  });

  test('sql/test runs ordered checks, always answers 200, and stores nothing', async () => {
    const s = await server();
    const { key } = await s.key('pg-sqltest', RW);
    const good = await s.call('POST', '/api/v1/integrations/postgres/sql/test', {
      key,
      body: pgCreds('pagila'),
    });
    expect(good.status).toBe(200);
    expect(good.json.data.ok).toBe(true);
    const names = good.json.data.checks.map((c: any) => c.name);
    expect(names.length).toBeGreaterThanOrEqual(4);
    for (const c of good.json.data.checks)
      expect(c).toEqual({
        name: expect.any(String),
        ok: expect.any(Boolean),
        detail: expect.any(String),
        ms: expect.any(Number),
      });
    const wrapped = await s.call('POST', '/api/v1/integrations/postgres/sql/test', {
      key,
      body: { credentials: pgCreds('chinook') },
    });
    expect(wrapped.json.data.ok).toBe(true);
    const bad = await s.call('POST', '/api/v1/integrations/postgres/sql/test', {
      key,
      body: pgCreds('no_such_database'),
    });
    expect(bad.status).toBe(200);
    expect(bad.json.data.ok).toBe(false);
    expect(bad.json.data.checks.some((c: any) => !c.ok)).toBe(true);
    const refusedPort = await s.call('POST', '/api/v1/integrations/postgres/sql/test', {
      key,
      body: pgCreds('chinook', { port: 1 }),
    });
    expect(refusedPort.status).toBe(200);
    expect(refusedPort.json.data.ok).toBe(false);
    expect(await list(s, key)).toEqual([]);
  });

  test('sql/scripts returns a read-only role script with a fresh password, and a write script for named tables', async () => {
    const s = await server();
    const { key } = await s.key('pg-scripts', RW);
    const res = await s.call(
      'GET',
      '/api/v1/integrations/postgres/sql/scripts?database=pagila&tables=public.rental,customer',
      { key },
    );
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    // Flowyte's shape: readOnly and write as { role, sql }, generatedPassword only when the server made one.
    const { role, generatedPassword, readOnly, write } = res.json.data;
    expect(readOnly.role).toBe(role);
    expect(readOnly.sql).toContain(role);
    expect(readOnly.sql).toContain(generatedPassword);
    expect(write.sql).toMatch(/rental/);
    expect(write.tables).toEqual(['public.rental', 'customer']);
    const next = await s.call('GET', '/api/v1/integrations/postgres/sql/scripts?database=pagila', { key });
    expect(next.json.data.generatedPassword).not.toBe(generatedPassword);
    expect(next.json.data.write).toBeNull();
    const given = await s.call(
      'GET',
      '/api/v1/integrations/postgres/sql/scripts?database=pagila&password=Given-pass%23word9',
      { key },
    );
    expect(given.status, given.text).toBe(200);
    expect(given.json.data).not.toHaveProperty('generatedPassword');
    expect(given.json.data.readOnly.sql).toContain("PASSWORD 'Given-pass#word9'");
    expectProblem(
      await s.call('GET', "/api/v1/integrations/postgres/sql/scripts?database=pagila&password=it's-quoted", {
        key,
      }),
      400,
      'validation_error',
    );
    expectProblem(
      await s.call('GET', '/api/v1/integrations/postgres/sql/scripts', { key }),
      400,
      'validation_error',
    );
  });
});

describe.skipIf(mySkip)('MariaDB', () => {
  test('connect sakila and Chinook, list, refuse a wrong password, sql/test, disconnect', async () => {
    const s = await server();
    const { key } = await s.key('my-life', RW);
    const first = await connect(s, key, 'mysql', myCreds('sakila'));
    expect(first.status, first.text).toBe(200);
    expect(first.json.data.accountLabel).toMatch(/^(MariaDB|MySQL) \d+\.\d+(\.\d+)? · sakila$/);
    const wrong = await connect(s, key, 'mysql', myCreds('Chinook', { password: 'definitely-wrong' }));
    expectProblem(wrong, 422, 'credentials_rejected');
    expect((await list(s, key))[0].accountLabel).toBe(first.json.data.accountLabel);
    expectProblem(await connect(s, key, 'mysql', myCreds('no_such_db')), 422, 'credentials_rejected');
    const second = await connect(s, key, 'mysql', myCreds('Chinook'));
    expect(second.json.data.accountLabel).toMatch(/ · Chinook$/);
    expect(await list(s, key)).toMatchObject([
      { kind: 'mysql', status: 'connected', accountLabel: second.json.data.accountLabel },
    ]);

    const test1 = await s.call('POST', '/api/v1/integrations/mysql/sql/test', {
      key,
      body: myCreds('sakila'),
    });
    expect(test1.status).toBe(200);
    expect(test1.json.data.ok).toBe(true);
    const test2 = await s.call('POST', '/api/v1/integrations/mysql/sql/test', {
      key,
      body: myCreds('sakila', { password: 'nope' }),
    });
    expect(test2.json.data.ok).toBe(false);

    const scripts = await s.call(
      'GET',
      '/api/v1/integrations/mysql/sql/scripts?database=sakila&tables=rental',
      { key },
    );
    expect(scripts.status).toBe(200);
    expect(scripts.json.data.write.sql).toMatch(/rental/);

    expect((await s.call('DELETE', '/api/v1/integrations/mysql', { key })).json.data).toEqual({
      disconnected: true,
      disabledSkills: 0,
    });
    expect(await list(s, key)).toEqual([]);
  });

  test('postgres and mysql connections live side by side', async () => {
    const s = await server();
    const { key } = await s.key('both', RW);
    expect((await connect(s, key, 'mysql', myCreds('sakila'))).status).toBe(200);
    if (!pgSkip) {
      expect((await connect(s, key, 'postgres', pgCreds('chinook'))).status).toBe(200);
      expect((await list(s, key)).map((c: any) => c.kind)).toEqual(['mysql', 'postgres']);
    }
  });
});

describe('reserved and unknown kinds on every integration route', () => {
  test('hubspot (reserved) is 403 provider_reserved and "nosuch" is 404 provider_not_found everywhere', async () => {
    const s = await server();
    // skills:write too: GET /integrations/{kind}/pack (the seed's scope) is an integration route as well.
    const { key } = await s.key('kinds', [...RW, 'skills:write']);
    const kindRoutes = routes.filter(
      (r) =>
        r.method !== 'HEAD' &&
        paramNames(r.url).join() === 'kind' &&
        r.url.startsWith('/api/v1/integrations/'),
    );
    expect(kindRoutes.length).toBeGreaterThanOrEqual(5);
    for (const route of kindRoutes) {
      const body = route.schema?.body ? (sampleFromSchema(route.schema.body) ?? {}) : undefined;
      const query = route.url.endsWith('/sql/scripts') ? '?database=x' : '';
      for (const [kind, status, code] of [
        ['hubspot', 403, 'provider_reserved'],
        ['nosuch', 404, 'provider_not_found'],
      ] as const) {
        const res = await s.call(route.method, fillPath(route.url, { kind }) + query, { key, body });
        expect({
          route: `${route.method} ${route.url}`,
          kind,
          status: res.status,
          code: res.json?.code,
        }).toEqual({
          route: `${route.method} ${route.url}`,
          kind,
          status,
          code,
        });
      }
    }
  });

  test('every reserved kind is refused on connect', async () => {
    const s = await server();
    const { key } = await s.key('reserved', RW);
    for (const kind of RESERVED_KINDS)
      expectProblem(await connect(s, key, kind, {}), 403, 'provider_reserved');
  });
});
