/**
 * Canary secrets pushed through every write path (connect, failed connects, sql/test, keys, scripts,
 * idempotent replays, bearer tokens in headers) must never come back in a response, a header, an
 * error or a log line, nor sit in plaintext in the store (SQLite files, or PostgreSQL rows).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, test } from 'vitest';
import { type ApiResponse, startTestServer, type TestServer } from './support/harness.ts';
import { type ScratchDatabase, scratchPostgres } from './support/scratch-db.ts';
import { MY, mariadbServer, PG, postgresDb } from './support/services.ts';

const pgSkip = await postgresDb('chinook');
const mySkip = await mariadbServer();

const tag = () => randomBytes(9).toString('hex');

interface Exposure {
  /** Secrets that must appear nowhere, ever. */
  canaries: string[];
  /** Secrets shown once by design: allowed only in the one response (or its replay) that returns them. */
  shownOnce: { value: string; allowedIn: Set<ApiResponse> }[];
  responses: ApiResponse[];
}

/** Drives every write path of this issue with canaries and returns what the server said. */
async function exercise(s: TestServer): Promise<Exposure> {
  const pgPassword = `CANARY-PG-${tag()}`;
  const myPassword = `CANARY-MY-${tag()}`;
  const token = `CANARY-TOKEN-${tag()}`;
  const exposure: Exposure = { canaries: [pgPassword, myPassword, token], shownOnce: [], responses: [] };
  const call = async (...args: Parameters<TestServer['call']>) => {
    const res = await s.call(...args);
    exposure.responses.push(res);
    return res;
  };
  const admin = await s.key('canary-org', [
    'integrations:read',
    'integrations:write',
    'keys:write',
    'agents:read',
  ]);
  const key = admin.key;
  exposure.shownOnce.push({ value: key, allowedIn: new Set() });
  const pgCreds = (extra: Record<string, unknown> = {}) => ({
    host: PG.host,
    port: PG.port,
    database: 'chinook',
    user: PG.user,
    password: pgPassword,
    sslmode: 'disable',
    ...extra,
  });
  const myCreds = {
    host: MY.host,
    port: MY.port,
    database: 'sakila',
    user: MY.user,
    password: myPassword,
    sslmode: 'disable',
  };

  if (!pgSkip) {
    const headers = { 'idempotency-key': `connect-${tag()}` };
    const ok = await call('POST', '/api/v1/integrations/postgres/connect', {
      key,
      body: { credentials: pgCreds() },
      headers,
    });
    expect(ok.status, ok.text).toBe(200);
    const replay = await call('POST', '/api/v1/integrations/postgres/connect', {
      key,
      body: { credentials: pgCreds() },
      headers,
    });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    await call('POST', '/api/v1/integrations/postgres/connect', {
      key,
      body: { credentials: pgCreds({ database: 'no_such_db' }) },
    });
    await call('POST', '/api/v1/integrations/postgres/connect', {
      key,
      body: { credentials: pgCreds({ port: 1 }) },
    });
    await call('POST', '/api/v1/integrations/postgres/connect', {
      key,
      body: { credentials: pgCreds({ sslmode: 'require' }) },
    });
    await call('POST', '/api/v1/integrations/postgres/connect', {
      key,
      body: { credentials: pgCreds({ host: '169.254.169.254' }) },
    });
    await call('POST', '/api/v1/integrations/postgres/connect', {
      key,
      body: { credentials: pgCreds({ ca_pem: token }) },
    });
    await call('POST', '/api/v1/integrations/postgres/connect', {
      key,
      body: { credentials: pgCreds({ port: token }) },
    });
    await call('POST', '/api/v1/integrations/postgres/sql/test', { key, body: pgCreds() });
    await call('POST', '/api/v1/integrations/postgres/sql/test', {
      key,
      body: pgCreds({ database: 'no_such_db' }),
    });
    await call('POST', '/api/v1/integrations/postgres/sql/test', {
      key,
      body: { credentials: pgCreds({ host: '10.0.0.1' }) },
    });
    await call('GET', '/api/v1/integrations', { key });
    await call('GET', '/api/v1/integrations/catalog', { key });
  }
  if (!mySkip) {
    const rejected = await call('POST', '/api/v1/integrations/mysql/connect', {
      key,
      body: { credentials: myCreds },
    });
    expect(rejected.status).toBe(422);
    await call('POST', '/api/v1/integrations/mysql/sql/test', { key, body: myCreds });
  }

  // Keys minted over the API are shown once, in their own response and its replay.
  const mintHeaders = { 'idempotency-key': `mint-${tag()}` };
  const minted = await call('POST', '/api/v1/keys', {
    key,
    body: { scopes: ['agents:read'] },
    headers: mintHeaders,
  });
  const mintedAgain = await call('POST', '/api/v1/keys', {
    key,
    body: { scopes: ['agents:read'] },
    headers: mintHeaders,
  });
  exposure.shownOnce.push({ value: minted.json.data.key, allowedIn: new Set([minted, mintedAgain]) });
  await call('GET', '/api/v1/keys', { key });

  // A generated role password is shown once too.
  const scripts = await call('GET', '/api/v1/integrations/postgres/sql/scripts?database=chinook', { key });
  exposure.shownOnce.push({ value: scripts.json.data.generatedPassword, allowedIn: new Set([scripts]) });

  // Tokens in places a careless logger would print: bearer, other auth headers, cookies, query strings.
  await call('GET', '/api/v1/integrations', { key: `flowyte_sk_live_${token}` });
  await call('GET', '/api/v1/integrations', {
    headers: { authorization: `Bearer ${token}`, 'x-api-key': token, cookie: `session=${token}` },
  });
  await call('GET', `/api/v1/integrations/catalog?access_token=${token}`, { key });
  await call('GET', `/api/v1/nowhere?password=${pgPassword}`);
  await call('POST', '/api/v1/keys', { key, raw: `{"scopes": ["${token}"` });
  if (!pgSkip) await call('DELETE', '/api/v1/integrations/postgres', { key });
  return exposure;
}

function surfaces(res: ApiResponse): string {
  return `${res.status}\n${[...res.headers].map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${res.text}`;
}

/** Plain, base64 and UTF-16 spellings: a secret stored "encoded" is still in plaintext. */
const spellings = (secret: string) => [
  secret,
  Buffer.from(secret).toString('base64'),
  Buffer.from(secret).toString('base64url'),
];

function assertNoExposure(s: TestServer, exposure: Exposure) {
  for (const res of exposure.responses) {
    const text = surfaces(res);
    for (const c of exposure.canaries) expect(text, 'a canary came back to the client').not.toContain(c);
    for (const { value, allowedIn } of exposure.shownOnce) {
      if (!allowedIn.has(res)) expect(text, 'a shown-once secret reappeared').not.toContain(value);
    }
    if (res.status >= 400) expect(res.text).not.toMatch(/\bat .+:\d+:\d+\)?$/m);
  }
  const logs = s.logs.join('');
  expect(logs.length).toBeGreaterThan(1000);
  for (const secret of [...exposure.canaries, ...exposure.shownOnce.map((x) => x.value)]) {
    for (const spelled of spellings(secret)) expect(logs, 'a secret reached the logs').not.toContain(spelled);
  }
}

const servers: TestServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.close();
});

describe('canary secrets', () => {
  test('never leave through responses, headers, errors or logs, nor sit in plaintext in the SQLite files', async () => {
    const s = await startTestServer({
      FLOWYTE_RATE_LIMIT_PER_MINUTE: '1000000',
      FLOWYTE_CONNECT_TIMEOUT_MS: '4000',
    });
    servers.push(s);
    const exposure = await exercise(s);
    assertNoExposure(s, exposure);
    const files = ['flowyte.db', 'flowyte.db-wal', 'flowyte.db-shm']
      .map((f) => path.join(s.dataDir, f))
      .filter(existsSync);
    expect(files.length).toBeGreaterThanOrEqual(2);
    const bytes = Buffer.concat(files.map((f) => readFileSync(f)));
    expect(bytes.length).toBeGreaterThan(4096);
    for (const secret of [...exposure.canaries, ...exposure.shownOnce.map((x) => x.value)]) {
      for (const spelled of spellings(secret)) {
        expect(
          bytes.includes(Buffer.from(spelled, 'utf8')),
          `${secret.slice(0, 12)}… in the store files`,
        ).toBe(false);
      }
      expect(bytes.includes(Buffer.from(secret, 'utf16le'))).toBe(false);
    }
  });

  test.skipIf(pgSkip)('never sit in plaintext in the PostgreSQL store either', async () => {
    let scratch: ScratchDatabase | null = await scratchPostgres('canary');
    try {
      const s = await startTestServer({
        DATABASE_URL: scratch.url,
        FLOWYTE_RATE_LIMIT_PER_MINUTE: '1000000',
        FLOWYTE_CONNECT_TIMEOUT_MS: '4000',
      });
      servers.push(s);
      const exposure = await exercise(s);
      assertNoExposure(s, exposure);
      const c = new pg.Client({ ...PG, database: scratch.name });
      await c.connect();
      const tables = (await c.query(`select tablename from pg_tables where schemaname = 'public'`)).rows.map(
        (r) => r.tablename,
      );
      let dump = '';
      for (const t of tables) dump += JSON.stringify((await c.query(`select * from "${t}"`)).rows);
      await c.end();
      expect(dump).toContain('canary-org');
      for (const secret of [...exposure.canaries, ...exposure.shownOnce.map((x) => x.value)]) {
        for (const spelled of spellings(secret)) expect(dump).not.toContain(spelled);
      }
      await s.close();
      servers.pop();
    } finally {
      await scratch?.drop();
      scratch = null;
    }
  });
});
