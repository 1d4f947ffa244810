/** Runs tasks with the same key one after another (non-parallelizable tools within a conversation). */
import { AppError } from '../errors.ts';

const WAIT_LIMIT_MS = 30_000;

export class ConversationLocks {
  private tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => {
      release = r;
    });
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    try {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new AppError(
                'invocation_in_progress',
                'an earlier call in this conversation is still running',
                { retryAfter: 1 },
              ),
            ),
          WAIT_LIMIT_MS,
        );
      });
      try {
        await Promise.race([previous, timeout]);
      } finally {
        clearTimeout(timer);
      }
      return await task();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
