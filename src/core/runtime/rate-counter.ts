/**
 * Requests per organization per minute. Counting happens in memory, so the request path stays one
 * Map lookup. Alone (the embedded store), a window starts with an organization's first request.
 * With a shared PostgreSQL store, windows are wall-clock minutes and each instance adds its counts
 * to the store a moment later (at once for a window it has not heard the total of), learning the
 * total of every instance in the same statement: the limit holds for the organization,
 * overshooting by at most what the other instances admit in one flush interval.
 */
import type { Store } from '../../store/db.ts';
import { addRateCounts, purgeRateCounts } from '../../store/rate-counters.ts';

const WINDOW_MS = 60_000;
const FLUSH_MS = 100;

interface Count {
  minute: number;
  resetAt: number;
  /** The organization's total in the store at the last flush (this instance's included). */
  known: number;
  /** Sent to the store, answer pending. */
  inFlight: number;
  /** Admitted since the last flush. */
  pending: number;
}

export class RateCounter {
  private counts = new Map<string, Count>();
  private readonly shared: Store | null;
  private timer: NodeJS.Timeout | undefined;
  private timerDue = 0;
  private flushing: Promise<void> | undefined;
  /** A flush was asked for while one was in flight. */
  private again: 'urgent' | 'later' | null = null;
  private sweepAt = 0;

  constructor(
    readonly perMinute: number,
    store?: Store,
    private readonly onError: (e: unknown) => void = () => {},
  ) {
    this.shared = store?.engine === 'postgres' ? store : null;
  }

  /** Counts a request; null when admitted, else the time (ms since epoch) the window resets. */
  hit(orgId: string, now = Date.now()): number | null {
    if (now >= this.sweepAt) this.sweep(now);
    let c = this.counts.get(orgId);
    if (!c || c.resetAt <= now) {
      const minute = Math.floor(now / WINDOW_MS);
      // Instances sharing a store must all mean the same window.
      const resetAt = this.shared ? (minute + 1) * WINDOW_MS : now + WINDOW_MS;
      c = { minute, resetAt, known: 0, inFlight: 0, pending: 0 };
      this.counts.set(orgId, c);
    }
    if (c.known + c.inFlight + c.pending >= this.perMinute) return c.resetAt;
    c.pending++;
    // A window this instance has not heard the total of yet is flushed at once: another instance
    // may have spent the budget already.
    if (this.shared) this.schedule(c.known === 0 && c.inFlight === 0);
    return null;
  }

  /** At most one flush in flight; the next one follows FLUSH_MS later, or at once when urgent. */
  private schedule(urgent: boolean): void {
    if (this.flushing) {
      if (urgent || !this.again) this.again = urgent ? 'urgent' : 'later';
      return;
    }
    const due = Date.now() + (urgent ? 0 : FLUSH_MS);
    if (this.timer && this.timerDue <= due) return;
    clearTimeout(this.timer);
    this.timerDue = due;
    this.timer = setTimeout(() => this.startFlush(), due - Date.now());
    // A pending flush must never keep a process alive on its own.
    this.timer.unref();
  }

  private startFlush(): void {
    this.timer = undefined;
    this.flushing = this.flush().finally(() => {
      this.flushing = undefined;
      const again = this.again;
      this.again = null;
      if (again) this.schedule(again === 'urgent');
    });
  }

  /** Sends what is pending now (tests, shutdown); resolves once the store answered. */
  async settle(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.flushing) await this.flushing;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.again = null;
    await this.flush();
  }

  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async flush(): Promise<void> {
    const store = this.shared;
    if (!store) return;
    const batches = new Map<number, Map<string, number>>();
    const sent: { orgId: string; c: Count; n: number }[] = [];
    for (const [orgId, c] of this.counts) {
      if (c.pending === 0) continue;
      const batch = batches.get(c.minute) ?? new Map<string, number>();
      batches.set(c.minute, batch.set(orgId, c.pending));
      sent.push({ orgId, c, n: c.pending });
      c.inFlight += c.pending;
      c.pending = 0;
    }
    const totals = new Map<number, Map<string, number>>();
    try {
      for (const [minute, batch] of batches) totals.set(minute, await addRateCounts(store, minute, batch));
    } catch (e) {
      // The store is unreachable: keep counting on this instance alone rather than refuse requests.
      this.onError(e);
    }
    for (const { orgId, c, n } of sent) {
      c.inFlight -= n;
      c.known = Math.max(c.known + n, totals.get(c.minute)?.get(orgId) ?? 0);
    }
  }

  private sweep(now: number): void {
    this.sweepAt = now + WINDOW_MS;
    for (const [orgId, c] of this.counts) if (c.resetAt <= now && c.pending === 0) this.counts.delete(orgId);
    if (this.shared) {
      purgeRateCounts(this.shared, Math.floor(now / WINDOW_MS) - 1).catch(this.onError);
    }
  }
}
