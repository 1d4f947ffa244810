/** Cursor pagination over HTTP: `?limit=` (1–200, default 50) and an opaque `?cursor=`. */
import { Type } from '@sinclair/typebox';
import { decodeCursor, encodeCursor, type PageRequest } from '../core/shared/index.ts';

export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 512 })),
};

export function pageRequest(query: { limit?: number; cursor?: string }): PageRequest {
  return { limit: query.limit ?? 50, after: query.cursor ? decodeCursor(query.cursor) : null };
}

/**
 * Pages a list already in memory and in a stable order (catalog, connections, actions, draft skills):
 * the cursor is the key of the last item returned, so a page never repeats or skips an item.
 */
export function pageList<T>(
  all: T[],
  query: { limit?: number; cursor?: string },
  key: (item: T) => string,
): { items: T[]; nextCursor: string | null } {
  const { limit, after } = pageRequest(query);
  let from = 0;
  if (after !== null) {
    const at = all.findIndex((x) => key(x) === after);
    from = at === -1 ? all.length : at + 1;
  }
  const items = all.slice(from, from + limit);
  const more = from + limit < all.length;
  return { items, nextCursor: more ? encodeCursor(key(items[items.length - 1])) : null };
}
