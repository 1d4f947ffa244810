/**
 * The order presets: lookup with a second factor, the verified caller's recent orders, and a note on
 * an order. A wrong second factor and an unknown order answer alike, so a caller cannot learn which
 * order numbers exist; the factor is compared here, never sent to Shopify as a filter.
 */
import { AppError } from '../../errors.ts';
import type { ProviderContext } from '../types.ts';
import { connectionAuth, type ShopifyAuth, shopifyGraphql } from './client.ts';
import { searchTerm } from './search-string.ts';

export const NOT_FOUND = {
  found: false,
  message: 'No order matches that order number and contact detail. Ask the caller to check both.',
} as const;

const ORDER_FIELDS = `id name createdAt email phone note
  displayFinancialStatus displayFulfillmentStatus cancelledAt cancelReason
  totalPriceSet { shopMoney { amount currencyCode } }
  lineItems(first: 20) { nodes { title quantity } }
  fulfillments(first: 10) { status createdAt trackingInfo(first: 5) { company number url } }`;

interface OrderNode {
  id: string;
  name: string;
  createdAt: string;
  email: string | null;
  phone: string | null;
  note: string | null;
  displayFinancialStatus: string | null;
  displayFulfillmentStatus: string | null;
  cancelledAt: string | null;
  cancelReason: string | null;
  totalPriceSet: { shopMoney: { amount: string; currencyCode: string } } | null;
  lineItems: { nodes: { title: string; quantity: number }[] } | null;
  fulfillments:
    | {
        status: string;
        createdAt: string;
        trackingInfo: { company: string | null; number: string | null; url: string | null }[];
      }[]
    | null;
}

const digits = (s: unknown) => (typeof s === 'string' ? s.replace(/\D/g, '') : '');
const text = (s: unknown) => (typeof s === 'string' ? s.trim() : '');

/** "#1001", "1001", "order 1001" → "1001"; null when there are no digits to look up. */
export function orderNumberOf(raw: unknown): string | null {
  const n = digits(raw);
  return n && n.length <= 20 ? n : null;
}

/**
 * Phone numbers match by digits; a missing country code on one side still matches, but the shorter
 * side must be a whole national number (≥ 9 digits), not a guessable tail.
 */
export function samePhone(a: unknown, b: unknown): boolean {
  const x = digits(a);
  const y = digits(b);
  if (Math.min(x.length, y.length) < 9) return false;
  return x === y || x.endsWith(y) || y.endsWith(x);
}

const sameEmail = (a: unknown, b: unknown) =>
  text(a) !== '' && text(a).toLowerCase() === text(b).toLowerCase();

function secondFactorMatches(order: OrderNode, args: Record<string, unknown>): boolean {
  const email = text(args.email);
  const phone = text(args.phone);
  return (email !== '' && sameEmail(email, order.email)) || (phone !== '' && samePhone(phone, order.phone));
}

export function requireSecondFactor(args: Record<string, unknown>): void {
  if (!text(args.email) && !text(args.phone)) {
    throw new AppError('validation_error', 'give the email or the phone number on the order as well', {
      errors: [{ field: 'arguments.email', message: 'email or phone is required with the order number' }],
    });
  }
}

/** The order with this number whose email or phone matches, or null (alike for both misses). */
async function findOrder(
  ctx: ProviderContext,
  auth: ShopifyAuth,
  args: Record<string, unknown>,
): Promise<OrderNode | null> {
  requireSecondFactor(args);
  const number = orderNumberOf(args.order_number);
  if (!number) return null;
  const data = await shopifyGraphql(ctx, auth, {
    query: `query FlowyteLookupOrder($q: String!) { orders(first: 5, query: $q) { nodes { ${ORDER_FIELDS} } } }`,
    variables: { q: searchTerm('name', number) },
  });
  const nodes = ((data.orders as { nodes?: OrderNode[] } | null)?.nodes ?? []) as OrderNode[];
  const exact = nodes.filter((o) => digits(o.name) === number);
  return exact.find((o) => secondFactorMatches(o, args)) ?? null;
}

function describeOrder(o: OrderNode) {
  return {
    orderNumber: o.name,
    placedAt: o.createdAt,
    financialStatus: o.displayFinancialStatus,
    fulfillmentStatus: o.displayFulfillmentStatus,
    items: (o.lineItems?.nodes ?? []).map((i) => ({ title: i.title, quantity: i.quantity })),
    total: o.totalPriceSet
      ? { amount: o.totalPriceSet.shopMoney.amount, currency: o.totalPriceSet.shopMoney.currencyCode }
      : null,
    fulfillments: (o.fulfillments ?? []).map((f) => ({
      status: f.status,
      shippedAt: f.createdAt,
      tracking: (f.trackingInfo ?? []).map((t) => ({ carrier: t.company, number: t.number, url: t.url })),
    })),
    cancellation: o.cancelledAt ? { cancelledAt: o.cancelledAt, reason: o.cancelReason } : null,
  };
}

export async function lookupOrder(
  credentials: Record<string, unknown>,
  args: Record<string, unknown>,
  ctx: ProviderContext,
) {
  const order = await findOrder(ctx, connectionAuth(credentials, ctx), args);
  return order ? { found: true, order: describeOrder(order) } : NOT_FOUND;
}

export async function ordersByEmail(
  credentials: Record<string, unknown>,
  args: Record<string, unknown>,
  ctx: ProviderContext,
) {
  const email = text(args.email);
  if (!email)
    throw new AppError('validation_error', 'email is required', {
      errors: [{ field: 'arguments.email', message: 'is required' }],
    });
  const data = await shopifyGraphql(ctx, connectionAuth(credentials, ctx), {
    query: `query FlowyteOrdersByEmail($q: String!) { orders(first: 10, sortKey: CREATED_AT, reverse: true, query: $q) { nodes { ${ORDER_FIELDS} } } }`,
    variables: { q: searchTerm('email', email) },
  });
  // Shopify's email search is a search, not an equality: keep the caller's own orders only.
  const orders = (((data.orders as { nodes?: OrderNode[] } | null)?.nodes ?? []) as OrderNode[])
    .filter((o) => sameEmail(o.email, email))
    .slice(0, 5)
    .map((o) => ({
      orderNumber: o.name,
      placedAt: o.createdAt,
      financialStatus: o.displayFinancialStatus,
      fulfillmentStatus: o.displayFulfillmentStatus,
      total: o.totalPriceSet
        ? { amount: o.totalPriceSet.shopMoney.amount, currency: o.totalPriceSet.shopMoney.currencyCode }
        : null,
      cancelled: o.cancelledAt !== null,
    }));
  return { count: orders.length, orders };
}

export async function addOrderNote(
  credentials: Record<string, unknown>,
  args: Record<string, unknown>,
  ctx: ProviderContext,
) {
  const note = text(args.note);
  if (!note)
    throw new AppError('validation_error', 'note is required', {
      errors: [{ field: 'arguments.note', message: 'is required' }],
    });
  const auth = connectionAuth(credentials, ctx);
  const order = await findOrder(ctx, auth, args);
  if (!order) return NOT_FOUND;
  // Appended, never replacing what staff wrote before; past Shopify's length the oldest text goes, never the new note.
  const next = (order.note ? `${order.note}\n${note}` : note).slice(-5000);
  const data = await shopifyGraphql(ctx, auth, {
    query:
      'mutation FlowyteOrderNote($input: OrderInput!) { orderUpdate(input: $input) { order { id name note } userErrors { field message } } }',
    variables: { input: { id: order.id, note: next } },
  });
  const r = data.orderUpdate as {
    order?: { name: string } | null;
    userErrors?: { message: string }[];
  } | null;
  if (r?.userErrors?.length) {
    throw new AppError(
      'write_not_applied',
      `Shopify did not save the note: ${r.userErrors
        .map((e) => e.message)
        .join('; ')
        .slice(0, 300)}`,
    );
  }
  return { updated: true, orderNumber: r?.order?.name ?? order.name };
}
