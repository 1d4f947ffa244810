/** The MySQL / MariaDB provider: verify at connect, discovery, sql/test, sql/scripts. */
import type mysqlPromise from 'mysql2/promise';
import { sqlBindingTarget } from '../sql-common/binding-target.ts';
import { normalizeCredentials, parseSqlCredentials, SqlCredentials } from '../sql-common/credentials.ts';
import { withDiscoveryConnection } from '../sql-common/discover-connection.ts';
import { toCredentialsRejected, withTimeout } from '../sql-common/errors.ts';
import type { ProviderContext, ProviderModule, VerifyResult } from '../types.ts';
import { connectMysql, mysqlServerLabel } from './connect.ts';
import { discoverMysql } from './discover.ts';
import { executeMysql, mysqlPoolUsage } from './execute.ts';
import { mysqlScripts } from './scripts.ts';
import { mysqlSqlTest } from './sql-test.ts';

/**
 * Live check at connect: TCP to the pinned address, TLS per sslmode, sign-in, one trivial query for
 * the server version, all within ctx.timeoutMs; the connection is closed before returning.
 */
export async function verifyMysql(
  credentials: Record<string, unknown>,
  ctx: ProviderContext,
): Promise<VerifyResult> {
  const creds = parseSqlCredentials(credentials);
  let conn: mysqlPromise.Connection | undefined;
  const attempt = async () => {
    conn = await connectMysql(creds, ctx);
    const [rows] = await conn.query<mysqlPromise.RowDataPacket[]>('select version() as v');
    return String(rows[0].v);
  };
  try {
    const version = await withTimeout(attempt(), ctx.timeoutMs, () => conn?.destroy(), ctx.signal);
    return {
      accountLabel: `${mysqlServerLabel(version)} · ${creds.database}`,
      credentials: normalizeCredentials(creds),
    };
  } catch (err) {
    throw toCredentialsRejected(err, creds);
  } finally {
    const c = conn as mysqlPromise.Connection | undefined;
    await c?.end().catch(() => c.destroy());
  }
}

export const mysql: ProviderModule = {
  kind: 'mysql',
  skillType: 'native_sql',
  name: 'MySQL / MariaDB',
  category: 'Database',
  blurb:
    'Let agents look up and update rows in your MySQL or MariaDB database, over TLS, with a least-privilege user.',
  logo: 'mysql',
  auth: { type: 'credentials', credentials: SqlCredentials },
  actions: [],
  verify: verifyMysql,
  discover: (credentials, ctx) => {
    const creds = parseSqlCredentials(credentials);
    return withDiscoveryConnection(
      () => connectMysql(creds, ctx),
      (c) => c.end(),
      (c) => discoverMysql(c, creds.database),
      creds,
    );
  },
  execute: executeMysql,
  poolUsage: mysqlPoolUsage,
  bindingTarget: sqlBindingTarget('mysql'),
  sql: { test: mysqlSqlTest, scripts: mysqlScripts },
};
