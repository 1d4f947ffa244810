/**
 * The PostgreSQL executor against the local server: sessions are read-only for reads whatever the
 * statement, a session killed while pooled is retried once for reads, and odd compiled input is refused.
 */
import pg from 'pg';
import { afterAll, describe, expect, test } from 'vitest';
import { PG, postgresDb } from '../../../test/support/services.ts';
import { loopbackContext } from '../../../test/support/tls-servers.ts';
import type { CompiledSql } from '../sql-common/compile-plan.ts';
import { executePostgres, postgresPools } from './execute.ts';

const skip = await postgresDb('pagila');
const creds = {
  host: PG.host,
  port: PG.port,
  user: PG.user,
  password: 'x',
  database: 'pagila',
  sslmode: 'disable',
};
const compiled = (sql: string, mode: CompiledSql['mode'] = 'read'): CompiledSql => ({
  v: 1,
  kind: 'postgres',
  engine: 'postgres',
  mode,
  object: 'customer',
  sql,
  args: [{ param: 'id' }],
  outputs: [{ name: 'x', type: 'string', jsonType: 'string', nullable: true, convert: 'none' }],
  rowCap: 10,
  id: Buffer.from(sql).toString('base64url').slice(0, 20),
});
const run = (
  c: unknown,
  args: Record<string, unknown>,
  config: Record<string, unknown> = {},
  connectionId = 'pg-exec-test',
) => executePostgres(creds, { compiled: c, arguments: args, config, connectionId }, loopbackContext());

describe.skipIf(skip)('the PostgreSQL executor', () => {
  afterAll(() => postgresPools.closeAll());

  test('a read runs in a read-only session: even a writing statement is refused by the database', async () => {
    const sneaky = compiled(
      'UPDATE customer SET first_name = first_name WHERE customer_id = $1 RETURNING first_name',
    );
    await expect(run(sneaky, { id: 1 })).rejects.toMatchObject({ code: 'provider_error' });
    await expect(run(sneaky, { id: 1 }, { statementTimeoutMs: 1234 })).rejects.toMatchObject({
      code: 'provider_error',
    });
    const ok = await run(
      compiled('SELECT first_name FROM customer WHERE customer_id = $1 LIMIT 11'),
      { id: 1 },
      { statementTimeoutMs: 1234 },
    );
    expect(ok).toEqual({ rows: [{ x: 'MARY' }], rowCount: 1, truncated: false });
  });

  test('a pooled session killed by the server is replaced transparently for reads', async () => {
    const pid = compiled('SELECT pg_backend_pid()::text FROM customer WHERE customer_id = $1 LIMIT 11');
    const first = (await run(pid, { id: 1 }, {}, 'pg-exec-kill')) as { rows: { x: string }[] };
    const admin = new pg.Client({ ...PG, database: 'pagila' });
    await admin.connect();
    // Only the session this test's pool holds: other suites share the server.
    await admin.query('select pg_terminate_backend($1::int)', [first.rows[0].x]);
    await admin.end();
    const second = (await run(pid, { id: 1 }, {}, 'pg-exec-kill')) as { rows: { x: string }[] };
    expect(second.rows[0].x).not.toBe(first.rows[0].x);
  });

  test('anything that is not a compiled PostgreSQL binding is refused without touching the database', async () => {
    for (const bad of [
      undefined,
      {},
      { ...compiled('SELECT 1'), engine: 'mysql' },
      { ...compiled('SELECT 1'), v: 2 },
    ]) {
      await expect(run(bad, {})).rejects.toMatchObject({ code: 'provider_error' });
    }
  });
});
