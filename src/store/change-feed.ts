/**
 * Tells every server instance that an agent's live version changed. On PostgreSQL this is
 * LISTEN/NOTIFY on a dedicated connection (the notification is sent at commit, before the publishing
 * request answers); on the embedded SQLite store there is one process, so an in-process emitter is
 * enough.
 */
import { EventEmitter } from 'node:events';
import pg from 'pg';

const CHANNEL = 'flowyte_agent_changed';

export interface ChangeFeed {
  /** Announces a change to every instance, this one included. */
  agentChanged(agentId: string): Promise<void>;
  /** Called with an agent id, or with null when changes may have been missed (reconnect). */
  subscribe(listener: (agentId: string | null) => void): void;
  close(): Promise<void>;
}

export function localChangeFeed(): ChangeFeed {
  const emitter = new EventEmitter();
  return {
    async agentChanged(agentId) {
      emitter.emit('change', agentId);
    },
    subscribe(listener) {
      emitter.on('change', listener);
    },
    async close() {
      emitter.removeAllListeners();
    },
  };
}

export function postgresChangeFeed(
  databaseUrl: string,
  pool: { query(sql: string, params: unknown[]): Promise<unknown> },
): ChangeFeed {
  const emitter = new EventEmitter();
  let client: pg.Client | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  const connect = async () => {
    const c = new pg.Client({ connectionString: databaseUrl });
    c.on('notification', (msg) => {
      if (msg.channel === CHANNEL && msg.payload) emitter.emit('change', msg.payload);
    });
    c.on('error', () => reconnect());
    c.on('end', () => reconnect());
    await c.connect();
    await c.query(`LISTEN ${CHANNEL}`);
    client = c;
    // Anything could have changed while we were not listening.
    emitter.emit('change', null);
  };
  const reconnect = () => {
    if (closed || retry) return;
    client = null;
    emitter.emit('change', null);
    retry = setTimeout(() => {
      retry = undefined;
      connect().catch(reconnect);
    }, 1000);
    retry.unref();
  };
  const ready = connect().catch(reconnect);

  return {
    async agentChanged(agentId) {
      await ready;
      await pool.query('select pg_notify($1, $2)', [CHANNEL, agentId]);
    },
    subscribe(listener) {
      emitter.on('change', listener);
    },
    async close() {
      closed = true;
      clearTimeout(retry);
      emitter.removeAllListeners();
      await client?.end().catch(() => {});
    },
  };
}
