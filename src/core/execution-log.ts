/**
 * Invocation records, written in batches: one transaction per burst instead of one write per call
 * keeps the record off the invocation's hot path. Reads flush first, so this instance's own records
 * are always visible; a crash can lose at most the last FLUSH_MS of records.
 */
import type { Store } from '../store/db.ts';
import { insertExecutions } from '../store/executions.ts';
import type { ExecutionsTable } from '../store/schema.ts';

const FLUSH_MS = 50;
const MAX_BATCH = 500;

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
    this.flushing = this.flushing.then(async () => {
      if (batch.length === 0) return;
      try {
        await insertExecutions(this.store, batch);
      } catch {
        // One bad row (its agent deleted meanwhile) must not cost the others: retry them one by one.
        for (const row of batch) await insertExecutions(this.store, [row]).catch(this.onError);
      }
    });
    return this.flushing;
  }
}
