/**
 * Runs compiled bindings on PostgreSQL over warm pools (one per connection, see sql-common/pools).
 *
 * Reads cost one round trip: every pooled session is READ ONLY by default and carries the default
 * statement_timeout from its startup packet, so the single SELECT runs as an implicit read-only
 * transaction under the timeout, as a named prepared statement (parsed once per session). A skill
 * with another timeout pays for `BEGIN READ ONLY; SET LOCAL statement_timeout` instead. Writes run in
 * `BEGIN READ WRITE` and commit only when exactly one row was written.
 */
import pg from 'pg';
import { AppError } from '../../errors.ts';
import type { CompiledSql } from '../sql-common/compile-plan.ts';
import { withTimeout } from '../sql-common/errors.ts';
import {
  bindValues,
  DEFAULT_STATEMENT_TIMEOUT_MS,
  readResult,
  runtimeError,
  shapeRow,
  sqlExecutor,
  wrongRowCount,
} from '../sql-common/execute.ts';
import { PoolRegistry } from '../sql-common/pools.ts';
import type { ProviderContext } from '../types.ts';
import { createPostgresPool, destroyPostgres } from './connect.ts';

/** Our own bound past the server's: covers a server that stopped answering altogether. */
const CLIENT_GRACE_MS = 1000;
const POOL_SIZE = 10;

// `date` and `timestamp` (no zone) stay the strings PostgreSQL sent: a JS Date would invent a zone.
const raw = (v: string) => v;
const TYPES = {
  getTypeParser: (oid: number, format?: string) =>
    oid === 1082 || oid === 1114 ? raw : pg.types.getTypeParser(oid, format as 'text'),
};

interface PgHandle {
  pool: pg.Pool;
  close(): Promise<void>;
}

export const postgresPools = new PoolRegistry<PgHandle>({
  maxPools: 200,
  idleMs: 5 * 60_000,
  sweepMs: 30_000,
});

function poolFor(credentials: Record<string, unknown>, connectionId: string, ctx: ProviderContext): pg.Pool {
  return postgresPools.get(connectionId, credentials, () => {
    const pool = createPostgresPool(credentials, ctx, {
      max: POOL_SIZE,
      idleTimeoutMs: 30_000,
      statementTimeoutMs: DEFAULT_STATEMENT_TIMEOUT_MS,
      applicationName: 'flowyte-skills',
    });
    // Idle pooled sessions must not keep a process alive on shutdown.
    pool.options.allowExitOnIdle = true;
    // Queued before the first query of the session: a read can never write, whatever it calls.
    pool.on('connect', (client) => {
      client.query('SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY').catch(() => {});
    });
    return { pool, close: () => pool.end() };
  }).pool;
}

const statementOf = (c: CompiledSql, values: unknown[]) => ({
  name: `fl_${c.id}`,
  text: c.sql,
  values,
  rowMode: 'array' as const,
  types: TYPES,
});

/** Pooled sessions that have served a call before (our bookkeeping; pg's count is private). */
const usedSessions = new WeakSet<pg.PoolClient>();

/** A pooled session that was reused and turned out dead (server restarted, idle cut): retry once. */
const staleSession = (err: unknown, reused: boolean) =>
  reused && runtimeError(err, 'postgres').extras.extensions?.reason === 'unreachable';

async function withClient<T>(
  pool: pg.Pool,
  timeoutMs: number,
  retryStale: boolean,
  work: (c: pg.PoolClient) => Promise<T>,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const client = await pool.connect();
    const reused = usedSessions.has(client);
    usedSessions.add(client);
    let failure: unknown;
    try {
      return await withTimeout(work(client), timeoutMs + CLIENT_GRACE_MS, () => destroyPostgres(client));
    } catch (err) {
      failure = err;
      if (retryStale && attempt === 0 && staleSession(err, reused)) continue;
      throw err;
    } finally {
      // A session that failed mid-statement is dropped; one that refused a row count cleanly is kept.
      client.release(failure && !(failure instanceof AppError) ? (failure as Error) : undefined);
    }
  }
}

async function read(pool: pg.Pool, c: CompiledSql, args: Record<string, unknown>, timeoutMs: number) {
  const query = statementOf(c, bindValues(c.args, args));
  const rows = await withClient(pool, timeoutMs, true, async (client) => {
    if (timeoutMs === DEFAULT_STATEMENT_TIMEOUT_MS) return (await client.query(query)).rows as unknown[][];
    // timeoutMs is an integer clamped by statementTimeoutOf, never caller text.
    await client.query(`BEGIN READ ONLY; SET LOCAL statement_timeout = ${timeoutMs}`);
    const result = await client.query(query);
    await client.query('COMMIT');
    return result.rows as unknown[][];
  });
  return readResult(rows, c);
}

async function write(pool: pg.Pool, c: CompiledSql, args: Record<string, unknown>, timeoutMs: number) {
  const query = statementOf(c, bindValues(c.args, args));
  return withClient(pool, timeoutMs, false, async (client) => {
    await client.query(`BEGIN READ WRITE; SET LOCAL statement_timeout = ${timeoutMs}`);
    const result = await client.query(query);
    if (result.rows.length !== 1) {
      await client.query('ROLLBACK');
      throw wrongRowCount(result.rows.length, c);
    }
    await client.query('COMMIT');
    return { row: shapeRow(result.rows[0] as unknown[], c.outputs) };
  });
}

/** ProviderModule.execute for PostgreSQL: runs a compiled binding with the connection's credentials. */
export const executePostgres = sqlExecutor({
  engine: 'postgres',
  poolFor,
  dropPool: (connectionId) => postgresPools.drop(connectionId),
  read,
  write,
});

/** The warm pools' connections, summed (ProviderModule.poolUsage). */
export function postgresPoolUsage() {
  const pools = postgresPools.pools();
  let total = 0;
  let idle = 0;
  let waiting = 0;
  for (const { pool } of pools) {
    total += pool.totalCount;
    idle += pool.idleCount;
    waiting += pool.waitingCount;
  }
  return { pools: pools.length, total, idle, waiting };
}
