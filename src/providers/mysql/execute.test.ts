/** The MySQL/MariaDB executor against the local server: read-only sessions and UTC, odd input refused. */
import { afterAll, describe, expect, test } from 'vitest';
import { MY, mariadbDb } from '../../../test/support/services.ts';
import { loopbackContext } from '../../../test/support/tls-servers.ts';
import type { CompiledSql } from '../sql-common/compile-plan.ts';
import { executeMysql, mysqlPools } from './execute.ts';

const skip = await mariadbDb('sakila');
const creds = {
  host: MY.host,
  port: MY.port,
  user: MY.user,
  password: MY.password,
  database: 'sakila',
  sslmode: 'disable',
};
const compiled = (sql: string): CompiledSql => ({
  v: 1,
  kind: 'mysql',
  engine: 'mysql',
  mode: 'read',
  object: 'customer',
  sql,
  args: [{ param: 'id' }],
  outputs: [{ name: 'x', type: 'string', jsonType: 'string', nullable: true, convert: 'none' }],
  rowCap: 10,
  id: Buffer.from(sql).toString('base64url').slice(0, 20),
});
const run = (c: unknown, args: Record<string, unknown>) =>
  executeMysql(
    creds,
    { compiled: c, arguments: args, config: {}, connectionId: 'my-exec-test' },
    loopbackContext(),
  );

describe.skipIf(skip)('the MySQL / MariaDB executor', () => {
  afterAll(() => mysqlPools.closeAll());

  test('reads run in a READ ONLY, UTC session', async () => {
    expect(
      await run(compiled('SELECT @@session.time_zone FROM customer WHERE customer_id = ? LIMIT 11'), {
        id: 1,
      }),
    ).toMatchObject({ rows: [{ x: '+00:00' }] });
    expect(
      await run(compiled('SELECT @@session.tx_read_only FROM customer WHERE customer_id = ? LIMIT 11'), {
        id: 1,
      }),
    ).toMatchObject({ rows: [{ x: '1' }] });
    await expect(
      run(compiled('UPDATE customer SET first_name = first_name WHERE customer_id = ?'), { id: 1 }),
    ).rejects.toMatchObject({ code: 'provider_error' });
  });

  test('anything that is not a compiled MySQL binding is refused', async () => {
    await expect(run({ ...compiled('SELECT 1'), engine: 'postgres' }, {})).rejects.toMatchObject({
      code: 'provider_error',
    });
  });
});
