/** sql/test for MySQL / MariaDB: the shared ordered checks over a mysql2 connection. */
import type mysqlPromise from 'mysql2/promise';
import { runSqlChecks, type SqlCheckEngine, type SqlCheckSession } from '../sql-common/checks.ts';
import { tlsProtocolOf } from '../sql-common/tls.ts';
import type { ProviderContext, SqlCheck } from '../types.ts';
import { connectMysql, mysqlServerLabel } from './connect.ts';

// information_schema only lists tables the user holds some privilege on, which is the closest
// portable answer to "what can this user read" on both MySQL and MariaDB.
const CATALOG_SQL = `
  select coalesce(sum(table_type = 'BASE TABLE'), 0) as tables,
         coalesce(sum(table_type <> 'BASE TABLE'), 0) as views
  from information_schema.tables where table_schema = database()`;

// Grantees are spelled 'user'@'host'; CURRENT_USER() is user@host (the user part may hold an @).
const GRANTEE = `concat('''', left(current_user(), char_length(current_user()) - char_length(substring_index(current_user(), '@', -1)) - 1),
  '''@''', substring_index(current_user(), '@', -1), '''')`;
const WRITES = `privilege_type in ('INSERT', 'UPDATE', 'DELETE')`;
const WRITABLE_SQL = `
  select 'global' as scope, null as name, privilege_type as priv
    from information_schema.user_privileges where grantee = ${GRANTEE} and ${WRITES}
  union all
  select 'database', null, privilege_type
    from information_schema.schema_privileges where grantee = ${GRANTEE} and table_schema = database() and ${WRITES}
  union all
  select 'table', table_name, privilege_type
    from information_schema.table_privileges where grantee = ${GRANTEE} and table_schema = database() and ${WRITES}`;

interface GrantRow {
  scope: 'global' | 'database' | 'table';
  name: string | null;
  priv: string;
}

/** Groups grant rows into short phrases: "INSERT, UPDATE on every database", "… on 3 tables: a, b, c". */
export function describeWriteGrants(rows: GrantRow[], database: string): string[] {
  const privs = (scope: string) =>
    [...new Set(rows.filter((r) => r.scope === scope).map((r) => r.priv))].sort().join(', ');
  const out: string[] = [];
  if (rows.some((r) => r.scope === 'global')) out.push(`${privs('global')} on every database`);
  if (rows.some((r) => r.scope === 'database')) out.push(`${privs('database')} on ${database}.*`);
  const tables = [...new Set(rows.filter((r) => r.scope === 'table').map((r) => r.name!))].sort();
  if (tables.length) {
    const shown = tables.slice(0, 5).join(', ') + (tables.length > 5 ? ', …' : '');
    out.push(`${privs('table')} on ${tables.length} table${tables.length === 1 ? '' : 's'}: ${shown}`);
  }
  return out;
}

function session(conn: mysqlPromise.Connection, database: string): SqlCheckSession {
  const core = (conn as unknown as { connection: { stream: unknown; destroy(): void } }).connection;
  return {
    tlsProtocol: () => tlsProtocolOf(core.stream),
    async identity() {
      const [rows] = await conn.query<mysqlPromise.RowDataPacket[]>(
        'select current_user() as u, version() as v',
      );
      return { user: String(rows[0].u), version: mysqlServerLabel(String(rows[0].v)) };
    },
    async catalog() {
      const [rows] = await conn.query<mysqlPromise.RowDataPacket[]>(CATALOG_SQL);
      return { tables: Number(rows[0].tables), views: Number(rows[0].views) };
    },
    async probe() {
      await conn.query('select 1');
    },
    async writeGrants() {
      const [rows] = await conn.query<mysqlPromise.RowDataPacket[]>(WRITABLE_SQL);
      return describeWriteGrants(rows as unknown as GrantRow[], database);
    },
    destroy: () => core.destroy(),
    close: () => conn.end(),
  };
}

const engine: SqlCheckEngine = {
  kind: 'mysql',
  open: async (creds, ctx) => session(await connectMysql(creds, ctx), creds.database),
};

/** The ordered checks of `POST /integrations/mysql/sql/test`. */
export function mysqlSqlTest(
  credentials: Record<string, unknown>,
  ctx: ProviderContext,
): Promise<SqlCheck[]> {
  return runSqlChecks(engine, credentials, ctx);
}
