/**
 * Mutations. `orderUpdate` edits the in-memory order; any other mutation answers its payload with a
 * userError, the way Shopify reports a refused input, instead of a GraphQL error.
 */
import { GraphQLObjectType, getNamedType } from 'graphql';
import type { ExecutionContext } from './resolvers.ts';
import { adminSchema } from './schema.ts';
import type { ShopifyObject } from './world.ts';

type Args = Record<string, any>;

const userError = (field: string[] | null, message: string) => ({ __typename: 'UserError', field, message });

function orderUpdate(args: Args, ctx: ExecutionContext) {
  const input = (args.input ?? {}) as Record<string, any>;
  const order = ctx.shop.nodes.get(String(input.id));
  if (order?.__typename !== 'Order') {
    return { order: null, userErrors: [userError(['id'], 'Order does not exist')] };
  }
  if (input.email !== undefined && input.email !== null && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(input.email)) {
    return { order: null, userErrors: [userError(['email'], 'Email is invalid')] };
  }
  for (const key of ['note', 'email', 'phone', 'poNumber'] as const) {
    if (input[key] !== undefined) order[key] = input[key];
  }
  if (input.tags !== undefined) order.tags = [...new Set((input.tags ?? []) as string[])].sort();
  if (input.customAttributes !== undefined) {
    order.customAttributes = ((input.customAttributes ?? []) as Args[]).map((a) => ({
      __typename: 'Attribute',
      key: a.key,
      value: a.value,
    }));
  }
  if (input.shippingAddress) {
    order.shippingAddress = {
      ...((order.shippingAddress as ShopifyObject | undefined) ?? { __typename: 'MailingAddress' }),
      ...input.shippingAddress,
    };
  }
  order.updatedAt = ctx.now().toISOString();
  return { order, userErrors: [] };
}

const HANDLERS: Record<string, (args: Args, ctx: ExecutionContext) => unknown> = { orderUpdate };

/** Mutation names without a handler, with whether their payload has `userErrors` (computed once). */
let unsupported: Map<string, boolean> | undefined;

function unsupportedMutations(): Map<string, boolean> {
  if (!unsupported) {
    unsupported = new Map();
    const mutationType = adminSchema().getMutationType() as GraphQLObjectType;
    for (const [name, field] of Object.entries(mutationType.getFields())) {
      if (HANDLERS[name]) continue;
      const payload = getNamedType(field.type);
      unsupported.set(name, payload instanceof GraphQLObjectType && 'userErrors' in payload.getFields());
    }
  }
  return unsupported;
}

export function mutationRoot(ctx: ExecutionContext): Record<string, (args: Args) => unknown> {
  const root: Record<string, (args: Args) => unknown> = {};
  for (const [name, handler] of Object.entries(HANDLERS)) root[name] = (args) => handler(args, ctx);
  for (const [name, hasUserErrors] of unsupportedMutations()) {
    root[name] = () =>
      hasUserErrors ? { userErrors: [userError(null, `${name} is not supported by the sandbox`)] } : null;
  }
  return root;
}
