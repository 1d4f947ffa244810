/** Opens the store: embedded SQLite in the data directory, or PostgreSQL when DATABASE_URL is set. */
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { lruCache } from '../cache-limits.ts';
import { type ChangeFeed, localChangeFeed, PostgresChangeFeed } from './change-feed.ts';
import { guardedPool, isSqliteUnavailable, storeUnavailable } from './deadlines.ts';
import { migrationProvider } from './migrations/index.ts';
import type { Database } from './schema.ts';
import { SqliteAppender } from './sqlite-appender.ts';

export type Engine = 'sqlite' | 'postgres';

export interface Store {
  db: Kysely<Database>;
  engine: Engine;
  /** Where the store keeps its files (SQLite) — null for PostgreSQL. */
  file: string | null;
  /** Connections of the PostgreSQL pool (for /metrics); absent for SQLite. */
  poolUsage?(): { total: number; idle: number; waiting: number };
  /** What changed, told to every instance on this store (cache invalidation). */
  changes: ChangeFeed;
  /** SQLite only: appends written by a worker thread, off the request thread (execution records). */
  appender?: SqliteAppender;
  close(): Promise<void>;
}

export interface StoreOptions {
  dataDir: string;
  databaseUrl: string | null;
  /** One statement's deadline (PostgreSQL statement timeout, SQLite lock wait); default 3000. */
  storeTimeoutMs?: number;
  /** Waiting for a PostgreSQL connection; default 2000. */
  storeConnectTimeoutMs?: number;
}

export async function openStore(opts: StoreOptions): Promise<Store> {
  let db: Kysely<Database>;
  let file: string | null = null;
  let engine: Engine;
  let pgPool: pg.Pool | null = null;
  const statementMs = opts.storeTimeoutMs ?? 3_000;
  let poolUsage: Store['poolUsage'];
  let changes: ChangeFeed = localChangeFeed();
  let appender: SqliteAppender | undefined;
  if (opts.databaseUrl) {
    engine = 'postgres';
    // Migrations run unbounded, on their own connection: one instance may wait for another's.
    await migrate(
      new Kysely<Database>({
        dialect: new PostgresDialect({
          pool: new pg.Pool({
            connectionString: opts.databaseUrl,
            max: 1,
            connectionTimeoutMillis: 10_000,
          }),
        }),
      }),
      true,
    );
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: 10,
      connectionTimeoutMillis: opts.storeConnectTimeoutMs ?? 2_000,
      statement_timeout: statementMs,
      keepAlive: true,
    });
    // A client that loses its server must not crash the process: the pool hears about idle ones;
    // a checked-out one has no pool listener, so every client gets its own (its query still fails).
    pool.on('error', () => {});
    pool.on('connect', (client) => client.on('error', () => {}));
    pgPool = pool;
    // The server cancels a statement at statementMs; one that gets no answer at all (a paused
    // server, a black-holed network) is abandoned a little later, its connection dropped.
    db = new Kysely<Database>({
      dialect: new PostgresDialect({ pool: guardedPool(pool, statementMs + 500) }),
    });
    poolUsage = () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount });
    const feed = new PostgresChangeFeed(opts.databaseUrl, async (channel, topic) => {
      await sql`select pg_notify(${channel}, ${topic})`.execute(db);
    });
    changes = feed;
  } else {
    engine = 'sqlite';
    mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
    file = path.join(opts.dataDir, 'flowyte.db');
    // The store holds sealed secrets and key hashes: owner-only, whatever the umask. SQLite gives
    // its -wal and -shm files the database file's mode.
    closeSync(openSync(file, 'a', 0o600));
    chmodSync(file, 0o600);
    const sqlite = new SQLite(file);
    sqlite.pragma('journal_mode = WAL');
    // WAL with NORMAL sync: durable across a process crash, without an fsync on every commit.
    sqlite.pragma('synchronous = NORMAL');
    // A write lock held elsewhere (the CLI) is waited for this long — synchronously, so briefly.
    sqlite.pragma(`busy_timeout = ${Math.trunc(statementMs)}`);
    sqlite.pragma('foreign_keys = ON');
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
    await migrate(db, false);
    appender = new SqliteAppender(file, Math.trunc(statementMs));
  }
  if (changes instanceof PostgresChangeFeed) await changes.start();
  return {
    db,
    engine,
    file,
    poolUsage,
    changes,
    appender,
    close: async () => {
      await changes.close();
      await appender?.close();
      await db.destroy();
      // Kysely ends the pool only if it ever used it: a closed store must refuse, not reconnect.
      if (pgPool && !pgPool.ending) await pgPool.end();
    },
  };
}

/**
 * Kysely prepares every query anew; on the hot paths (key lookup, live-version pointer) preparing
 * costs more than running. Statements are reusable in better-sqlite3, so keep them by SQL text.
 */
function withStatementCache(sqlite: SQLite.Database): SQLite.Database {
  const cache = lruCache<string, SQLite.Statement>('sqliteStatements');
  const prepare = sqlite.prepare.bind(sqlite);
  sqlite.prepare = ((sql: string) => {
    let stmt = cache.get(sql);
    if (!stmt) {
      stmt = busyIsUnavailable(prepare(sql));
      cache.set(sql, stmt);
    }
    return stmt;
  }) as typeof sqlite.prepare;
  return sqlite;
}

/** A statement whose lock wait ran out fails as `unavailable` (503, retryable), not as a 500. */
function busyIsUnavailable(stmt: SQLite.Statement): SQLite.Statement {
  for (const name of ['run', 'all', 'get', 'iterate'] as const) {
    const method = (stmt[name] as (...args: unknown[]) => unknown).bind(stmt);
    (stmt as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
      try {
        return method(...args);
      } catch (e) {
        throw isSqliteUnavailable(e) ? storeUnavailable('the database is locked') : e;
      }
    };
  }
  return stmt;
}

async function migrate(db: Kysely<Database>, thenClose: boolean): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: migrationProvider,
    migrationTableName: 'flowyte_migrations',
    migrationLockTableName: 'flowyte_migrations_lock',
    // Migrations written on parallel branches may land out of name order.
    allowUnorderedMigrations: true,
  });
  const { error } = await migrator.migrateToLatest().finally(() => (thenClose ? db.destroy() : undefined));
  if (error) throw error;
}

/** True for a unique/primary-key violation on either engine. */
export function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: string })?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

export async function ping(store: Store): Promise<void> {
  await store.db.selectFrom('organizations').select('id').limit(1).execute();
}

/** Readiness answers within this, whatever the store's own deadlines. */
export const READY_DEADLINE_MS = 1_500;

/** Whether the store answers a trivial read within READY_DEADLINE_MS. */
export async function ready(store: Store): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), READY_DEADLINE_MS);
  });
  const answered = ping(store).then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([answered, late]);
  } finally {
    clearTimeout(timer);
  }
}
