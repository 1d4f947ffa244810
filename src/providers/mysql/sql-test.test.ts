import { randomBytes } from 'node:crypto';
import mysqlPromise from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localCredentials, MY, mariadbDb } from '../../../test/support/services.ts';
import {
  loopbackContext,
  missingTools,
  startMariadb,
  type ThrowawayServer,
} from '../../../test/support/tls-servers.ts';
import { SKIPPED } from '../sql-common/checks.ts';
import type { SqlCheck } from '../types.ts';
import { mysqlScripts } from './scripts.ts';
import { describeWriteGrants, mysqlSqlTest } from './sql-test.ts';

const local = localCredentials('mysql', 'sakila');
const byName = (checks: SqlCheck[]) => Object.fromEntries(checks.map((c) => [c.name, c]));

it('describes write grants by scope', () => {
  expect(
    describeWriteGrants(
      [
        { scope: 'global', name: null, priv: 'UPDATE' },
        { scope: 'global', name: null, priv: 'INSERT' },
        { scope: 'database', name: null, priv: 'DELETE' },
        { scope: 'table', name: 'b', priv: 'INSERT' },
        { scope: 'table', name: 'a', priv: 'UPDATE' },
      ],
      'shop',
    ),
  ).toEqual(['INSERT, UPDATE on every database', 'DELETE on shop.*', 'INSERT, UPDATE on 2 tables: a, b']);
  expect(describeWriteGrants([], 'shop')).toEqual([]);
});

describe.skipIf(await mariadbDb('sakila'))('mysql sql/test against the local MariaDB', () => {
  const ctx = loopbackContext();

  it('passes every essential check on sakila and flags root as able to write everywhere', async () => {
    const checks = await mysqlSqlTest(local, ctx);
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
    expect(c.tls).toMatchObject({ ok: true, detail: 'plaintext allowed by operator' });
    expect(c.auth).toMatchObject({
      ok: true,
      detail: expect.stringMatching(/^signed in as root@[^ ]+ to sakila \(server (MariaDB|MySQL) \d+/),
    });
    expect(c.catalog).toMatchObject({ ok: true, detail: 'the role can read 16 tables and 7 views' });
    expect(c.read_probe.ok).toBe(true);
    expect(c.read_only).toMatchObject({ ok: false, detail: expect.stringContaining('on every database') });
    expect(c.latency.ok).toBe(true);
  });

  it('reports an unknown database at auth, and TLS against a plaintext server at tls', async () => {
    const unknown = byName(await mysqlSqlTest({ ...local, database: 'no_such_db_flowyte' }, ctx));
    expect(unknown.auth).toMatchObject({ ok: false, detail: 'database "no_such_db_flowyte" does not exist' });
    expect(unknown.catalog.detail).toBe(SKIPPED);
    const tls = byName(await mysqlSqlTest({ ...local, sslmode: 'require' }, ctx));
    expect(tls.tls).toMatchObject({ ok: false, detail: expect.stringContaining('does not support TLS') });
  });

  describe('with a user made by the read-only script', () => {
    const database = `flowyte_sqltest_${randomBytes(4).toString('hex')}`;
    const scripts = mysqlScripts({ database, tables: ['items'] });
    let admin: mysqlPromise.Connection;

    beforeAll(async () => {
      admin = await mysqlPromise.createConnection({ ...MY });
      await admin.query(`CREATE DATABASE ${database}`);
      await admin.query(`CREATE TABLE ${database}.items (id int AUTO_INCREMENT PRIMARY KEY)`);
      await admin.query(`CREATE VIEW ${database}.item_ids AS SELECT id FROM ${database}.items`);
      for (const stmt of scripts.readOnly
        .split(';\n')
        .filter((s) => s.includes('USER') || s.includes('GRANT'))) {
        await admin.query(stmt);
      }
    });
    afterAll(async () => {
      await admin?.query(`DROP USER IF EXISTS ?@'%'`, [scripts.role]);
      await admin?.query(`DROP DATABASE IF EXISTS ${database}`);
      await admin?.end();
    });

    const userCreds = () => ({ ...local, database, user: scripts.role, password: scripts.password });

    it('proves the user read-only, then names the table once the write script ran', async () => {
      const before = byName(await mysqlSqlTest(userCreds(), ctx));
      expect(before.auth.ok).toBe(true);
      expect(before.catalog).toMatchObject({ ok: true, detail: 'the role can read 1 table and 1 view' });
      expect(before.read_only).toMatchObject({
        ok: true,
        detail: 'the role holds no INSERT, UPDATE or DELETE privilege',
      });
      await admin.query(scripts.write!.split('\n').filter((l) => l.startsWith('GRANT'))[0]);
      const after = byName(await mysqlSqlTest(userCreds(), ctx));
      expect(after.read_only).toMatchObject({
        ok: false,
        detail: expect.stringContaining('INSERT, UPDATE on 1 table: items'),
      });
    });
  });
});

describe.skipIf(missingTools('mariadb'))('mysql sql/test over TLS (throwaway server)', () => {
  let srv: ThrowawayServer;
  const ctx = loopbackContext({ allowPlaintextSql: false });
  beforeAll(async () => {
    srv = await startMariadb();
  });
  afterAll(async () => {
    await srv?.stop();
  });

  it('names the protocol and the verification in the tls detail; a wrong password fails auth only', async () => {
    const creds = {
      host: 'localhost',
      port: srv.port,
      database: srv.database,
      user: srv.user,
      password: srv.password,
      sslmode: 'verify-full',
      ca_pem: srv.certs.caPem,
    };
    const ok = byName(await mysqlSqlTest(creds, ctx));
    expect(ok.tls).toMatchObject({
      ok: true,
      detail: expect.stringMatching(
        /^TLSv1\.[23], certificate chain \(against the supplied CA\) and host name verified$/,
      ),
    });
    expect(ok.auth.ok).toBe(true);
    const wrong = byName(await mysqlSqlTest({ ...creds, password: 'nope-canary' }, ctx));
    expect(wrong.tls.ok).toBe(true);
    expect(wrong.auth).toMatchObject({
      ok: false,
      detail: expect.stringContaining('wrong user name or password'),
    });
  });
});
