import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localCredentials, postgresDb } from '../../../test/support/services.ts';
import {
  loopbackContext,
  missingTools,
  startPostgres,
  type ThrowawayServer,
} from '../../../test/support/tls-servers.ts';
import { EgressPolicy } from '../../security/egress.ts';
import { PLAINTEXT_REFUSED } from '../sql-common/tls.ts';
import { postgres, verifyPostgres } from './index.ts';

const local = localCredentials('postgres', 'chinook');

it('describes itself as the PostgreSQL catalog entry with credentials auth and no actions', () => {
  expect(postgres).toMatchObject({
    kind: 'postgres',
    name: 'PostgreSQL',
    category: 'Database',
    logo: 'postgresql',
  });
  expect(postgres.auth.type).toBe('credentials');
  expect(postgres.actions).toEqual([]);
  expect(postgres.sql).toBeDefined();
});

describe.skipIf(await postgresDb('chinook'))('verify against the local PostgreSQL', () => {
  const ctx = loopbackContext();

  it('labels the account with the server version and database, and returns normalized credentials', async () => {
    const result = await verifyPostgres({ ...local, host: ' 127.0.0.1 ' }, ctx);
    expect(result.accountLabel).toMatch(/^PostgreSQL \d+\.\d+ · chinook$/);
    expect(result.credentials).toEqual(local);
  });

  it('rejects an unknown database by name', async () => {
    await expect(verifyPostgres({ ...local, database: 'no_such_db_flowyte' }, ctx)).rejects.toMatchObject({
      code: 'credentials_rejected',
      message: 'database "no_such_db_flowyte" does not exist',
    });
  });

  it('rejects a port nothing listens on', async () => {
    await expect(verifyPostgres({ ...local, port: 1 }, ctx)).rejects.toMatchObject({
      code: 'credentials_rejected',
      message: expect.stringContaining('refused the connection'),
    });
  });

  it('refuses a loopback address when the network policy does not allow it', async () => {
    const strict = new EgressPolicy([]);
    await expect(
      verifyPostgres(local, { ...ctx, resolveHost: (h) => strict.resolve(h) }),
    ).rejects.toMatchObject({
      code: 'credentials_rejected',
      message: expect.stringMatching(
        /^the address 127\.0\.0\.1 is a loopback address, which the network policy refuses; an operator can allow it with FLOWYTE_ALLOW_PRIVATE_NETWORKS=127\.0\.0\.1\/32$/,
      ),
    });
  });

  it('refuses plaintext unless the operator allowed it', async () => {
    await expect(verifyPostgres(local, { ...ctx, allowPlaintextSql: false })).rejects.toMatchObject({
      code: 'credentials_rejected',
      message: PLAINTEXT_REFUSED,
    });
  });

  it('rejects sslmode require against a server without TLS', async () => {
    await expect(verifyPostgres({ ...local, sslmode: 'require' }, ctx)).rejects.toMatchObject({
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
      await expect(verifyPostgres({ ...local, port }, { ...ctx, timeoutMs: 400 })).rejects.toMatchObject({
        code: 'credentials_rejected',
        message: expect.stringContaining('did not answer in time'),
      });
      expect(Date.now() - t0).toBeLessThan(2000);
    } finally {
      silent.close();
    }
  });

  it('refuses a bad shape with validation_error', async () => {
    await expect(verifyPostgres({ ...local, sslmode: 'prefer' }, ctx)).rejects.toMatchObject({
      code: 'validation_error',
    });
  });
});

describe.skipIf(missingTools('postgres'))('verify against a throwaway PostgreSQL with TLS and scram', () => {
  let srv: ThrowawayServer;
  const ctx = loopbackContext({ allowPlaintextSql: false });
  const creds = (over: Record<string, unknown> = {}) => ({
    host: '127.0.0.1',
    port: srv.port,
    database: 'postgres',
    user: srv.user,
    password: srv.password,
    sslmode: 'require',
    ...over,
  });

  beforeAll(async () => {
    srv = await startPostgres();
  });
  afterAll(async () => {
    await srv?.stop();
  });

  it('sslmode require encrypts without checking the self-signed certificate', async () => {
    const result = await verifyPostgres(creds(), ctx);
    expect(result.accountLabel).toMatch(/^PostgreSQL \d+\.\d+ · postgres$/);
  });

  it('rejects a wrong password without echoing it', async () => {
    const wrong = 'wrong-canary-password';
    const err = await verifyPostgres(creds({ password: wrong }), ctx).catch((e) => e);
    expect(err).toMatchObject({
      code: 'credentials_rejected',
      message: `authentication failed for user "postgres": wrong user name or password`,
    });
    expect(JSON.stringify({ m: err.message, x: err.extras })).not.toContain(wrong);
    expect(err.stack ?? '').not.toContain(wrong);
  });

  it('rejects an empty password when the server asks for one', async () => {
    await expect(verifyPostgres(creds({ password: '' }), ctx)).rejects.toMatchObject({
      code: 'credentials_rejected',
      message: 'the server requires a password for user "postgres"',
    });
  });

  it('verify-ca succeeds with the CA that signed the server certificate', async () => {
    await expect(
      verifyPostgres(creds({ sslmode: 'verify-ca', ca_pem: srv.certs.caPem }), ctx),
    ).resolves.toBeDefined();
  });

  it('verify-ca without a CA (system roots) or with an unrelated CA is rejected with advice', async () => {
    for (const over of [{}, { ca_pem: srv.certs.otherCaPem }]) {
      await expect(verifyPostgres(creds({ sslmode: 'verify-ca', ...over }), ctx)).rejects.toMatchObject({
        code: 'credentials_rejected',
        message: expect.stringContaining('not trusted: supply the CA'),
      });
    }
  });

  it('require with a CA given verifies the chain like verify-ca', async () => {
    await expect(verifyPostgres(creds({ ca_pem: srv.certs.otherCaPem }), ctx)).rejects.toMatchObject({
      message: expect.stringContaining('not trusted'),
    });
  });

  it('verify-full accepts names on the certificate while connecting to the pinned address', async () => {
    for (const host of ['localhost', '127.0.0.1']) {
      await expect(
        verifyPostgres(creds({ host, sslmode: 'verify-full', ca_pem: srv.certs.caPem }), ctx),
      ).resolves.toBeDefined();
    }
  });

  it('verify-full rejects a host name the certificate does not carry; verify-ca accepts it', async () => {
    const host = 'db.not-on-the-cert.test';
    await expect(
      verifyPostgres(creds({ host, sslmode: 'verify-full', ca_pem: srv.certs.caPem }), ctx),
    ).rejects.toMatchObject({
      code: 'credentials_rejected',
      message: expect.stringContaining(`does not name ${host}`),
    });
    await expect(
      verifyPostgres(creds({ host, sslmode: 'verify-ca', ca_pem: srv.certs.caPem }), ctx),
    ).resolves.toBeDefined();
  });
});
