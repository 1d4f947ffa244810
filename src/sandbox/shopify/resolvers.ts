/**
 * One field resolver for the whole schema: property lookup over the world's plain objects (a
 * function property is called with the field's arguments), connections paginated and searched, and a
 * neutral default for a non-null field the seed left out — so any document a client builds against
 * the real schema executes instead of failing on a missing value.
 */
import {
  type GraphQLAbstractType,
  GraphQLEnumType,
  type GraphQLFieldResolver,
  GraphQLInterfaceType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  type GraphQLOutputType,
  GraphQLScalarType,
  type GraphQLTypeResolver,
  GraphQLUnionType,
  getNamedType,
} from 'graphql';
import { accessDenied, grants, requirementOf } from './access-scopes.ts';
import { type ConnectionArgs, paginate } from './connection.ts';
import { adminSchema } from './schema.ts';
import { gidNumber, type ShopifyObject, type ShopState } from './world.ts';

export interface ExecutionContext {
  shop: ShopState;
  scopes: ReadonlySet<string>;
  /** Injectable clock for `updatedAt` on writes. */
  now: () => Date;
}

/** The value of a non-null field the record does not have. */
function defaultFor(
  type: GraphQLOutputType,
  args: Record<string, unknown>,
  parent: unknown,
  field: string,
): unknown {
  if (type instanceof GraphQLNonNull) return defaultFor(type.ofType, args, parent, field);
  if (type instanceof GraphQLList) return [];
  if (type instanceof GraphQLEnumType) return type.getValues()[0]?.value;
  if (type instanceof GraphQLScalarType) {
    const id = (parent as ShopifyObject | undefined)?.id;
    switch (type.name) {
      case 'ID':
        return id ?? `gid://shopify/${(parent as ShopifyObject | undefined)?.__typename ?? 'Node'}/0`;
      case 'Int':
      case 'Float':
        return 0;
      case 'UnsignedInt64':
        // legacyResourceId is the number at the end of the gid.
        return field === 'legacyResourceId' && typeof id === 'string' ? String(gidNumber(id)) : '0';
      case 'Boolean':
        return false;
      case 'Decimal':
      case 'Money':
        return '0.0';
      case 'DateTime':
        return (parent as ShopifyObject | undefined)?.createdAt ?? '2026-01-01T00:00:00Z';
      default:
        return '';
    }
  }
  if (type instanceof GraphQLObjectType) {
    if (type.name.endsWith('Connection'))
      return paginate([], args as ConnectionArgs, type.name.slice(0, -10));
    return { __typename: type.name };
  }
  if (type instanceof GraphQLInterfaceType || type instanceof GraphQLUnionType) {
    const first = adminSchema().getPossibleTypes(type)[0];
    return first ? { __typename: first.name } : null;
  }
  return null;
}

export const fieldResolver: GraphQLFieldResolver<unknown, ExecutionContext> = (source, args, ctx, info) => {
  const named = getNamedType(info.returnType);
  const req = requirementOf(info.parentType.name, info.fieldName, named);
  if (req && !grants(ctx.scopes, req)) throw accessDenied(info.fieldName, req);

  let value =
    source && typeof source === 'object' ? (source as Record<string, unknown>)[info.fieldName] : undefined;
  if (typeof value === 'function') value = value(args, ctx);
  if (value === undefined || value === null) {
    return info.returnType instanceof GraphQLNonNull
      ? defaultFor(info.returnType, args, source, info.fieldName)
      : null;
  }
  if (named.name.endsWith('Connection') && Array.isArray(value)) {
    return paginate(value as ShopifyObject[], args as ConnectionArgs, named.name.slice(0, -10));
  }
  // Plain lists with a `first` argument (Order.fulfillments, Fulfillment.trackingInfo…).
  if (Array.isArray(value) && typeof args.first === 'number') return value.slice(0, args.first);
  return value;
};

export const typeResolver: GraphQLTypeResolver<unknown, ExecutionContext> = (
  value,
  _ctx,
  _info,
  abstractType,
) => {
  const name = (value as ShopifyObject | null)?.__typename;
  if (typeof name === 'string') return name;
  return adminSchema().getPossibleTypes(abstractType as GraphQLAbstractType)[0]?.name;
};
