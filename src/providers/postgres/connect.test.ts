import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { localCredentials, PG, postgresServer } from '../../../test/support/services.ts';
import { loopbackContext } from '../../../test/support/tls-servers.ts';
import { classifySqlError } from '../sql-common/errors.ts';
import { connectPostgres, createPostgresPool, postgresServerLabel } from './connect.ts';

const local = { ...localCredentials('postgres', 'postgres'), host: 'db.pinned.test' };

it('labels server versions', () => {
  expect(postgresServerLabel('15.20 (Debian 15.20-0+deb12u1)')).toBe('PostgreSQL 15.20');
  expect(postgresServerLabel('16.4')).toBe('PostgreSQL 16.4');
});

describe.skipIf(await postgresServer())('postgres connections and pools', () => {
  it('connects by name to the address the policy returned, asking it once per connection', async () => {
    const asked: string[] = [];
    const base = loopbackContext();
    const ctx = {
      ...base,
      resolveHost: (h: string) => {
        asked.push(h);
        return base.resolveHost(h);
      },
    };
    const client = await connectPostgres(local, ctx);
    expect((await client.query('select inet_server_addr()::text as a')).rows[0].a).toBe('127.0.0.1/32');
    await client.end();
    const pool = createPostgresPool(local, ctx, { max: 2 });
    await Promise.all([pool.query('select pg_sleep(0.05)'), pool.query('select pg_sleep(0.05)')]);
    await pool.end();
    expect(asked).toEqual(['db.pinned.test', 'db.pinned.test', 'db.pinned.test']);
  });

  it('a pool whose host the policy refuses fails each query with the refusal', async () => {
    const ctx = loopbackContext({
      resolveHost: async () => {
        throw Object.assign(new Error('refused'), { name: 'EgressError', reason: 'private_address' });
      },
    });
    const pool = createPostgresPool(local, ctx);
    await expect(pool.query('select 1')).rejects.toMatchObject({ name: 'EgressError' });
    await pool.end();
  });

  it('applies the statement timeout to every pooled session', async () => {
    const pool = createPostgresPool(local, loopbackContext(), { statementTimeoutMs: 100 });
    const err = await pool.query('select pg_sleep(2)').catch((e) => e);
    expect(err.code).toBe('57014');
    expect(classifySqlError(err)).toBe('timeout');
    await pool.end();
  });

  it('survives an idle pooled connection being killed: reports it, drops it, serves the next query', async () => {
    const errors: Error[] = [];
    const pool = createPostgresPool(local, loopbackContext(), { onError: (e) => errors.push(e) });
    const pid = (await pool.query('select pg_backend_pid() as pid')).rows[0].pid;
    const admin = new pg.Client({ ...PG, database: 'postgres' });
    await admin.connect();
    await admin.query('select pg_terminate_backend($1)', [pid]);
    await admin.end();
    await new Promise((r) => setTimeout(r, 200));
    expect(errors.length).toBe(1);
    expect((await pool.query('select 1 as one')).rows[0].one).toBe(1);
    await pool.end();
  });

  it('stops connecting when the caller aborts', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(connectPostgres(local, loopbackContext({ signal: ac.signal }))).rejects.toMatchObject({
      code: 'FLOWYTE_TIMEOUT',
    });
  });
});
