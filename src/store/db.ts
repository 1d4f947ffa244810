/** Opens the store: embedded SQLite in the data directory, or PostgreSQL when DATABASE_URL is set. */
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { lruCache } from '../cache-limits.ts';
import { migrationProvider } from './migrations/index.ts';
import type { Database } from './schema.ts';

export type Engine = 'sqlite' | 'postgres';

export interface Store {
  db: Kysely<Database>;
  engine: Engine;
  /** Where the store keeps its files (SQLite) — null for PostgreSQL. */
  file: string | null;
  close(): Promise<void>;
}

export interface StoreOptions {
  dataDir: string;
  databaseUrl: string | null;
}

export async function openStore(opts: StoreOptions): Promise<Store> {
  let db: Kysely<Database>;
  let file: string | null = null;
  let engine: Engine;
  if (opts.databaseUrl) {
    engine = 'postgres';
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 10 });
    // A client that loses its server must not crash the process: the pool hears about idle ones;
    // a checked-out one has no pool listener, so every client gets its own (its query still fails).
    pool.on('error', () => {});
    pool.on('connect', (client) => client.on('error', () => {}));
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
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
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('foreign_keys = ON');
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  }
  await migrate(db);
  return {
    db,
    engine,
    file,
    close: async () => {
      await db.destroy();
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
      stmt = prepare(sql);
      cache.set(sql, stmt);
    }
    return stmt;
  }) as typeof sqlite.prepare;
  return sqlite;
}

async function migrate(db: Kysely<Database>): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: migrationProvider,
    migrationTableName: 'flowyte_migrations',
    migrationLockTableName: 'flowyte_migrations_lock',
    // Migrations written on parallel branches may land out of name order.
    allowUnorderedMigrations: true,
  });
  const { error } = await migrator.migrateToLatest();
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
