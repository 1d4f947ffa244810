/**
 * Deadlines on the PostgreSQL store, so a store that stops answering (process paused, network
 * black-holed, connections cut) turns into a prompt 503 `unavailable` instead of requests that
 * wait forever: a bounded wait for a connection (the pool's `connectionTimeoutMillis`), a
 * server-side `statement_timeout`, and a client-side deadline a little past it for a statement
 * that gets no answer at all. A connection that failed that way is dropped, never reused.
 */
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type pg from 'pg';
import { AppError } from '../errors.ts';

/** Seconds a client is told to wait before retrying when the store is unavailable. */
export const STORE_RETRY_AFTER_S = 2;

export const storeUnavailable = (why: string) =>
  new AppError('unavailable', `the store is not reachable (${why}); retry shortly`, {
    retryAfter: STORE_RETRY_AFTER_S,
    extensions: { retryable: true },
  });

/**
 * SQLSTATEs that say "the store, not the statement, failed": connection exceptions (08), shutdown
 * and restart (57P01–57P03), statement timeout (57014), too many connections, lock timeout, and
 * serialization failures and deadlocks (retrying resolves them).
 */
const RETRYABLE_SQLSTATE = /^(08...|57P0[1-3]|57014|53300|55P03|40001|40P01)$/;

/** Whether a PostgreSQL error means the store is unavailable (vs. a bad or conflicting statement). */
export function isPostgresUnavailable(e: unknown): boolean {
  if (e instanceof AppError) return false;
  const err = e as { code?: unknown; severity?: unknown };
  // An answer from the server carries a severity: only some of those are about availability.
  if (typeof err?.severity === 'string')
    return typeof err.code === 'string' && RETRYABLE_SQLSTATE.test(err.code);
  // Anything else the driver throws is about the connection: refused, reset, terminated, timed out.
  return true;
}

/** SQLite's "another connection holds the lock" past busy_timeout. */
export function isSqliteUnavailable(e: unknown): boolean {
  const code = (e as { code?: unknown })?.code;
  return typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(code);
}

interface Guarded extends PostgresPoolClient {
  broken: boolean;
}

/**
 * Wraps a pg pool for Kysely's PostgresDialect: acquiring and every statement fail with
 * `unavailable` when the store does not answer in time; a client whose statement failed that way
 * is released as broken (the pool closes it) and its socket destroyed, even if its peer is silent.
 */
export function guardedPool(pool: pg.Pool, statementDeadlineMs: number): PostgresPool {
  const wrappers = new WeakMap<pg.PoolClient, Guarded>();
  const wrap = (client: pg.PoolClient): Guarded => {
    const g = wrappers.get(client);
    if (g) {
      g.broken = false;
      return g;
    }
    const guarded: Guarded = {
      broken: false,
      query: ((text: any, values?: any) => {
        if (typeof text !== 'string') return client.query(text);
        // A connection that already failed (say, mid-transaction) is not asked again: its ROLLBACK
        // would only queue behind the statement that never answered.
        if (guarded.broken) return Promise.reject(storeUnavailable('connection failed'));
        return withDeadline(client.query(text, values), statementDeadlineMs).catch((e: unknown) => {
          if (!isPostgresUnavailable(e)) throw e;
          // A server that answered (a timeout, a shutdown notice) leaves a usable or closed
          // connection; silence or a transport error leaves one that must not be reused.
          if (typeof (e as { severity?: unknown })?.severity !== 'string') guarded.broken = true;
          throw storeUnavailable(e === DEADLINE ? 'no answer in time' : 'connection failed');
        });
      }) as PostgresPoolClient['query'],
      release: () => {
        if (!guarded.broken) return client.release();
        client.release(true);
        // A black-holed peer never acknowledges the close: do not keep its socket waiting.
        (
          client as unknown as { connection?: { stream?: { destroy(): void } } }
        ).connection?.stream?.destroy();
      },
    };
    wrappers.set(client, guarded);
    return guarded;
  };
  return {
    connect: async () => {
      try {
        return wrap(await pool.connect());
      } catch {
        throw storeUnavailable('no connection in time');
      }
    },
    end: () => pool.end(),
  };
}

const DEADLINE = Symbol('deadline');

function withDeadline<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(DEADLINE), ms);
  });
  // The abandoned statement settles later (when its connection is destroyed): nobody waits for it.
  p.catch(() => {});
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}
