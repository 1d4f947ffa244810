import mysqlPromise from 'mysql2/promise';
import { describe, expect, it } from 'vitest';
import { localCredentials, MY, mariadbServer } from '../../../test/support/services.ts';
import { loopbackContext } from '../../../test/support/tls-servers.ts';
import { classifySqlError } from '../sql-common/errors.ts';
import { connectMysql, createMysqlPool, mysqlServerLabel } from './connect.ts';

const local = { ...localCredentials('mysql', 'sakila'), host: 'db.pinned.test' };

it('labels server flavours and versions', () => {
  expect(mysqlServerLabel('10.11.19-MariaDB-0+deb12u1')).toBe('MariaDB 10.11.19');
  expect(mysqlServerLabel('5.5.5-10.6.12-MariaDB-log')).toBe('MariaDB 10.6.12');
  expect(mysqlServerLabel('8.0.36')).toBe('MySQL 8.0.36');
  expect(mysqlServerLabel('8.0.36-0ubuntu0.22.04.1')).toBe('MySQL 8.0.36');
});

describe.skipIf(await mariadbServer())('mysql connections and pools', () => {
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
    const conn = await connectMysql(local, ctx);
    const [rows] = await conn.query<mysqlPromise.RowDataPacket[]>('select 1 as one');
    expect(rows[0].one).toBe(1);
    await conn.end();
    const pool = createMysqlPool(local, ctx, { max: 2 });
    await Promise.all([pool.query('select sleep(0.05)'), pool.query('select sleep(0.05)')]);
    await pool.end();
    expect(asked).toEqual(['db.pinned.test', 'db.pinned.test', 'db.pinned.test']);
  });

  it('applies the statement timeout to single connections and to every pooled session', async () => {
    const conn = await connectMysql(local, loopbackContext(), { statementTimeoutMs: 100 });
    const err = await conn
      .query('select sleep(2) from dual where 1 = (select 1 from actor limit 1)')
      .catch((e) => e);
    await conn.end();
    const pool = createMysqlPool(local, loopbackContext(), { statementTimeoutMs: 100 });
    const [rows] = await pool.query<mysqlPromise.RowDataPacket[]>('select @@max_statement_time as t');
    expect(Number(rows[0].t)).toBeCloseTo(0.1);
    await pool.end();
    expect(err).toBeInstanceOf(Error);
    expect(classifySqlError(err)).toBe('timeout');
  });

  it('survives a pooled connection being killed: reports it, drops it, serves the next query', async () => {
    const errors: Error[] = [];
    const pool = createMysqlPool(local, loopbackContext(), { onError: (e) => errors.push(e) });
    const [ids] = await pool.query<mysqlPromise.RowDataPacket[]>('select connection_id() as id');
    const admin = await mysqlPromise.createConnection({ ...MY });
    await admin.query(`KILL ${Number(ids[0].id)}`);
    await admin.end();
    await new Promise((r) => setTimeout(r, 200));
    expect(errors.length).toBe(1);
    const [rows] = await pool.query<mysqlPromise.RowDataPacket[]>('select 1 as one');
    expect(rows[0].one).toBe(1);
    await pool.end();
  });
});
