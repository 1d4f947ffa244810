import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localCredentials, PG, postgresDb } from '../../../test/support/services.ts';
import {
  loopbackContext,
  missingTools,
  startPostgres,
  type ThrowawayServer,
} from '../../../test/support/tls-servers.ts';
import { SKIPPED } from '../sql-common/checks.ts';
import type { SqlCheck } from '../types.ts';
import { postgresScripts } from './scripts.ts';
import { postgresSqlTest } from './sql-test.ts';

const local = localCredentials('postgres', 'chinook');
const byName = (checks: SqlCheck[]) => Object.fromEntries(checks.map((c) => [c.name, c]));

describe.skipIf(await postgresDb('chinook'))('postgres sql/test against the local server', () => {
  const ctx = loopbackContext();

  it('passes every essential check on chinook and flags a superuser as able to write', async () => {
    const checks = await postgresSqlTest(local, ctx);
    expect(checks.map((c) => c.name)).toEqual([
      'resolve',
      'tls',
      'auth',
      'catalog',
      'read_probe',
      'read_only',
      'latency',
    ]);
    const c = byName(checks);
    expect(c.resolve).toMatchObject({
      ok: true,
      detail: expect.stringContaining('port 5432 accepts connections'),
    });
    expect(c.tls).toMatchObject({ ok: true, detail: 'plaintext allowed by operator' });
    expect(c.auth).toMatchObject({
      ok: true,
      detail: expect.stringMatching(/^signed in as "postgres" to chinook \(server PostgreSQL \d+/),
    });
    expect(c.catalog).toMatchObject({ ok: true, detail: 'the role can read 11 tables and 0 views' });
    expect(c.read_probe.ok).toBe(true);
    expect(c.read_only).toMatchObject({ ok: false, detail: expect.stringContaining('superuser') });
    expect(c.latency).toMatchObject({ ok: true, detail: expect.stringContaining('good for live calls') });
    for (const check of checks) expect(check.ms).toBeGreaterThanOrEqual(0);
  });

  it('reports an unknown database at auth and skips the rest', async () => {
    const c = byName(await postgresSqlTest({ ...local, database: 'no_such_db_flowyte' }, ctx));
    expect(c.tls.ok).toBe(true);
    expect(c.auth).toMatchObject({ ok: false, detail: 'database "no_such_db_flowyte" does not exist' });
    expect(c.catalog.detail).toBe(SKIPPED);
  });

  it('reports a refused port at resolve, and TLS against a plaintext server at tls', async () => {
    expect(byName(await postgresSqlTest({ ...local, port: 1 }, ctx)).resolve).toMatchObject({ ok: false });
    const c = byName(await postgresSqlTest({ ...local, sslmode: 'require' }, ctx));
    expect(c.tls).toMatchObject({ ok: false, detail: expect.stringContaining('does not support TLS') });
    expect(c.auth.detail).toBe(SKIPPED);
  });

  describe('with a role made by the read-only script', () => {
    const database = `flowyte_sqltest_${randomBytes(4).toString('hex')}`;
    const scripts = postgresScripts({ database, tables: ['items'] });
    let admin: pg.Client;

    beforeAll(async () => {
      admin = new pg.Client({ ...PG, database: 'postgres' });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${database}`);
      const db = new pg.Client({ ...PG, database });
      await db.connect();
      await db.query(
        'CREATE TABLE items (id serial PRIMARY KEY); CREATE VIEW item_ids AS SELECT id FROM items;',
      );
      await db.query(scripts.readOnly);
      await db.end();
    });
    afterAll(async () => {
      await admin?.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin?.query(`DROP ROLE IF EXISTS ${scripts.role}`);
      await admin?.end();
    });

    const roleCreds = () => ({ ...local, database, user: scripts.role, password: scripts.password });

    it('proves the role read-only, then names the tables once the write script ran', async () => {
      const before = byName(await postgresSqlTest(roleCreds(), ctx));
      expect(before.catalog).toMatchObject({ ok: true, detail: 'the role can read 1 table and 1 view' });
      expect(before.read_only).toMatchObject({
        ok: true,
        detail: 'the role holds no INSERT, UPDATE or DELETE privilege',
      });
      const db = new pg.Client({ ...PG, database });
      await db.connect();
      await db.query(scripts.write!);
      await db.end();
      const after = byName(await postgresSqlTest(roleCreds(), ctx));
      expect(after.read_only).toMatchObject({
        ok: false,
        detail: expect.stringContaining('on 1 table: items'),
      });
    });
  });
});

describe.skipIf(missingTools('postgres'))('postgres sql/test over TLS (throwaway server)', () => {
  let srv: ThrowawayServer;
  const ctx = loopbackContext({ allowPlaintextSql: false });
  const creds = (over: Record<string, unknown> = {}) => ({
    host: 'localhost',
    port: srv.port,
    database: 'postgres',
    user: srv.user,
    password: srv.password,
    sslmode: 'verify-full',
    ca_pem: srv.certs.caPem,
    ...over,
  });
  beforeAll(async () => {
    srv = await startPostgres();
  });
  afterAll(async () => {
    await srv?.stop();
  });

  it('names the protocol and the verification in the tls detail', async () => {
    const c = byName(await postgresSqlTest(creds(), ctx));
    expect(c.tls).toMatchObject({
      ok: true,
      detail: 'TLSv1.3, certificate chain (against the supplied CA) and host name verified',
    });
    expect(c.auth.ok).toBe(true);
    const plain = byName(await postgresSqlTest(creds({ sslmode: 'require', ca_pem: undefined }), ctx));
    expect(plain.tls.detail).toBe('TLSv1.3, certificate not verified (sslmode require)');
  });

  it('a wrong password passes tls and fails auth; an unrelated CA fails tls', async () => {
    const wrong = byName(await postgresSqlTest(creds({ password: 'nope-canary' }), ctx));
    expect(wrong.tls.ok).toBe(true);
    expect(wrong.auth).toMatchObject({
      ok: false,
      detail: expect.stringContaining('wrong user name or password'),
    });
    const untrusted = byName(await postgresSqlTest(creds({ ca_pem: srv.certs.otherCaPem }), ctx));
    expect(untrusted.tls).toMatchObject({ ok: false, detail: expect.stringContaining('not trusted') });
  });
});
