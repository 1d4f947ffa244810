/**
 * Runs compiled bindings on MySQL / MariaDB over warm pools (one per connection, see
 * sql-common/pools). Every pooled session is `SET SESSION TRANSACTION READ ONLY` and UTC, so a read
 * is one round trip: a server-side prepared statement (cached per session) under a per-statement
 * bound — MariaDB's `SET STATEMENT max_statement_time=… FOR`, MySQL's `MAX_EXECUTION_TIME` hint —
 * picked from the flavour the handshake reported. Writes run in `START TRANSACTION READ WRITE`, check
 * that exactly one row was touched, read the row back by its key, and only then commit.
 */
import type mysql from 'mysql2';
import type mysqlPromise from 'mysql2/promise';
import { lruCache } from '../../cache-limits.ts';
import { AppError } from '../../errors.ts';
import type { CompiledSql } from '../sql-common/compile-plan.ts';
import { classifySqlError, withTimeout } from '../sql-common/errors.ts';
import { bindValues, readResult, shapeRow, sqlExecutor, wrongRowCount } from '../sql-common/execute.ts';
import { PoolRegistry } from '../sql-common/pools.ts';
import type { ProviderContext } from '../types.ts';
import { createMysqlPool } from './connect.ts';

const CLIENT_GRACE_MS = 1000;
const POOL_SIZE = 10;

type Flavor = 'mariadb' | 'mysql';
/** Arguments passed the skill's JSON Schema: scalars and null only. */
type Values = (string | number | boolean | null)[];

interface MyHandle {
  pool: mysqlPromise.Pool;
  close(): Promise<void>;
}

export const mysqlPools = new PoolRegistry<MyHandle>({ maxPools: 200, idleMs: 5 * 60_000, sweepMs: 30_000 });

function poolFor(
  credentials: Record<string, unknown>,
  connectionId: string,
  ctx: ProviderContext,
): mysqlPromise.Pool {
  return mysqlPools.get(connectionId, credentials, () => {
    const pool = createMysqlPool(credentials, ctx, {
      max: POOL_SIZE,
      idleTimeoutMs: 30_000,
      // Exact strings for BIGINT/DECIMAL and for dates: shaping decides their JSON form.
      driver: { dateStrings: true, supportBigNumbers: true, bigNumberStrings: true, decimalNumbers: false },
      onError: () => {},
    });
    // Queued before the first statement of each session (mysql2 emits this before handing it out).
    pool.pool.on('connection', (conn: mysql.Connection) => {
      conn.query('SET SESSION TRANSACTION READ ONLY', () => {});
      conn.query("SET time_zone = '+00:00'", () => {});
      flavors.set(
        conn,
        new Promise((resolve) =>
          conn.query('SELECT VERSION() AS v', (err, rows) =>
            resolve(!err && /mariadb/i.test(String((rows as { v?: unknown }[])[0]?.v)) ? 'mariadb' : 'mysql'),
          ),
        ),
      );
    });
    return { pool, close: () => pool.end() };
  }).pool;
}

/** Statement texts with their time bound, per compiled statement, flavour and bound. */
const timed = lruCache<string, string>('mysqlTimedStatements');

function timedSql(sql: string, id: string, flavor: Flavor, ms: number, isSelect: boolean): string {
  const key = `${id}:${flavor}:${ms}:${isSelect}:${sql.length}`;
  let text = timed.get(key);
  if (!text) {
    if (flavor === 'mariadb') text = `SET STATEMENT max_statement_time=${ms / 1000} FOR ${sql}`;
    // MySQL bounds only SELECTs server-side; writes rely on the client-side bound below.
    else text = isSelect ? sql.replace(/^SELECT /, `SELECT /*+ MAX_EXECUTION_TIME(${ms}) */ `) : sql;
    timed.set(key, text);
  }
  return text;
}

/**
 * Each pooled session's server flavour, asked with the session's setup statements (mysql2 knows it
 * from the handshake but keeps it in a private field).
 */
const flavors = new WeakMap<object, Promise<Flavor>>();
const flavorOf = async (conn: mysqlPromise.PoolConnection): Promise<Flavor> =>
  (await flavors.get(conn.connection)) ?? 'mysql';

async function withConnection<T>(
  pool: mysqlPromise.Pool,
  timeoutMs: number,
  retryStale: boolean,
  work: (c: mysqlPromise.PoolConnection) => Promise<T>,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const conn = await pool.getConnection();
    let failure: unknown;
    try {
      return await withTimeout(work(conn), timeoutMs + CLIENT_GRACE_MS, () => conn.destroy());
    } catch (err) {
      failure = err;
      if (retryStale && attempt === 0 && classifySqlError(err) === 'unreachable') continue;
      throw err;
    } finally {
      // A session that failed mid-statement may hold an open transaction: drop it, never reuse it.
      if (failure && !(failure instanceof AppError)) conn.destroy();
      else conn.release();
    }
  }
}

async function read(
  pool: mysqlPromise.Pool,
  c: CompiledSql,
  args: Record<string, unknown>,
  timeoutMs: number,
) {
  const values = bindValues(c.args, args) as Values;
  const rows = await withConnection(pool, timeoutMs, true, async (conn) => {
    const sql = timedSql(c.sql, c.id, await flavorOf(conn), timeoutMs, true);
    const [result] = await conn.execute({ sql, rowsAsArray: true }, values);
    return result as unknown as unknown[][];
  });
  return readResult(rows, c);
}

async function write(
  pool: mysqlPromise.Pool,
  c: CompiledSql,
  args: Record<string, unknown>,
  timeoutMs: number,
) {
  if (!c.reread)
    throw new AppError('provider_error', 'this skill was compiled without a read-back; bind it again', {
      extensions: { retryable: false },
    });
  const reread = c.reread;
  return withConnection(pool, timeoutMs, false, async (conn) => {
    const flavor = await flavorOf(conn);
    await conn.query('START TRANSACTION READ WRITE');
    const [header] = await conn.execute(
      timedSql(c.sql, c.id, flavor, timeoutMs, false),
      bindValues(c.args, args) as Values,
    );
    const affected = (header as mysqlPromise.ResultSetHeader).affectedRows;
    if (affected !== 1) {
      await conn.query('ROLLBACK');
      throw wrongRowCount(affected, c);
    }
    const insertId = (header as mysqlPromise.ResultSetHeader).insertId;
    const [rows] = await conn.execute(
      { sql: timedSql(reread.sql, `${c.id}:r`, flavor, timeoutMs, true), rowsAsArray: true },
      bindValues(reread.args, args, insertId) as Values,
    );
    const list = rows as unknown as unknown[][];
    if (list.length !== 1) {
      await conn.query('ROLLBACK');
      throw wrongRowCount(list.length, c);
    }
    await conn.query('COMMIT');
    return { row: shapeRow(list[0], c.outputs) };
  });
}

/** ProviderModule.execute for MySQL / MariaDB: runs a compiled binding with the connection's credentials. */
export const executeMysql = sqlExecutor({
  engine: 'mysql',
  poolFor,
  dropPool: (connectionId) => mysqlPools.drop(connectionId),
  read,
  write,
});

type PoolInternals = {
  _allConnections?: { length: number };
  _freeConnections?: { length: number };
  _connectionQueue?: { length: number };
};

/** The warm pools' connections, summed (ProviderModule.poolUsage); mysql2 keeps them in its core pool. */
export function mysqlPoolUsage() {
  const pools = mysqlPools.pools();
  let total = 0;
  let idle = 0;
  let waiting = 0;
  for (const { pool } of pools) {
    const core = pool.pool as unknown as PoolInternals;
    total += core._allConnections?.length ?? 0;
    idle += core._freeConnections?.length ?? 0;
    waiting += core._connectionQueue?.length ?? 0;
  }
  return { pools: pools.length, total, idle, waiting };
}
