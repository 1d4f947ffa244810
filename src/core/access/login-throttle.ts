/**
 * Failed logins counted per account and per client address over a sliding window, in memory: a
 * guesser is slowed to a handful of tries per quarter hour per account, and one address cannot
 * spray many accounts. (Per instance: several instances each allow their own budget.)
 */
export const ACCOUNT_FAILURES = 5;
export const ADDRESS_FAILURES = 30;
export const WINDOW_MS = 15 * 60_000;
const MAX_TRACKED = 50_000;

export class LoginThrottle {
  private failures = new Map<string, number[]>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Seconds to wait before this account or address may try again, or 0. */
  retryAfter(account: string, address: string): number {
    const t = this.now();
    const wait = (key: string, limit: number) => {
      const recent = this.recent(key, t);
      return recent.length >= limit ? Math.ceil((recent[0] + WINDOW_MS - t) / 1000) : 0;
    };
    return Math.max(wait(`a:${account}`, ACCOUNT_FAILURES), wait(`i:${address}`, ADDRESS_FAILURES));
  }

  fail(account: string, address: string): void {
    const t = this.now();
    if (this.failures.size > MAX_TRACKED) this.sweep(t);
    for (const key of [`a:${account}`, `i:${address}`]) this.failures.set(key, [...this.recent(key, t), t]);
  }

  /** A correct password clears the account's count (not the address's: it may be guessing others). */
  succeed(account: string): void {
    this.failures.delete(`a:${account}`);
  }

  private recent(key: string, t: number): number[] {
    return (this.failures.get(key) ?? []).filter((at) => at > t - WINDOW_MS);
  }

  private sweep(t: number): void {
    for (const [key, list] of this.failures)
      if (!list.some((at) => at > t - WINDOW_MS)) this.failures.delete(key);
  }
}
