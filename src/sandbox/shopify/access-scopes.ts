/**
 * Access scopes, from Shopify's own table shipped with the schema (`offline_scopes`): a field that
 * names scopes needs one of them; otherwise entering a type that names scopes (`Order`, `Customer`,
 * the node type of a `…Connection`) needs one of the type's. A denied field resolves to null with
 * Shopify's ACCESS_DENIED error.
 */
import { GraphQLError, type GraphQLNamedType } from 'graphql';
import { offlineScopeItems } from './schema.ts';

interface Requirement {
  scopes: string[];
  /** Shopify's sentence, e.g. "`read_orders` access scope, … or `read_quick_sale` access scope." */
  requiredAccess: string;
}

let fieldReqs: Map<string, Requirement> | undefined;
let typeReqs: Map<string, Requirement> | undefined;

function tables(): [Map<string, Requirement>, Map<string, Requirement>] {
  if (!fieldReqs || !typeReqs) {
    fieldReqs = new Map();
    typeReqs = new Map();
    for (const item of offlineScopeItems()) {
      if (item.offlineScopes.length === 0) continue;
      const req = { scopes: item.offlineScopes, requiredAccess: item.requiredAccess };
      if (item.type === 'field' && item.fieldName) fieldReqs.set(`${item.typeName}.${item.fieldName}`, req);
      else if (item.type === 'type') typeReqs.set(item.typeName, req);
    }
  }
  return [fieldReqs, typeReqs];
}

export const ACCESS_SCOPES_DOC = 'https://shopify.dev/api/usage/access-scopes';

const memo = new Map<string, Requirement | null>();

/** What reading `parent.field` (returning `returnType`) requires, or null. */
export function requirementOf(
  parent: string,
  field: string,
  returnType: GraphQLNamedType,
): Requirement | null {
  const key = `${parent}.${field}`;
  const cached = memo.get(key);
  if (cached !== undefined) return cached;
  const [fields, types] = tables();
  const target = returnType.name.endsWith('Connection') ? returnType.name.slice(0, -10) : returnType.name;
  // Inside a type (Order.name), only the field's own requirement applies; the type was checked on entry.
  const req = fields.get(key) ?? (target !== parent ? (types.get(target) ?? null) : null);
  memo.set(key, req);
  return req;
}

/** Whether granted scopes satisfy the requirement (`write_x` implies `read_x`, as in Shopify). */
export function grants(granted: ReadonlySet<string>, req: Requirement): boolean {
  return req.scopes.some(
    (s) => granted.has(s) || (s.startsWith('read_') && granted.has(`write_${s.slice(5)}`)),
  );
}

export function accessDenied(field: string, req: Requirement): GraphQLError {
  return new GraphQLError(`Access denied for ${field} field. Required access: ${req.requiredAccess}`, {
    extensions: {
      code: 'ACCESS_DENIED',
      documentation: ACCESS_SCOPES_DOC,
      requiredAccess: req.requiredAccess,
    },
  });
}

/** The type-level requirement of a record type (for `node(id:)`, whose return type is an interface). */
export function typeRequirement(typeName: string): Requirement | null {
  return tables()[1].get(typeName) ?? null;
}
