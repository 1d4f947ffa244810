/** Cursor pagination over HTTP: `?limit=` (1–200, default 50) and an opaque `?cursor=`. */
import { Type } from '@sinclair/typebox';
import { decodeCursor, type PageRequest } from '../core/paging.ts';

export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 512 })),
};

export function pageRequest(query: { limit?: number; cursor?: string }): PageRequest {
  return { limit: query.limit ?? 50, after: query.cursor ? decodeCursor(query.cursor) : null };
}
