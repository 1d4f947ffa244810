import { randomBytes } from 'node:crypto';
import net from 'node:net';
import mysqlPromise from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localCredentials, MY, mariadbDb } from '../../../test/support/services.ts';
import {
  loopbackContext,
  missingTools,
  startMariadb,
  type ThrowawayServer,
} from '../../../test/support/tls-servers.ts';
import { EgressPolicy } from '../../security/egress.ts';
import { PLAINTEXT_REFUSED } from '../sql-common/tls.ts';
import { mysql, verifyMysql } from './index.ts';

const local = localCredentials('mysql', 'sakila');

it('describes itself as the MySQL / MariaDB catalog entry with credentials auth and no actions', () => {
  expect(mysql).toMatchObject({
    kind: 'mysql',
    name: 'MySQL / MariaDB',
    category: 'Database',
    logo: 'mysql',
  });
  expect(mysql.auth.type).toBe('credentials');
  expect(mysql.actions).toEqual([]);
  expect(mysql.sql).toBeDefined();
});

describe.skipIf(await mariadbDb('sakila'))('verify against the local MariaDB', () => {
  const ctx = loopbackContext();
  const user = `flowyte_t_${randomBytes(4).toString('hex')}`;
  const password = `pw-${randomBytes(9).toString('base64url')}`;
  let admin: mysqlPromise.Connection;

  beforeAll(async () => {
    admin = await mysqlPromise.createConnection({ ...MY });
    await admin.query(`CREATE USER ?@'%' IDENTIFIED BY ?`, [user, password]);
    await admin.query(`GRANT SELECT ON sakila.* TO ?@'%'`, [user]);
  });
  afterAll(async () => {
    await admin?.query(`DROP USER IF EXISTS ?@'%'`, [user]);
    await admin?.end();
  });

  it('labels the account with the server flavour, version and database', async () => {
    const result = await verifyMysql(local, ctx);
    expect(result.accountLabel).toMatch(/^(MariaDB|MySQL) \d+\.\d+\.\d+ · sakila$/);
    expect(result.credentials).toEqual(local);
  });

  it('signs in a password user, and rejects a wrong password without echoing it', async () => {
    await expect(verifyMysql({ ...local, user, password }, ctx)).resolves.toBeDefined();
    const err = await verifyMysql({ ...local, user, password: 'wrong-canary-password' }, ctx).catch((e) => e);
    expect(err).toMatchObject({
      code: 'credentials_rejected',
      message: `authentication failed for user "${user}": wrong user name or password`,
    });
    expect(JSON.stringify({ m: err.message, x: err.extras, s: err.stack })).not.toContain(
      'wrong-canary-password',
    );
  });

  it('rejects an unknown database by name (and a database the user may not see)', async () => {
    await expect(verifyMysql({ ...local, database: 'no_such_db_flowyte' }, ctx)).rejects.toMatchObject({
      code: 'credentials_rejected',
      message: 'database "no_such_db_flowyte" does not exist',
    });
    await expect(verifyMysql({ ...local, user, password, database: 'Chinook' }, ctx)).rejects.toMatchObject({
      code: 'credentials_rejected',
      message: expect.stringContaining(`may not access database "Chinook"`),
    });
  });

  it('rejects a port nothing listens on', async () => {
    await expect(verifyMysql({ ...local, port: 1 }, ctx)).rejects.toMatchObject({
      message: expect.stringContaining('refused the connection'),
    });
  });

  it('refuses a loopback address when the network policy does not allow it', async () => {
    const strict = new EgressPolicy([]);
    await expect(verifyMysql(local, { ...ctx, resolveHost: (h) => strict.resolve(h) })).rejects.toMatchObject(
      {
        code: 'credentials_rejected',
        message: expect.stringMatching(
          /^the address 127\.0\.0\.1 is a loopback address, which the network policy refuses; an operator can allow it with FLOWYTE_ALLOW_PRIVATE_NETWORKS=127\.0\.0\.1\/32$/,
        ),
      },
    );
  });

  it('refuses plaintext unless the operator allowed it', async () => {
    await expect(verifyMysql(local, { ...ctx, allowPlaintextSql: false })).rejects.toMatchObject({
      message: PLAINTEXT_REFUSED,
    });
  });

  it('rejects sslmode require against a server without TLS', async () => {
    await expect(verifyMysql({ ...local, sslmode: 'require' }, ctx)).rejects.toMatchObject({
      code: 'credentials_rejected',
      message: expect.stringContaining('does not support TLS'),
    });
  });

  it('gives up on a server that accepts TCP but never answers, within the time bound', async () => {
    const silent = net.createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as net.AddressInfo).port;
    const t0 = Date.now();
    try {
      await expect(verifyMysql({ ...local, port }, { ...ctx, timeoutMs: 400 })).rejects.toMatchObject({
        message: expect.stringContaining('did not answer in time'),
      });
      expect(Date.now() - t0).toBeLessThan(2000);
    } finally {
      silent.close();
    }
  });
});

describe.skipIf(missingTools('mariadb'))('verify against a throwaway MariaDB with TLS', () => {
  let srv: ThrowawayServer;
  const ctx = loopbackContext({ allowPlaintextSql: false });
  const creds = (over: Record<string, unknown> = {}) => ({
    host: '127.0.0.1',
    port: srv.port,
    database: srv.database,
    user: srv.user,
    password: srv.password,
    sslmode: 'require',
    ...over,
  });

  beforeAll(async () => {
    srv = await startMariadb();
  });
  afterAll(async () => {
    await srv?.stop();
  });

  it('sslmode require encrypts without checking the self-signed certificate', async () => {
    const result = await verifyMysql(creds(), ctx);
    expect(result.accountLabel).toMatch(/^MariaDB \d+\.\d+\.\d+ · flowyte_tls$/);
  });

  it('rejects a wrong password', async () => {
    await expect(verifyMysql(creds({ password: 'nope-canary' }), ctx)).rejects.toMatchObject({
      code: 'credentials_rejected',
      message: expect.stringContaining('wrong user name or password'),
    });
  });

  it('verify-ca succeeds with the right CA and is rejected without one or with an unrelated one', async () => {
    await expect(
      verifyMysql(creds({ sslmode: 'verify-ca', ca_pem: srv.certs.caPem }), ctx),
    ).resolves.toBeDefined();
    for (const over of [{}, { ca_pem: srv.certs.otherCaPem }]) {
      await expect(verifyMysql(creds({ sslmode: 'verify-ca', ...over }), ctx)).rejects.toMatchObject({
        code: 'credentials_rejected',
        message: expect.stringContaining('not trusted: supply the CA'),
      });
    }
  });

  it('verify-full accepts names on the certificate and rejects one it does not carry', async () => {
    for (const host of ['localhost', '127.0.0.1']) {
      await expect(
        verifyMysql(creds({ host, sslmode: 'verify-full', ca_pem: srv.certs.caPem }), ctx),
      ).resolves.toBeDefined();
    }
    const host = 'db.not-on-the-cert.test';
    await expect(
      verifyMysql(creds({ host, sslmode: 'verify-full', ca_pem: srv.certs.caPem }), ctx),
    ).rejects.toMatchObject({
      code: 'credentials_rejected',
      message: expect.stringContaining(`does not name ${host}`),
    });
    await expect(
      verifyMysql(creds({ host, sslmode: 'verify-ca', ca_pem: srv.certs.caPem }), ctx),
    ).resolves.toBeDefined();
  });
});
