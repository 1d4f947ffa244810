/**
 * Invocation records, written in batches: one statement per burst instead of one write per call
 * keeps the record off the invocation's hot path. Reads flush first, so this instance's own records
 * are always visible; a crash can lose at most the last FLUSH_MS of records.
 *
 * On SQLite the rows are written by the store's worker thread (store/sqlite-appender.ts): run on
 * the event loop, a 500-row statement held it 10–18 ms, a pause every request in flight heard. On
 * PostgreSQL a burst goes in chunks of CHUNK rows, with a turn of the event loop between them.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Store } from '../../store/db.ts';
import { insertExecutions } from '../../store/executions.ts';
import type { ExecutionsTable } from '../../store/schema.ts';

const FLUSH_MS = 50;
const MAX_BATCH = 500;
const CHUNK = 50;
const APPENDER_CHUNK = 100;

export class ExecutionLog {
  private buffer: ExecutionsTable[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly onError: (e: unknown) => void,
  ) {}

  record(row: ExecutionsTable): void {
    this.buffer.push(row);
    if (this.buffer.length >= MAX_BATCH) void this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), FLUSH_MS);
      this.timer.unref();
    }
  }

  /** Writes everything recorded so far; resolves once it is in the store. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const batch = this.buffer;
    this.buffer = [];
    // SQLite's worker takes larger chunks (each message wakes it), but not a whole burst: a write on
    // the request thread waits for the worker's transaction, sleeping 1, 2, 5… ms while it runs.
    const chunkSize = this.store.appender ? APPENDER_CHUNK : CHUNK;
    this.flushing = this.flushing.then(async () => {
      for (let i = 0; i < batch.length; i += chunkSize) {
        if (i > 0) await yieldToLoop();
        const chunk = batch.slice(i, i + chunkSize);
        try {
          await insertExecutions(this.store, chunk);
        } catch {
          // One bad row (its agent deleted meanwhile) must not cost the others: retry them one by one.
          for (const row of chunk) await insertExecutions(this.store, [row]).catch(this.onError);
        }
      }
    });
    return this.flushing;
  }
}
