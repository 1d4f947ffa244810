/**
 * Query cost, after Shopify's published model (shopify.dev "GraphQL Admin API rate limits"),
 * simplified:
 *  - scalar and enum fields cost 0, an object field 1 plus its selection;
 *  - a connection costs 2 plus `first`/`last` (default 10) times the cost of one node's selection;
 *  - a plain list with `first` costs `first` times one element, other lists one element;
 *  - each mutation field costs 10 plus its selection;
 *  - fragments are added up (Shopify takes the maximum over type conditions: ours over-estimates).
 * The actual cost charged is 1 per object in the response (a connection object counts 2), never more than
 * requested — Shopify likewise refunds the difference once it knows the real sizes.
 */
import {
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  GraphQLInterfaceType,
  GraphQLObjectType,
  type GraphQLSchema,
  getNamedType,
  isCompositeType,
  isListType,
  isNonNullType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  typeFromAST,
  valueFromAST,
} from 'graphql';

const DEFAULT_PAGE = 10;

function fieldOf(type: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> | undefined {
  if (type instanceof GraphQLObjectType || type instanceof GraphQLInterfaceType)
    return type.getFields()[name];
  return undefined;
}

export function requestedCost(
  schema: GraphQLSchema,
  doc: DocumentNode,
  op: OperationDefinitionNode,
  variables: Record<string, unknown>,
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of doc.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const seen = new Set<string>();

  const argNumber = (node: { arguments?: readonly any[] }, name: string): number | undefined => {
    const arg = node.arguments?.find((a) => a.name.value === name);
    if (!arg) return undefined;
    if (arg.value.kind === Kind.VARIABLE) {
      const v = variables[arg.value.name.value];
      return typeof v === 'number' ? v : undefined;
    }
    const v = valueFromAST(arg.value, schema.getType('Int') as any);
    return typeof v === 'number' ? v : undefined;
  };

  function selection(set: SelectionSetNode | undefined, parent: GraphQLCompositeType, depth: number): number {
    if (!set || depth > 30) return 0;
    let total = 0;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        const field = fieldOf(parent, sel.name.value);
        if (!field) continue;
        const named = getNamedType(field.type);
        if (!isCompositeType(named)) continue;
        const inner = selection(sel.selectionSet, named, depth + 1);
        const unwrapped = isNonNullType(field.type) ? field.type.ofType : field.type;
        if (named.name.endsWith('Connection')) {
          const n = argNumber(sel, 'first') ?? argNumber(sel, 'last') ?? DEFAULT_PAGE;
          total += 2 + n * Math.max(1, inner);
        } else if (isListType(unwrapped)) {
          total += (argNumber(sel, 'first') ?? 1) * (1 + inner);
        } else {
          total += 1 + inner;
        }
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        const cond = sel.typeCondition
          ? (typeFromAST(schema, sel.typeCondition) as GraphQLCompositeType)
          : parent;
        total += selection(sel.selectionSet, cond ?? parent, depth + 1);
      } else {
        const frag = fragments.get(sel.name.value);
        if (!frag || seen.has(frag.name.value)) continue;
        seen.add(frag.name.value);
        const cond = typeFromAST(schema, frag.typeCondition) as GraphQLCompositeType | undefined;
        total += selection(frag.selectionSet, cond ?? parent, depth + 1);
        seen.delete(frag.name.value);
      }
    }
    return total;
  }

  const root = op.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType();
  if (!root) return 1;
  if (op.operation === 'mutation') {
    let total = 0;
    for (const sel of op.selectionSet.selections) {
      const field = sel.kind === Kind.FIELD ? root.getFields()[sel.name.value] : undefined;
      const named = field ? getNamedType(field.type) : undefined;
      total +=
        10 +
        (sel.kind === Kind.FIELD && named && isCompositeType(named)
          ? selection(sel.selectionSet, named, 1)
          : 0);
    }
    return total;
  }
  return Math.max(1, selection(op.selectionSet, root, 0));
}

/** What the answer actually held: 1 per object (2 more per connection), capped at `requested`. */
export function actualCost(data: unknown, requested: number): number {
  let n = 0;
  const walk = (v: unknown) => {
    if (Array.isArray(v)) {
      for (const x of v) walk(x);
    } else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      n += 'pageInfo' in o || 'edges' in o || 'nodes' in o ? 2 : 1;
      for (const x of Object.values(o)) walk(x);
    }
  };
  if (data && typeof data === 'object') for (const x of Object.values(data)) walk(x);
  return Math.max(1, Math.min(requested, n));
}
