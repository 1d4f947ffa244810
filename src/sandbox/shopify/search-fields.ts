/**
 * Which search fields each connection's node type understands, and how one term matches a record.
 * Matching is case-insensitive like Shopify's. A field no type declares matches nothing (safer than
 * ignoring it: an unknown filter must not widen a result).
 */
import { evaluate, parseSearchQuery, type TermNode } from './search-query.ts';
import type { ShopifyObject } from './world.ts';

type Kind = 'exact' | 'text' | 'date' | 'number' | 'phone' | 'id' | 'order-name' | 'enum';

interface FieldDef {
  kind: Kind;
  /** The record's value(s) for this field. */
  get: (r: ShopifyObject) => unknown;
  /** Search words that stand for an enum value (lower case), e.g. `shipped` → FULFILLED. */
  synonyms?: Record<string, string[]>;
}

interface TypeDef {
  fields: Record<string, FieldDef>;
  /** Values bare words are looked up in. */
  text: (r: ShopifyObject) => unknown[];
}

const path = (r: unknown, ...keys: string[]): unknown =>
  keys.reduce<unknown>(
    (v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined),
    r,
  );
const nodesOf = (conn: unknown): ShopifyObject[] => (Array.isArray(conn) ? (conn as ShopifyObject[]) : []);

const common: Record<string, FieldDef> = {
  id: { kind: 'id', get: (r) => r.id },
  created_at: { kind: 'date', get: (r) => r.createdAt },
  updated_at: { kind: 'date', get: (r) => r.updatedAt },
  tag: { kind: 'exact', get: (r) => r.tags },
};

function orderStatus(r: ShopifyObject): string[] {
  if (r.cancelledAt) return ['cancelled', 'closed'];
  return r.closed ? ['closed'] : ['open'];
}

const TYPES: Record<string, TypeDef> = {
  Order: {
    fields: {
      ...common,
      name: { kind: 'order-name', get: (r) => r.name },
      email: { kind: 'exact', get: (r) => r.email },
      phone: { kind: 'phone', get: (r) => r.phone },
      status: { kind: 'exact', get: orderStatus },
      financial_status: { kind: 'enum', get: (r) => r.displayFinancialStatus },
      fulfillment_status: {
        kind: 'enum',
        get: (r) => r.displayFulfillmentStatus,
        synonyms: { shipped: ['FULFILLED'], unshipped: ['UNFULFILLED'], partial: ['PARTIALLY_FULFILLED'] },
      },
      processed_at: { kind: 'date', get: (r) => r.processedAt },
      customer_id: { kind: 'id', get: (r) => path(r, 'customer', 'id') },
      sku: { kind: 'exact', get: (r) => nodesOf(r.lineItems).map((li) => li.sku) },
      total_price: { kind: 'number', get: (r) => path(r, 'totalPriceSet', 'shopMoney', 'amount') },
    },
    text: (r) => [
      r.name,
      String(r.name ?? '').replace(/^#/, ''),
      r.email,
      r.phone,
      path(r, 'customer', 'firstName'),
      path(r, 'customer', 'lastName'),
      ...nodesOf(r.lineItems).flatMap((li) => [li.title, li.sku]),
    ],
  },
  Customer: {
    fields: {
      ...common,
      email: { kind: 'exact', get: (r) => r.email },
      phone: { kind: 'phone', get: (r) => r.phone },
      first_name: { kind: 'text', get: (r) => r.firstName },
      last_name: { kind: 'text', get: (r) => r.lastName },
      country: { kind: 'text', get: (r) => path(r, 'defaultAddress', 'country') },
      orders_count: { kind: 'number', get: (r) => r.numberOfOrders },
      total_spent: { kind: 'number', get: (r) => path(r, 'amountSpent', 'amount') },
    },
    text: (r) => [r.firstName, r.lastName, r.email, r.phone],
  },
  Product: {
    fields: {
      ...common,
      title: { kind: 'text', get: (r) => r.title },
      handle: { kind: 'exact', get: (r) => r.handle },
      status: { kind: 'enum', get: (r) => r.status },
      sku: { kind: 'exact', get: (r) => nodesOf(r.variants).map((v) => v.sku) },
      barcode: { kind: 'exact', get: (r) => nodesOf(r.variants).map((v) => v.barcode) },
      vendor: { kind: 'text', get: (r) => r.vendor },
      product_type: { kind: 'text', get: (r) => r.productType },
      inventory_total: { kind: 'number', get: (r) => r.totalInventory },
    },
    text: (r) => [r.title, r.vendor, r.productType, ...((r.tags as string[]) ?? [])],
  },
  ProductVariant: {
    fields: {
      ...common,
      sku: { kind: 'exact', get: (r) => r.sku },
      title: { kind: 'text', get: (r) => r.title },
      barcode: { kind: 'exact', get: (r) => r.barcode },
      product_id: { kind: 'id', get: (r) => path(r, 'product', 'id') },
      inventory_quantity: { kind: 'number', get: (r) => r.inventoryQuantity },
    },
    text: (r) => [r.title, r.sku, r.displayName, path(r, 'product', 'title')],
  },
  InventoryItem: {
    fields: { ...common, sku: { kind: 'exact', get: (r) => r.sku } },
    text: (r) => [r.sku],
  },
  Location: {
    fields: { ...common, name: { kind: 'text', get: (r) => r.name } },
    text: (r) => [r.name],
  },
};

const lc = (v: unknown) => String(v ?? '').toLowerCase();
const digits = (v: unknown) => String(v ?? '').replace(/\D/g, '');
const words = (v: unknown) =>
  lc(v)
    .split(/[^\p{L}\p{N}@.+_-]+/u)
    .filter(Boolean);

function compare(a: number, op: TermNode['op'], b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return false;
  if (op === '>') return a > b;
  if (op === '<') return a < b;
  if (op === '>=') return a >= b;
  if (op === '<=') return a <= b;
  return a === b;
}

function matchOne(def: FieldDef, term: TermNode, raw: unknown): boolean {
  if (raw === undefined || raw === null) return false;
  const want = lc(term.value);
  switch (def.kind) {
    case 'date': {
      const a = Date.parse(String(raw));
      const b = Date.parse(term.value);
      // `created_at:2026-01-05` (no comparator) means that day.
      if (term.op === ':') return String(raw).slice(0, term.value.length) === term.value;
      return compare(a, term.op, b);
    }
    case 'number':
      return compare(Number(raw), term.op, Number(term.value));
    case 'id': {
      const have = lc(raw);
      return have === want || have.endsWith(`/${want}`);
    }
    case 'order-name':
      return term.prefix
        ? lc(raw).replace(/^#/, '').startsWith(want.replace(/^#/, ''))
        : lc(raw).replace(/^#/, '') === want.replace(/^#/, '');
    case 'phone': {
      const have = digits(raw);
      const w = digits(term.value);
      if (!w) return false;
      return term.prefix
        ? have.startsWith(w)
        : have === w || (w.length >= 10 && have.endsWith(w) && have.length - w.length <= 3);
    }
    case 'enum': {
      const have = lc(raw);
      if (want === 'any') return true;
      const alias = def.synonyms?.[want]?.map(lc) ?? [];
      return have === want || alias.includes(have);
    }
    case 'text':
      if (term.prefix) return lc(raw).startsWith(want) || words(raw).some((w) => w.startsWith(want));
      return lc(raw) === want || ` ${words(raw).join(' ')} `.includes(` ${words(want).join(' ')} `);
    default:
      return term.prefix ? lc(raw).startsWith(want) : lc(raw) === want;
  }
}

function matchTerm(def: TypeDef, term: TermNode, r: ShopifyObject): boolean {
  if (!term.field) {
    const want = words(term.value);
    if (want.length === 0) return true;
    const hay = def.text(r).flatMap(words);
    return want.every((w) => hay.some((h) => h.startsWith(w)));
  }
  if (term.field === 'status' && lc(term.value) === 'any' && def.fields.status) return true;
  const field = def.fields[term.field];
  if (!field) return false;
  const value = field.get(r);
  return Array.isArray(value) ? value.some((v) => matchOne(field, term, v)) : matchOne(field, term, value);
}

/** Whether the type's connections take search fields at all (others ignore `query:`). */
export const searchableTypes = (): string[] => Object.keys(TYPES);

/** A predicate over records of `typeName` for a Shopify search string. */
export function searchFilter(typeName: string, query: string): (r: ShopifyObject) => boolean {
  const def = TYPES[typeName];
  const ast = parseSearchQuery(query);
  if (!def || ast.kind === 'all') return () => true;
  return (r) => evaluate(ast, r, (term, rec) => matchTerm(def, term, rec));
}
