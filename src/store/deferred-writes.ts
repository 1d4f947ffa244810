/**
 * Store writes that must land eventually although the store failed when they were first tried
 * (finishing or releasing an idempotency claim): kept in memory, by key, and tried again every
 * `everyMs` until they succeed. A later write for the same key replaces an earlier one.
 */
export class DeferredWrites {
  private pending = new Map<string, () => Promise<unknown>>();
  private timer: NodeJS.Timeout | null = null;
  private running = false;

  constructor(
    private readonly everyMs = 500,
    private readonly max = 10_000,
  ) {}

  get size(): number {
    return this.pending.size;
  }

  /** Tries `write` now; if it fails, keeps it and tries again later. Never throws. */
  async attempt(key: string, write: () => Promise<unknown>): Promise<boolean> {
    this.pending.delete(key);
    try {
      await write();
      return true;
    } catch {
      this.defer(key, write);
      return false;
    }
  }

  defer(key: string, write: () => Promise<unknown>): void {
    if (this.pending.size >= this.max && !this.pending.has(key)) return;
    this.pending.set(key, write);
    if (!this.timer) {
      this.timer = setInterval(() => void this.flush(), this.everyMs);
      this.timer.unref();
    }
  }

  /** One pass over what is waiting; what still fails stays. */
  async flush(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (const [key, write] of [...this.pending]) {
        try {
          await write();
          if (this.pending.get(key) === write) this.pending.delete(key);
        } catch {
          break; // the store is still away: wait for the next pass
        }
      }
    } finally {
      this.running = false;
      if (this.pending.size === 0) this.stop();
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
