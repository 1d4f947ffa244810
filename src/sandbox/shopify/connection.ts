/**
 * Relay connections as the Admin API serves them: `first`/`last` (one is required, at most 250),
 * opaque cursors, `after`/`before`, `reverse`, `sortKey`, and `query` (search syntax).
 */
import { GraphQLError } from 'graphql';
import { searchFilter } from './search-fields.ts';
import { gidNumber, type ShopifyObject } from './world.ts';

export interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
  reverse?: boolean | null;
  sortKey?: string | null;
  query?: string | null;
}

export const MAX_PAGE = 250;

/** Shopify's cursors are base64 of a small JSON object; ours name the record's numeric id. */
export function encodeCursor(r: ShopifyObject): string {
  return Buffer.from(JSON.stringify({ last_id: gidNumber(String(r.id ?? '')) })).toString('base64');
}

function decodeCursor(cursor: string): number | undefined {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8')) as { last_id?: unknown };
    return typeof v.last_id === 'number' ? v.last_id : undefined;
  } catch {
    return undefined;
  }
}

const SORT_FIELDS: Record<string, (r: ShopifyObject) => unknown> = {
  ID: (r) => gidNumber(String(r.id ?? '')),
  CREATED_AT: (r) => r.createdAt,
  UPDATED_AT: (r) => r.updatedAt,
  PROCESSED_AT: (r) => r.processedAt,
  ORDER_NUMBER: (r) => r.number,
  TOTAL_PRICE: (r) => Number((r.totalPriceSet as any)?.shopMoney?.amount ?? 0),
  TITLE: (r) => String(r.title ?? '').toLowerCase(),
  NAME: (r) => String(r.name ?? r.displayName ?? '').toLowerCase(),
  SKU: (r) => r.sku,
  VENDOR: (r) => r.vendor,
  PRODUCT_TYPE: (r) => r.productType,
  INVENTORY_TOTAL: (r) => r.totalInventory,
  INVENTORY_QUANTITY: (r) => r.inventoryQuantity,
  POSITION: (r) => r.position,
};

function sortBy(items: ShopifyObject[], sortKey: string | null | undefined): ShopifyObject[] {
  const key = SORT_FIELDS[sortKey ?? 'ID'];
  if (!key || sortKey === 'ID' || !sortKey) return items; // records are kept in id order
  const idOf = SORT_FIELDS.ID;
  return [...items].sort((a, b) => {
    const x = key(a) as any;
    const y = key(b) as any;
    if (x === y || x === undefined || y === undefined) return (idOf(a) as number) - (idOf(b) as number);
    return x < y ? -1 : 1;
  });
}

export function paginate(
  all: ShopifyObject[],
  args: ConnectionArgs,
  nodeType: string,
): Record<string, unknown> {
  const { first, last } = args;
  if ((first === undefined || first === null) && (last === undefined || last === null)) {
    throw new GraphQLError('you must provide one of first or last', {
      extensions: { code: 'BAD_REQUEST' },
    });
  }
  for (const [name, n] of [
    ['first', first],
    ['last', last],
  ] as const) {
    if (typeof n === 'number' && (n < 0 || n > MAX_PAGE)) {
      throw new GraphQLError(`The value of \`${name}\` must be between 0 and ${MAX_PAGE}.`, {
        extensions: { code: 'BAD_REQUEST' },
      });
    }
  }
  let items = args.query ? all.filter(searchFilter(nodeType, args.query)) : all;
  items = sortBy(items, args.sortKey);
  if (args.reverse) items = [...items].reverse();

  let start = 0;
  let end = items.length;
  const indexOf = (cursor: string) => {
    const id = decodeCursor(cursor);
    return items.findIndex((r) => gidNumber(String(r.id ?? '')) === id);
  };
  if (args.after) {
    const i = indexOf(args.after);
    if (i >= 0) start = i + 1;
  }
  if (args.before) {
    const i = indexOf(args.before);
    if (i >= 0) end = i;
  }
  let page = items.slice(start, Math.max(start, end));
  const window = page.length;
  if (typeof first === 'number') page = page.slice(0, first);
  if (typeof last === 'number') page = page.slice(Math.max(0, page.length - last));
  const offset = typeof last === 'number' ? window - page.length : 0;
  const pageStart = start + (typeof first === 'number' ? 0 : offset);
  const pageEnd = pageStart + page.length;

  const edges = page.map((node) => ({ __typename: `${nodeType}Edge`, node, cursor: encodeCursor(node) }));
  return {
    edges,
    nodes: page,
    pageInfo: {
      hasNextPage: pageEnd < items.length,
      hasPreviousPage: pageStart > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
