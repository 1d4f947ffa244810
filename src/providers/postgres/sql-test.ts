/** sql/test for PostgreSQL: the shared ordered checks over a pg client. */
import type pg from 'pg';
import { runSqlChecks, type SqlCheckEngine, type SqlCheckSession } from '../sql-common/checks.ts';
import { tlsProtocolOf } from '../sql-common/tls.ts';
import type { ProviderContext, SqlCheck } from '../types.ts';
import { connectPostgres, destroyPostgres, postgresServerLabel } from './connect.ts';

// Relations outside the system schemas; has_*_privilege answers for the current role including
// what it inherits from its groups, which information_schema would not show for grants via roles.
const USER_RELATIONS = `
  from pg_catalog.pg_class c
  join pg_catalog.pg_namespace n on n.oid = c.relnamespace
  where n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname not like 'pg\\_toast%' and n.nspname not like 'pg\\_temp%'`;

const CATALOG_SQL = `
  select count(*) filter (where c.relkind in ('r', 'p', 'f'))::int as tables,
         count(*) filter (where c.relkind in ('v', 'm'))::int as views
  ${USER_RELATIONS}
    and c.relkind in ('r', 'p', 'f', 'v', 'm')
    and has_schema_privilege(n.oid, 'USAGE')
    and has_table_privilege(c.oid, 'SELECT')`;

const WRITABLE_SQL = `
  select n.nspname as schema, c.relname as name
  ${USER_RELATIONS}
    and c.relkind in ('r', 'p', 'f', 'v')
    and (has_table_privilege(c.oid, 'INSERT') or has_table_privilege(c.oid, 'UPDATE')
         or has_table_privilege(c.oid, 'DELETE'))
  order by 1, 2`;

function session(client: pg.Client): SqlCheckSession {
  return {
    tlsProtocol: () =>
      tlsProtocolOf((client as unknown as { connection: { stream: unknown } }).connection.stream),
    async identity() {
      const { rows } = await client.query(`select current_user as u, current_setting('server_version') as v`);
      return { user: `"${rows[0].u}"`, version: postgresServerLabel(String(rows[0].v)) };
    },
    async catalog() {
      const { rows } = await client.query(CATALOG_SQL);
      return { tables: rows[0].tables, views: rows[0].views };
    },
    async probe() {
      await client.query('select 1');
    },
    async writeGrants() {
      const su = await client.query('select rolsuper from pg_catalog.pg_roles where rolname = current_user');
      if (su.rows[0]?.rolsuper) return ['superuser: every table'];
      const { rows } = await client.query(WRITABLE_SQL);
      if (rows.length === 0) return [];
      const names = rows.slice(0, 5).map((r) => (r.schema === 'public' ? r.name : `${r.schema}.${r.name}`));
      const more = rows.length > 5 ? ', …' : '';
      return [
        `INSERT/UPDATE/DELETE on ${rows.length} table${rows.length === 1 ? '' : 's'}: ${names.join(', ')}${more}`,
      ];
    },
    destroy: () => destroyPostgres(client),
    close: () => client.end(),
  };
}

const engine: SqlCheckEngine = {
  kind: 'postgres',
  open: async (creds, ctx) => session(await connectPostgres(creds, ctx, { queryTimeoutMs: ctx.timeoutMs })),
};

/** The ordered checks of `POST /integrations/postgres/sql/test`. */
export function postgresSqlTest(
  credentials: Record<string, unknown>,
  ctx: ProviderContext,
): Promise<SqlCheck[]> {
  return runSqlChecks(engine, credentials, ctx);
}
