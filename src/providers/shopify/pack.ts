/**
 * The "Order support" pack. Shopify offers no actions of its own (actionCount 0): these presets run
 * the pack's own actions. Parameter schemas follow OpenAI strict mode (every property required,
 * optional ones admitting null); the second factor is `email` or `phone` as the issue and Shopify
 * name them (the order's contact details, not necessarily the caller's).
 */
import type { ActionDefinition, Pack } from '../types.ts';

const opt = (description: string) => ({ type: ['string', 'null'], description });
const req = (description: string, maxLength = 200) => ({
  type: 'string',
  minLength: 1,
  maxLength,
  description,
});
const object = (properties: Record<string, unknown>) => ({
  type: 'object',
  properties,
  required: Object.keys(properties),
  additionalProperties: false,
});

const ORDER_NUMBER = req('The order number the caller reads out, e.g. "#1001" or "1001"', 40);
const SECOND_FACTOR = {
  email: opt('The email address on the order (give this or phone)'),
  phone: opt('The phone number on the order, any format (give this or email)'),
};

const ACTIONS: ActionDefinition[] = [
  {
    slug: 'lookup_order',
    name: 'Look up an order',
    description: 'Find one order by its number and the email or phone on it.',
    important: true,
    isWrite: false,
    parameters: object({ order_number: ORDER_NUMBER, ...SECOND_FACTOR }),
    config: [],
  },
  {
    slug: 'order_status_by_email',
    name: "Caller's recent orders",
    description: "The verified caller's last five orders in brief.",
    important: true,
    isWrite: false,
    requiresVerifiedIdentity: true,
    parameters: object({ email: req("The verified caller's email address", 254) }),
    config: [],
  },
  {
    slug: 'search_products',
    name: 'Search products',
    description: 'Find active products by what the caller asks for.',
    important: true,
    isWrite: false,
    parameters: object({ query: req('What the caller is looking for, e.g. "blue hoodie"') }),
    config: [],
  },
  {
    slug: 'check_inventory',
    name: 'Check inventory',
    description: 'Stock of one product variant per location, by SKU.',
    important: true,
    isWrite: false,
    parameters: object({ sku: req('The SKU of the product variant', 255) }),
    config: [],
  },
  {
    slug: 'add_order_note',
    name: 'Add a note to an order',
    description: "Append the caller's note to their order.",
    important: false,
    isWrite: true,
    requiresConfirmation: true,
    nonParallelizable: true,
    requiresVerifiedIdentity: true,
    landsDisabled: true,
    parameters: object({
      order_number: ORDER_NUMBER,
      ...SECOND_FACTOR,
      note: req("The note to add, in the caller's words", 1000),
    }),
    config: [],
  },
];

export const ORDER_SUPPORT_PACK: Pack = {
  slug: 'order_support',
  name: 'Order support',
  description:
    'Let callers check an order (with a second factor), hear their recent orders once verified, find products, check stock by SKU, and leave a note on their order.',
  actions: ACTIONS,
  presets: [
    {
      slug: 'lookup_order',
      name: 'Look up an order',
      action: 'lookup_order',
      toolName: 'lookup_order',
      requiredScopes: ['read_orders'],
      returns:
        'found, and the order: number, placed date, payment and fulfillment status, items (title, quantity), total with currency, shipments with carrier, tracking number and URL, cancellation',
      description:
        'Look up an order when the caller gives its number. Always also ask for the email or the phone number on the order and pass it; without a match the answer is found: false, which means the number or the contact detail is wrong — ask them to check both, never say which. Read the fulfillment status and, if shipped, the carrier and tracking number; never read URLs aloud.',
    },
    {
      slug: 'order_status_by_email',
      name: "Caller's recent orders",
      action: 'order_status_by_email',
      toolName: 'recent_orders_by_email',
      requiredScopes: ['read_orders'],
      returns:
        'count, and up to five orders: number, placed date, payment and fulfillment status, total, cancelled',
      description:
        "List the caller's five most recent orders, newest first, by their email address. Only for a caller whose identity the host application verified. Summarise briefly: number, date and status.",
    },
    {
      slug: 'search_products',
      name: 'Search products',
      action: 'search_products',
      toolName: 'search_products',
      requiredScopes: ['read_products'],
      returns: 'count, and up to five products: title, status, price range with currency, inStock',
      description:
        "Search the shop's active products when the caller asks whether you sell something or what it costs. Pass their words as query. Mention at most three results with their price; say when something is out of stock.",
    },
    {
      slug: 'check_inventory',
      name: 'Check inventory',
      action: 'check_inventory',
      toolName: 'check_inventory',
      requiredScopes: ['read_products', 'read_inventory'],
      returns: 'found, and per variant: product, variant, SKU, total available and available per location',
      description:
        'Check how many units of one product variant are available, per store location, by its SKU (the caller or a previous answer gives it). Say which locations have it.',
    },
    {
      slug: 'add_order_note',
      name: 'Add a note to an order',
      action: 'add_order_note',
      toolName: 'add_order_note',
      requiredScopes: ['write_orders'],
      returns: 'updated and the order number, or found: false',
      description:
        "Add the caller's note to their order (a delivery instruction, a gift message). Needs the order number plus the email or phone on the order. Read the note back and call with confirmed: true only once the caller agrees.",
    },
  ],
};
