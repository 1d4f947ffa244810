/**
 * Cursor pages: a cursor is the opaque encoding of the last position returned, and a page is
 * fetched with one row past its limit to know whether another follows.
 */
import { AppError } from '../../errors.ts';

export interface PageRequest {
  limit: number;
  /** The decoded position after which the page starts, or null for the first page. */
  after: string | null;
}

export function encodeCursor(position: string): string {
  return Buffer.from(JSON.stringify({ a: position }), 'utf8').toString('base64url');
}

/** The position a cursor of ours encodes; a validation_error for anything else. */
export function decodeCursor(cursor: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof parsed?.a !== 'string') throw new Error('shape');
    return parsed.a;
  } catch {
    throw new AppError('validation_error', 'the cursor is not one this server issued', {
      errors: [{ field: 'cursor', message: 'is not valid' }],
    });
  }
}

/** Slices one extra row fetched past the limit into a page and the cursor for the next one. */
export function toPage<T>(
  rows: T[],
  limit: number,
  position: (row: T) => string,
): { items: T[]; nextCursor: string | null } {
  if (rows.length <= limit) return { items: rows, nextCursor: null };
  const items = rows.slice(0, limit);
  return { items, nextCursor: encodeCursor(position(items[items.length - 1])) };
}

/** For lists computed in memory (e.g. a discovered schema): the cursor is the last key returned. */
export function pageInMemory<T>(all: T[], req: PageRequest, key: (row: T) => string) {
  const start = req.after === null ? 0 : all.findIndex((r) => key(r) > req.after!);
  const from = start === -1 ? all.length : start;
  return toPage(all.slice(from, from + req.limit + 1), req.limit, key);
}
