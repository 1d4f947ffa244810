/**
 * PostgreSQL connections for verify, sql/test, discovery and execution. Every socket goes through the
 * egress policy and connects to the address it checked; every attempt is bounded by ctx.timeoutMs.
 */
import pg from 'pg';
import { parseSqlCredentials, type SqlCredentials } from '../sql-common/credentials.ts';
import { withTimeout } from '../sql-common/errors.ts';
import { bareHost, pinnedSocket, planTls } from '../sql-common/tls.ts';
import type { ProviderContext } from '../types.ts';

export interface PostgresSessionOptions {
  /** Server-side `statement_timeout` for every statement of the session. */
  statementTimeoutMs?: number;
  /** Client-side bound on a query's answer (pg's query_timeout): covers a server that went silent. */
  queryTimeoutMs?: number;
  applicationName?: string;
}

export interface PostgresPoolOptions extends PostgresSessionOptions {
  max?: number;
  idleTimeoutMs?: number;
  /** Called when an idle pooled connection dies (server restart, network cut); the pool drops it. */
  onError?: (err: Error) => void;
}

function clientConfig(
  input: SqlCredentials | Record<string, unknown>,
  ctx: ProviderContext,
  opts: PostgresSessionOptions,
): pg.ClientConfig {
  const creds = parseSqlCredentials(input);
  const plan = planTls(creds, ctx);
  const host = bareHost(creds.host);
  const config: pg.ClientConfig = {
    host,
    port: creds.port,
    database: creds.database,
    user: creds.user,
    password: creds.password,
    ssl: plan.node ?? false,
    stream: () => pinnedSocket(host, ctx),
    connectionTimeoutMillis: ctx.timeoutMs,
    keepAlive: true,
    application_name: opts.applicationName ?? 'flowyte',
  };
  if (opts.statementTimeoutMs) config.statement_timeout = opts.statementTimeoutMs;
  if (opts.queryTimeoutMs) config.query_timeout = opts.queryTimeoutMs;
  return config;
}

/** Drops a client whatever state it is in (connecting, idle, broken). */
export function destroyPostgres(client: pg.Client): void {
  (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
  client.end().catch(() => {});
}

/** One connected client; the caller ends it. Rejections are raw driver errors (see sql-common/errors). */
export async function connectPostgres(
  creds: SqlCredentials | Record<string, unknown>,
  ctx: ProviderContext,
  opts: PostgresSessionOptions = {},
): Promise<pg.Client> {
  const client = new pg.Client(clientConfig(creds, ctx, opts));
  // A connection lost later shows up as a failed query; without a listener it would crash the process.
  client.on('error', () => {});
  try {
    // pg's own connect timeout covers TCP and startup; the race also covers a policy lookup that hangs.
    await withTimeout(client.connect(), ctx.timeoutMs, () => destroyPostgres(client), ctx.signal);
  } catch (err) {
    destroyPostgres(client);
    throw err;
  }
  return client;
}

/** A pool for repeated calls (execution): each new connection is checked and pinned again. */
export function createPostgresPool(
  creds: SqlCredentials | Record<string, unknown>,
  ctx: ProviderContext,
  opts: PostgresPoolOptions = {},
): pg.Pool {
  const pool = new pg.Pool({
    ...clientConfig(creds, ctx, opts),
    max: opts.max ?? 5,
    idleTimeoutMillis: opts.idleTimeoutMs ?? 30_000,
  });
  // pg-pool re-emits errors of idle clients here (reported once); a checked-out client has no pool
  // listener, so each client also gets its own — its caller's query fails — since an unhandled
  // 'error' event would kill the process.
  pool.on('error', (err) => opts.onError?.(err));
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

/** `PostgreSQL 15.20` from server_version (`15.20 (Debian 15.20-0+deb12u1)`). */
export function postgresServerLabel(serverVersion: string): string {
  return `PostgreSQL ${serverVersion.trim().split(/\s+/)[0]}`;
}
