/**
 * Tells every instance sharing a PostgreSQL store that something cached changed (LISTEN/NOTIFY on
 * one dedicated connection), so hot-path caches can skip a store read per call. A cache may trust
 * its entries only while `live` is true: the listening connection is up and LISTEN was answered.
 * When it drops, every listener is told to forget everything and the feed reconnects; notifications
 * sent meanwhile are lost, so caches also bound an entry's age themselves.
 *
 * On the embedded store one process owns the file: notifications go to this process's listeners.
 */
import pg from 'pg';

const CHANNEL = 'flowyte_changes';
const RETRY_MS = [100, 250, 500, 1_000, 2_000, 5_000];

export interface ChangeFeed {
  /** Whether entries cached now will hear of their change. */
  readonly live: boolean;
  /** `topic` names what changed, e.g. `live:<agentId>`; delivered to every instance, this one included. */
  notify(topic: string): Promise<void>;
  /** Called with each topic, and with null when notifications may have been lost (forget everything). */
  subscribe(listener: (topic: string | null) => void): void;
  close(): Promise<void>;
}

export function localChangeFeed(): ChangeFeed {
  const listeners: ((topic: string | null) => void)[] = [];
  return {
    live: true,
    async notify(topic) {
      for (const l of listeners) l(topic);
    },
    subscribe(listener) {
      listeners.push(listener);
    },
    async close() {},
  };
}

export class PostgresChangeFeed implements ChangeFeed {
  live = false;
  private client: pg.Client | null = null;
  private closed = false;
  private attempt = 0;
  private retry: NodeJS.Timeout | null = null;
  private readonly listeners: ((topic: string | null) => void)[] = [];

  constructor(
    private readonly connectionString: string,
    /** Sends a notification through the store's pool (a statement of its own, after the change committed). */
    private readonly send: (channel: string, topic: string) => Promise<void>,
  ) {}

  /** Connects and listens; resolves once listening or once the first attempt failed (it keeps retrying). */
  start(): Promise<void> {
    return this.connect();
  }

  async notify(topic: string): Promise<void> {
    // This instance hears its own notification too, but forgets at once: the caller's next read must
    // not race the round trip.
    this.emit(topic);
    await this.send(CHANNEL, topic);
  }

  subscribe(listener: (topic: string | null) => void): void {
    this.listeners.push(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.live = false;
    if (this.retry) clearTimeout(this.retry);
    const c = this.client;
    this.client = null;
    await c?.end().catch(() => {});
  }

  private emit(topic: string | null): void {
    for (const l of this.listeners) l(topic);
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    // A store that does not answer must not leave the feed connecting forever (caches stay off
    // meanwhile); keep-alive probes notice a connection that died without a word.
    const client = new pg.Client({
      connectionString: this.connectionString,
      connectionTimeoutMillis: 5_000,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    });
    this.client = client;
    let lost = false;
    const onLost = () => {
      if (lost) return;
      lost = true;
      this.live = false;
      this.emit(null);
      if (this.client === client) this.client = null;
      client.end().catch(() => {});
      this.scheduleRetry();
    };
    // Without a listener a dropped connection's 'error' event would end the process.
    client.on('error', onLost);
    client.on('end', onLost);
    client.on('notification', (msg) => {
      if (msg.channel === CHANNEL && msg.payload) this.emit(msg.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      if (lost || this.closed) return;
      this.attempt = 0;
      // Anything cached before now may have missed a notification.
      this.emit(null);
      this.live = true;
    } catch {
      onLost();
    }
  }

  private scheduleRetry(): void {
    if (this.closed || this.retry) return;
    const wait = RETRY_MS[Math.min(this.attempt++, RETRY_MS.length - 1)];
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.connect();
    }, wait);
    this.retry.unref();
  }
}
