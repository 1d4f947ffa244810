/**
 * MySQL / MariaDB connections for verify, sql/test, discovery and execution. Every socket goes through
 * the egress policy and connects to the address it checked; every attempt is bounded by ctx.timeoutMs.
 */
import mysql from 'mysql2';
import mysqlPromise from 'mysql2/promise';
import { parseSqlCredentials, type SqlCredentials } from '../sql-common/credentials.ts';
import { withTimeout } from '../sql-common/errors.ts';
import { bareHost, mysqlSsl, pinnedSocket, planTls } from '../sql-common/tls.ts';
import type { ProviderContext } from '../types.ts';

export interface MysqlSessionOptions {
  /** Server-side bound on each statement (MariaDB max_statement_time, MySQL max_execution_time). */
  statementTimeoutMs?: number;
}

export interface MysqlPoolOptions extends MysqlSessionOptions {
  max?: number;
  idleTimeoutMs?: number;
  /** Called when a pooled connection dies (server restart, network cut); the pool drops it. */
  onError?: (err: Error) => void;
  /** Extra driver options (dateStrings, typeCast…) for the executor; never host, ssl or stream. */
  driver?: Omit<mysql.PoolOptions, 'host' | 'port' | 'user' | 'password' | 'database' | 'ssl' | 'stream'>;
}

function connectionOptions(
  input: SqlCredentials | Record<string, unknown>,
  ctx: ProviderContext,
): mysql.ConnectionOptions {
  const creds = parseSqlCredentials(input);
  const plan = planTls(creds, ctx);
  const host = bareHost(creds.host);
  return {
    // mysql2 names the TLS servername and identity check after `host`: keep the user's host here,
    // while the stream below connects to the pinned address.
    host,
    port: creds.port,
    database: creds.database,
    user: creds.user,
    password: creds.password,
    ssl: mysqlSsl(plan),
    stream: () => {
      const socket = pinnedSocket(host, ctx);
      socket.setNoDelay(true);
      return socket.connect(creds.port);
    },
    connectTimeout: ctx.timeoutMs,
    charset: 'utf8mb4_unicode_ci',
    multipleStatements: false,
  };
}

/**
 * The statements that bound every later statement of the session: MariaDB knows only the first,
 * MySQL only the second, so both are sent and the one the server refuses is ignored (no private
 * driver field tells the flavour before the first query).
 */
function statementTimeoutSql(ms: number): [string, string] {
  const n = Math.max(1, Math.floor(ms));
  return [`SET SESSION max_statement_time = ${n / 1000}`, `SET SESSION max_execution_time = ${n}`];
}

/** One connected client (mysql2/promise); the caller ends it. Rejections are raw driver errors. */
export async function connectMysql(
  creds: SqlCredentials | Record<string, unknown>,
  ctx: ProviderContext,
  opts: MysqlSessionOptions = {},
): Promise<mysqlPromise.Connection> {
  const core = mysql.createConnection(connectionOptions(creds, ctx));
  const ready = new Promise<void>((resolve, reject) => {
    core.once('connect', () => resolve());
    core.once('error', reject);
  });
  // A connection lost later shows up as a failed query; without a listener it would crash the process.
  core.on('error', () => {});
  try {
    // mysql2's connectTimeout covers the handshake; the race also covers a policy lookup that hangs.
    await withTimeout(ready, ctx.timeoutMs, () => core.destroy(), ctx.signal);
  } catch (err) {
    core.destroy();
    throw err;
  }
  const conn = core.promise();
  if (opts.statementTimeoutMs) {
    const outcomes = await Promise.allSettled(
      statementTimeoutSql(opts.statementTimeoutMs).map((s) => conn.query(s)),
    );
    const refused = outcomes.find((o) => o.status === 'rejected');
    if (outcomes.every((o) => o.status === 'rejected')) throw (refused as PromiseRejectedResult).reason;
  }
  return conn;
}

/** A promise pool for repeated calls (execution): each new connection is checked and pinned again. */
export function createMysqlPool(
  creds: SqlCredentials | Record<string, unknown>,
  ctx: ProviderContext,
  opts: MysqlPoolOptions = {},
): mysqlPromise.Pool {
  const pool = mysqlPromise.createPool({
    ...opts.driver,
    ...connectionOptions(creds, ctx),
    connectionLimit: opts.max ?? 5,
    maxIdle: opts.max ?? 5,
    idleTimeout: opts.idleTimeoutMs ?? 30_000,
    waitForConnections: true,
    queueLimit: 100,
  });
  pool.pool.on('connection', (conn: mysql.Connection) => {
    // mysql2 removes a dead connection from the pool on its first 'error' only; a second emit with no
    // listener would crash the process.
    conn.on('error', (err: Error) => opts.onError?.(err));
    // Queued before the first statement of the session; the variant the server does not know fails harmlessly.
    if (opts.statementTimeoutMs)
      for (const sql of statementTimeoutSql(opts.statementTimeoutMs)) conn.query(sql, () => {});
  });
  return pool;
}

/** `MariaDB 10.11.19` / `MySQL 8.0.36` from VERSION(). */
export function mysqlServerLabel(version: string): string {
  // Old replication proxies prefix MariaDB versions with a fake "5.5.5-".
  const v = version.replace(/^5\.5\.5-/, '');
  const number = v.match(/^\d+(\.\d+){0,2}/)?.[0] ?? v.split('-')[0];
  return `${/mariadb/i.test(v) ? 'MariaDB' : 'MySQL'} ${number}`;
}
