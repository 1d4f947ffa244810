/**
 * One call at a time per key (non-parallelizable tools within a conversation). Callers in this
 * process queue behind each other in memory; with a shared PostgreSQL store a conversation's calls
 * may reach different instances, so the head of each local queue also takes a lease in the store.
 */
import { createHash, randomUUID } from 'node:crypto';
import { AppError } from '../../errors.ts';
import type { Store } from '../../store/db.ts';
import { claimLease, releaseLease } from '../../store/leases.ts';

/** How long a call waits for the one before it before giving up with invocation_in_progress. */
const WAIT_LIMIT_MS = 30_000;
/**
 * Longer than any single call can run (webhooks stop at 30 s, SQL statements at 60 s), so a lease
 * only expires under a live holder if that holder is wedged; a crashed holder blocks for this long.
 */
const LEASE_TTL_MS = 120_000;
const POLL_MIN_MS = 5;
const POLL_MAX_MS = 100;

const busy = () =>
  new AppError('invocation_in_progress', 'an earlier call in this conversation is still running', {
    retryAfter: 1,
  });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class ConversationLocks {
  private tails = new Map<string, Promise<unknown>>();
  private readonly shared: Store | null;
  private readonly instance = randomUUID();

  /** `store` is consulted only when it is shared between processes (PostgreSQL). */
  constructor(store?: Store) {
    this.shared = store?.engine === 'postgres' ? store : null;
  }

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + WAIT_LIMIT_MS;
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => {
      release = r;
    });
    // Whoever queues next waits for the previous call and then for this one, even if this one gives up.
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    try {
      await waitUntil(previous, deadline);
      if (!this.shared) return await task();
      const lease = `conversation:${createHash('sha256').update(key).digest('base64url')}`;
      const owner = `${this.instance}:${randomUUID()}`;
      await this.claim(this.shared, lease, owner, deadline);
      try {
        return await task();
      } finally {
        await releaseLease(this.shared, lease, owner).catch(() => {});
      }
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /** Polls for the lease (another instance holds it) until the deadline. */
  private async claim(store: Store, lease: string, owner: string, deadline: number): Promise<void> {
    for (let wait = POLL_MIN_MS; ; wait = Math.min(wait * 2, POLL_MAX_MS)) {
      const now = Date.now();
      const until = new Date(now + LEASE_TTL_MS).toISOString();
      if (await claimLease(store, lease, owner, new Date(now).toISOString(), until)) return;
      if (now + wait > deadline) throw busy();
      await sleep(wait);
    }
  }
}

async function waitUntil(previous: Promise<unknown>, deadline: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(busy()), Math.max(0, deadline - Date.now()));
  });
  try {
    await Promise.race([previous, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
