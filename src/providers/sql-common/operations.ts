/**
 * Operations and capabilities of one SQL object, only where the user's privileges allow them:
 * - `<object>.search_by_<column>` (verb `search`, read) for each readable leading-index column;
 * - `<object>.get` (read) by primary key;
 * - `<object>.insert` (write) when every column an insert must supply can be written;
 * - `<object>.update` (write) by a single-column unique key (the PK if it has one column), when some
 *   other column may be updated. The key column is the one required arg; the rest are optional.
 */
import type { Capability, OperationArg, SchemaField, SchemaOperation } from '../types.ts';
import type { CatalogColumn, CatalogRelation } from './catalog.ts';

function argOf(field: SchemaField, required: boolean): OperationArg {
  const arg: OperationArg = { name: field.name, type: field.type, required };
  if (field.isArray) arg.isArray = true;
  return arg;
}

/** The column an UPDATE is keyed by: a one-column PK, else the first one-column unique key. */
export function updateKeyColumn(relation: CatalogRelation): string | null {
  if (relation.primaryKey.length === 1) return relation.primaryKey[0];
  const single = relation.uniqueKeys.filter((key) => key.length === 1).map((key) => key[0]);
  return single.sort()[0] ?? null;
}

function insertOperation(object: string, relation: CatalogRelation, fields: Map<string, SchemaField>) {
  if (!relation.accepts.insert) return null;
  const mustSupply = (c: CatalogColumn) => c.writable && !c.nullable && !c.hasDefault;
  if (relation.columns.some((c) => mustSupply(c) && !c.privileges.insert)) return null;
  const args = relation.columns
    .filter((c) => c.writable && c.privileges.insert && fields.has(c.name))
    .map((c) => argOf(fields.get(c.name)!, mustSupply(c)));
  if (args.length === 0) return null;
  return op(object, 'insert', 'write', args, object);
}

function updateOperation(object: string, relation: CatalogRelation, fields: Map<string, SchemaField>) {
  if (!relation.accepts.update) return null;
  const key = updateKeyColumn(relation);
  if (!key || !fields.has(key)) return null;
  const settable = relation.columns.filter(
    (c) => c.name !== key && c.writable && c.privileges.update && fields.has(c.name),
  );
  if (settable.length === 0) return null;
  const args = [argOf(fields.get(key)!, true), ...settable.map((c) => argOf(fields.get(c.name)!, false))];
  return op(object, 'update', 'write', args, object);
}

function op(
  object: string,
  verb: string,
  kind: 'read' | 'write',
  args: OperationArg[],
  returns: string,
  suffix = verb,
): SchemaOperation {
  return { name: `${object}.${suffix}`, object, kind, verb, args, returns };
}

/** Operations and capabilities for one object whose readable fields are `fields`. */
export function objectOperations(
  object: string,
  relation: CatalogRelation,
  fields: SchemaField[],
): { operations: SchemaOperation[]; capabilities: Capability[] } {
  const byName = new Map(fields.map((f) => [f.name, f]));
  const operations: SchemaOperation[] = [];
  for (const field of fields) {
    if (!field.leadingIndex) continue;
    operations.push(
      op(object, 'search', 'read', [argOf(field, true)], `${object}[]`, `search_by_${field.name}`),
    );
  }
  const pk = relation.primaryKey;
  if (pk.length > 0 && pk.every((c) => byName.has(c))) {
    operations.push(
      op(
        object,
        'get',
        'read',
        pk.map((c) => argOf(byName.get(c)!, true)),
        object,
      ),
    );
  }
  const insert = insertOperation(object, relation, byName);
  if (insert) operations.push(insert);
  const update = updateOperation(object, relation, byName);
  if (update) operations.push(update);

  const capabilities: Capability[] = ['read'];
  if (operations.some((o) => o.verb === 'search')) capabilities.push('search');
  if (insert) capabilities.push('create');
  if (update) capabilities.push('update');
  return { operations, capabilities };
}
