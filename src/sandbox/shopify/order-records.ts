/**
 * Orders: line items, totals (8.25 % tax, free shipping from 75), fulfillments with tracking, and
 * the customer's running `numberOfOrders` / `amountSpent` / `lastOrder`.
 */
import { gidNumber, money, moneyBag, type ShopifyObject, type ShopState } from './world.ts';

export interface LineSeed {
  variant: ShopifyObject;
  quantity: number;
}

export interface TrackingSeed {
  company: string;
  number: string;
  url: string;
}

export interface FulfillmentSeed {
  /** Indexes into the order's lines (whole quantities). */
  lines: number[];
  tracking: TrackingSeed;
  createdAt: string;
  displayStatus: 'IN_TRANSIT' | 'DELIVERED' | 'OUT_FOR_DELIVERY' | 'CONFIRMED' | 'LABEL_PRINTED';
  deliveredAt?: string;
}

export interface OrderSeed {
  number: number;
  customer?: ShopifyObject;
  lines: LineSeed[];
  createdAt: string;
  financialStatus: string;
  fulfillments?: FulfillmentSeed[];
  cancelled?: { at: string; reason: 'CUSTOMER' | 'DECLINED' | 'FRAUD' | 'INVENTORY' | 'OTHER' | 'STAFF' };
  closedAt?: string;
  note?: string;
  tags?: string[];
  /** Part of the total refunded (PARTIALLY_REFUNDED). */
  refunded?: number;
}

const TAX_RATE = 0.0825;
const round2 = (n: number) => Math.round(n * 100) / 100;

function lineItem(
  shop: ShopState,
  variant: ShopifyObject,
  quantity: number,
  fulfilled: number,
): ShopifyObject {
  const product = variant.product as ShopifyObject;
  const price = Number(variant.price);
  const cur = shop.currencyCode;
  const variantTitle = variant.title === 'Default Title' ? null : (variant.title as string);
  return {
    __typename: 'LineItem',
    id: shop.gid('LineItem'),
    title: product.title,
    name: variantTitle ? `${product.title} - ${variantTitle}` : product.title,
    variantTitle,
    sku: variant.sku,
    vendor: product.vendor,
    quantity,
    currentQuantity: quantity,
    unfulfilledQuantity: quantity - fulfilled,
    fulfillableQuantity: quantity - fulfilled,
    requiresShipping: true,
    taxable: true,
    isGiftCard: false,
    variant,
    product,
    originalUnitPriceSet: moneyBag(price, cur),
    discountedUnitPriceSet: moneyBag(price, cur),
    originalTotalSet: moneyBag(price * quantity, cur),
    discountedTotalSet: moneyBag(price * quantity, cur),
    totalDiscountSet: moneyBag(0, cur),
  };
}

function fulfillment(
  shop: ShopState,
  order: ShopifyObject,
  lines: ShopifyObject[],
  f: FulfillmentSeed,
  index: number,
): ShopifyObject {
  const items = f.lines.map((i) => lines[i]).filter(Boolean);
  return shop.add(undefined, {
    __typename: 'Fulfillment',
    id: shop.gid('Fulfillment'),
    name: `${order.name}-F${index + 1}`,
    status: 'SUCCESS',
    displayStatus: f.displayStatus,
    createdAt: f.createdAt,
    updatedAt: f.deliveredAt ?? f.createdAt,
    inTransitAt: f.displayStatus === 'CONFIRMED' || f.displayStatus === 'LABEL_PRINTED' ? null : f.createdAt,
    deliveredAt: f.deliveredAt ?? null,
    estimatedDeliveryAt: f.deliveredAt
      ? null
      : new Date(Date.parse(f.createdAt) + 4 * 86_400_000).toISOString(),
    requiresShipping: true,
    totalQuantity: items.reduce((n, li) => n + (li.quantity as number), 0),
    trackingInfo: [{ __typename: 'FulfillmentTrackingInfo', ...f.tracking }],
    location: shop.locations[0] ?? null,
    order,
    fulfillmentLineItems: items.map((li) => ({
      __typename: 'FulfillmentLineItem',
      id: `gid://shopify/FulfillmentLineItem/${gidNumber(String(li.id))}`,
      lineItem: li,
      quantity: li.quantity,
    })),
  });
}

function displayFulfillmentStatus(lines: ShopifyObject[]): string {
  const total = lines.reduce((n, li) => n + (li.quantity as number), 0);
  const open = lines.reduce((n, li) => n + (li.unfulfilledQuantity as number), 0);
  if (open === 0 && total > 0) return 'FULFILLED';
  return open < total ? 'PARTIALLY_FULFILLED' : 'UNFULFILLED';
}

export function addOrder(shop: ShopState, s: OrderSeed): ShopifyObject {
  const cur = shop.currencyCode;
  const fulfilledLines = new Set((s.fulfillments ?? []).flatMap((f) => f.lines));
  const lines = s.lines.map((l, i) =>
    lineItem(shop, l.variant, l.quantity, fulfilledLines.has(i) ? l.quantity : 0),
  );
  const subtotal = round2(
    lines.reduce((n, li) => n + Number((li.originalTotalSet as any).shopMoney.amount), 0),
  );
  const shipping = subtotal >= 75 ? 0 : 6.95;
  const tax = round2(subtotal * TAX_RATE);
  const total = round2(subtotal + shipping + tax);
  const refunded = s.cancelled || s.financialStatus === 'REFUNDED' ? total : round2(s.refunded ?? 0);
  const current = round2(total - refunded);
  const customer = s.customer;
  const name = `#${s.number}`;
  const address = (customer?.defaultAddress as ShopifyObject | null | undefined) ?? null;
  const order: ShopifyObject = {
    __typename: 'Order',
    id: shop.gid('Order'),
    name,
    number: s.number,
    confirmationNumber: `${String.fromCharCode(65 + (s.number % 26))}${(s.number * 7919).toString(36).toUpperCase().slice(-8)}`,
    email: (customer?.email as string | undefined) ?? null,
    phone: (customer?.phone as string | undefined) ?? null,
    customer: customer ?? null,
    createdAt: s.createdAt,
    processedAt: s.createdAt,
    updatedAt: s.closedAt ?? s.cancelled?.at ?? s.createdAt,
    closed: Boolean(s.closedAt || s.cancelled),
    closedAt: s.closedAt ?? s.cancelled?.at ?? null,
    cancelledAt: s.cancelled?.at ?? null,
    cancelReason: s.cancelled?.reason ?? null,
    note: s.note ?? null,
    tags: s.tags ?? [],
    displayFinancialStatus: s.financialStatus,
    currencyCode: cur,
    presentmentCurrencyCode: cur,
    test: false,
    sourceName: 'web',
    customerLocale: 'en',
    returnStatus: 'NO_RETURN',
    fullyPaid: s.financialStatus === 'PAID',
    unpaid: s.financialStatus === 'PENDING' || s.financialStatus === 'AUTHORIZED',
    capturable: s.financialStatus === 'AUTHORIZED',
    shippingAddress: address,
    billingAddress: address,
    subtotalPriceSet: moneyBag(subtotal, cur),
    currentSubtotalPriceSet: moneyBag(s.cancelled ? 0 : subtotal, cur),
    totalShippingPriceSet: moneyBag(shipping, cur),
    totalTaxSet: moneyBag(tax, cur),
    currentTotalTaxSet: moneyBag(s.cancelled ? 0 : tax, cur),
    totalDiscountsSet: moneyBag(0, cur),
    totalPriceSet: moneyBag(total, cur),
    currentTotalPriceSet: moneyBag(current, cur),
    totalRefundedSet: moneyBag(refunded, cur),
    totalOutstandingSet: moneyBag(
      s.financialStatus === 'PENDING' || s.financialStatus === 'AUTHORIZED' ? total : 0,
      cur,
    ),
    lineItems: lines,
    customAttributes: [],
  };
  order.statusPageUrl = `https://${shop.domain}/${gidNumber(String(shop.id))}/orders/${(gidNumber(String(order.id)) * 31).toString(16)}/authenticate?key=${(s.number * 104729).toString(16)}`;
  order.fulfillments = (s.fulfillments ?? []).map((f, i) => fulfillment(shop, order, lines, f, i));
  order.displayFulfillmentStatus = displayFulfillmentStatus(lines);
  for (const li of lines) shop.add(undefined, li);
  shop.add(shop.orders, order);

  if (customer) {
    (customer.orders as ShopifyObject[]).push(order);
    customer.numberOfOrders = String((customer.orders as ShopifyObject[]).length);
    const spent = Number((customer.amountSpent as { amount: string }).amount) + (s.cancelled ? 0 : current);
    customer.amountSpent = money(spent, cur);
    customer.lastOrder = order;
    customer.updatedAt = order.updatedAt;
  }
  return order;
}
