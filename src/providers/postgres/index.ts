/** The PostgreSQL provider: verify at connect, discovery, sql/test, sql/scripts. */

import type pg from 'pg';
import { sqlBindingTarget } from '../sql-common/binding-target.ts';
import { normalizeCredentials, parseSqlCredentials, SqlCredentials } from '../sql-common/credentials.ts';
import { withDiscoveryConnection } from '../sql-common/discover-connection.ts';
import { toCredentialsRejected, withTimeout } from '../sql-common/errors.ts';
import type { ProviderContext, ProviderModule, VerifyResult } from '../types.ts';
import { connectPostgres, destroyPostgres, postgresServerLabel } from './connect.ts';
import { discoverPostgres } from './discover.ts';
import { executePostgres, postgresPoolUsage } from './execute.ts';
import { postgresScripts } from './scripts.ts';
import { postgresSqlTest } from './sql-test.ts';

/**
 * Live check at connect: TCP to the pinned address, TLS per sslmode, sign-in, one trivial query for
 * the server version, all within ctx.timeoutMs; the connection is closed before returning.
 */
export async function verifyPostgres(
  credentials: Record<string, unknown>,
  ctx: ProviderContext,
): Promise<VerifyResult> {
  const creds = parseSqlCredentials(credentials);
  let client: pg.Client | undefined;
  const attempt = async () => {
    client = await connectPostgres(creds, ctx, { queryTimeoutMs: ctx.timeoutMs });
    const { rows } = await client.query(`select current_setting('server_version') as v`);
    return String(rows[0].v);
  };
  try {
    const version = await withTimeout(
      attempt(),
      ctx.timeoutMs,
      () => client && destroyPostgres(client),
      ctx.signal,
    );
    return {
      accountLabel: `${postgresServerLabel(version)} · ${creds.database}`,
      credentials: normalizeCredentials(creds),
    };
  } catch (err) {
    throw toCredentialsRejected(err, creds);
  } finally {
    const c = client as pg.Client | undefined;
    await c?.end().catch(() => {});
  }
}

export const postgres: ProviderModule = {
  kind: 'postgres',
  skillType: 'native_sql',
  name: 'PostgreSQL',
  category: 'Database',
  blurb:
    'Let agents look up and update rows in your PostgreSQL database, over TLS, with a least-privilege role.',
  logo: 'postgresql',
  auth: { type: 'credentials', credentials: SqlCredentials },
  actions: [],
  verify: verifyPostgres,
  discover: (credentials, ctx) => {
    const creds = parseSqlCredentials(credentials);
    return withDiscoveryConnection(
      () => connectPostgres(creds, ctx, { statementTimeoutMs: 60_000 }),
      (c) => c.end(),
      (c) => discoverPostgres(c),
      creds,
    );
  },
  execute: executePostgres,
  poolUsage: postgresPoolUsage,
  bindingTarget: sqlBindingTarget('postgres'),
  sql: { test: postgresSqlTest, scripts: postgresScripts },
};
