/**
 * The first hour of a new user, as problems that name their fix: kinds in any case, an unknown kind
 * answered with the valid ones, an enum answered with its values, every detail one sentence.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from './support/harness.ts';

let server: TestServer;
let key: string;
beforeAll(async () => {
  server = await startTestServer();
  ({ key } = await server.key('first-hour', ['integrations:write', 'agents:write', 'skills:invoke']));
});
afterAll(async () => {
  await server?.close();
});

describe('kinds', () => {
  test.each(['Postgres', 'POSTGRES', 'Google_Calendar'])(
    '%s is the same kind as its lower-case spelling',
    async (kind) => {
      const res = await server.call('GET', `/api/v1/integrations/${kind}/actions`, { key });
      expect(res.status, res.text).toBe(200);
    },
  );

  test('an unknown kind is answered with the kinds there are', async () => {
    const res = await server.call('GET', '/api/v1/integrations/postgresql/actions', { key });
    expect(res.status).toBe(404);
    expect(res.json.code).toBe('provider_not_found');
    for (const kind of ['google_calendar', 'google_sheets', 'shopify', 'postgres', 'mysql'])
      expect(res.json.detail).toContain(kind);
  });

  test('a reserved kind in capitals is still reserved', async () => {
    const res = await server.call('POST', '/api/v1/integrations/HubSpot/connect', { key, body: {} });
    expect({ status: res.status, code: res.json.code }).toEqual({ status: 403, code: 'provider_reserved' });
  });
});

describe('enums and wording', () => {
  test('a value outside an enum is answered with the allowed values', async () => {
    const agent = await server.call('POST', '/api/v1/agents', { key, body: { name: 'Enum' } });
    const res = await server.call('GET', `/api/v1/agents/${agent.json.data.id}/tools?format=xml`, { key });
    expect(res.status).toBe(400);
    expect(res.json.detail).toContain('openai, anthropic, mcp');
    expect(res.json.errors).toContainEqual({
      field: 'format',
      message: 'must be one of openai, anthropic, mcp',
    });
  });

  test('credentials outside an enum, or with a misspelt field, name what is allowed in the detail', async () => {
    const creds = {
      host: 'db.example.com',
      port: '5432',
      database: 'x',
      user: 'u',
      password: 'p',
      sslmode: 'nope',
    };
    const bad = await server.call('POST', '/api/v1/integrations/postgres/connect', {
      key,
      body: { credentials: creds },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.detail).toContain(
      'credentials.sslmode must be one of disable, require, verify-ca, verify-full',
    );
    const { user: _user, ...rest } = creds;
    const typo = await server.call('POST', '/api/v1/integrations/postgres/connect', {
      key,
      body: { credentials: { ...rest, sslmode: 'require', username: 'u' } },
    });
    expect(typo.status).toBe(400);
    expect(typo.json.errors).toContainEqual({
      field: 'credentials.username',
      message:
        'is not an allowed field; the fields are host, port, database, user, password, sslmode, ca_pem',
    });
  });

  test('a detail is one sentence: capital first letter, final period', async () => {
    const res = await server.call('GET', '/api/v1/integrations/postgres/schema', { key });
    expect(res.json.code).toBe('integration_not_connected');
    expect(res.json.detail).toMatch(/^[A-Z].*\.$/);
  });
});
