/**
 * Appends to the embedded store from a worker thread with its own SQLite connection.
 *
 * better-sqlite3 runs every statement on the calling thread: the execution log's batched inserts
 * cost the request thread about 8 µs a row, a twentieth of an invoke's CPU, however they were
 * chunked. In a worker they cost it a message. WAL lets the worker write while the request thread
 * reads; when both write, each waits for the other's lock up to the busy timeout, as the CLI does.
 *
 * The worker is plain JavaScript in a string, so it runs the same under the compiled build and
 * under the test runner's TypeScript loader; all it knows is "run this statement once per row, in
 * one transaction". It starts on the first append, so a CLI command that never appends pays nothing.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = ' + workerData.busyTimeoutMs);
db.pragma('foreign_keys = ON');
const statements = new Map();
const statement = (sql) => {
  let s = statements.get(sql);
  if (!s) statements.set(sql, (s = db.prepare(sql)));
  return s;
};
const insertAll = db.transaction((sql, rows) => {
  const s = statement(sql);
  for (const row of rows) s.run(row);
});
parentPort.on('message', ({ id, sql, rows }) => {
  if (id === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    insertAll(sql, rows);
    parentPort.postMessage({ id });
  } catch (e) {
    parentPort.postMessage({ id, error: { message: String(e && e.message), code: e && e.code } });
  }
});
`;

interface Answer {
  id: number;
  error?: { message: string; code?: string };
}

export class SqliteAppender {
  private worker: Worker | null = null;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve(): void; reject(e: Error): void }>();

  constructor(
    private readonly file: string,
    private readonly busyTimeoutMs: number,
  ) {}

  /**
   * Runs `sql` once per row of parameters, all in one transaction: all land, or none (and it
   * rejects).
   */
  append(sql: string, rows: unknown[][]): Promise<void> {
    const worker = this.started();
    const id = this.nextId++;
    // Referenced while an append is unanswered: a process awaiting its last records must not exit.
    if (this.pending.size === 0) worker.ref();
    return new Promise<void>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, sql, rows });
    });
  }

  /** Lets the appends already sent finish, then stops the worker. */
  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.worker = null;
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.postMessage({ id: 'close' });
    await exited;
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    const worker = new Worker(WORKER, {
      eval: true,
      workerData: { driver, file: this.file, busyTimeoutMs: this.busyTimeoutMs },
    });
    worker.on('message', (answer: Answer) => {
      const waiting = this.pending.get(answer.id);
      if (!waiting) return;
      this.pending.delete(answer.id);
      // Idle, it keeps nothing alive: a server or CLI exits when its own work is done.
      if (this.pending.size === 0) worker.unref();
      if (!answer.error) return waiting.resolve();
      waiting.reject(Object.assign(new Error(answer.error.message), { code: answer.error.code }));
    });
    const failAll = (e: Error) => {
      if (this.worker === worker) this.worker = null; // the next append starts a new one
      for (const waiting of this.pending.values()) waiting.reject(e);
      this.pending.clear();
    };
    worker.on('error', failAll);
    worker.on('exit', () => failAll(new Error('the store writer stopped')));
    this.worker = worker;
    return worker;
  }
}
