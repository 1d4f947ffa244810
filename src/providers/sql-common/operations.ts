/**
 * Operations and capabilities of one SQL object, only where the user's privileges allow them:
 * - `<object>.search_by_<column>` (verb `search`, read) for each readable leading-index column;
 * - `<object>.get` (read) by primary key;
 * - `<object>.insert` (write) when every column an insert must supply can be written;
 * - `<object>.update` (write) by a single-column unique key (the PK if it has one column), when some
 *   other column may be updated. The key column is the one required arg; the rest are optional.
 *
 * Written as plain loops: discovery of a 1,000-table database builds some 30,000 args here.
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
  let key: string | null = null;
  for (const unique of relation.uniqueKeys) {
    if (unique.length === 1 && (key === null || unique[0] < key)) key = unique[0];
  }
  return key;
}

const mustSupply = (c: CatalogColumn) => c.writable && !c.nullable && !c.hasDefault;

/** `fields[i]` is the field of `relation.columns[i]`, or null where the user cannot read it. */
function insertArgs(relation: CatalogRelation, fields: (SchemaField | null)[]): OperationArg[] | null {
  if (!relation.accepts.insert) return null;
  const args: OperationArg[] = [];
  for (let i = 0; i < relation.columns.length; i++) {
    const column = relation.columns[i];
    const required = mustSupply(column);
    if (!column.privileges.insert) {
      if (required) return null;
      continue;
    }
    const field = fields[i];
    if (column.writable && field) args.push(argOf(field, required));
  }
  return args.length > 0 ? args : null;
}

function updateArgs(relation: CatalogRelation, fields: (SchemaField | null)[], key: string | null) {
  if (!relation.accepts.update || key === null) return null;
  let keyArg: OperationArg | null = null;
  const args: OperationArg[] = [];
  for (let i = 0; i < relation.columns.length; i++) {
    const column = relation.columns[i];
    const field = fields[i];
    if (!field) continue;
    if (column.name === key) keyArg = argOf(field, true);
    else if (column.writable && column.privileges.update) args.push(argOf(field, false));
  }
  if (!keyArg || args.length === 0) return null;
  args.unshift(keyArg);
  return args;
}

function op(
  object: string,
  suffix: string,
  verb: string,
  kind: 'read' | 'write',
  args: OperationArg[],
  returns: string,
) {
  const operation: SchemaOperation = { name: `${object}.${suffix}`, object, kind, verb, args, returns };
  return operation;
}

/** Operations and capabilities for one object; `fields` is aligned with `relation.columns`. */
export function objectOperations(
  object: string,
  relation: CatalogRelation,
  fields: (SchemaField | null)[],
): { operations: SchemaOperation[]; capabilities: Capability[] } {
  const operations: SchemaOperation[] = [];
  const many = `${object}[]`;
  let searchable = false;
  for (const field of fields) {
    // A `lower(column)` index serves the case-insensitive form of the search (bindings' `match`).
    if (!field?.leadingIndex && !field?.caseInsensitiveIndex) continue;
    operations.push(op(object, `search_by_${field.name}`, 'search', 'read', [argOf(field, true)], many));
    searchable = true;
  }
  const pk = relation.primaryKey;
  if (pk.length > 0) {
    const args: OperationArg[] = [];
    for (const name of pk) {
      const index = relation.columns.findIndex((c) => c.name === name);
      if (fields[index]) args.push(argOf(fields[index]!, true));
    }
    if (args.length === pk.length) operations.push(op(object, 'get', 'get', 'read', args, object));
  }
  const insert = insertArgs(relation, fields);
  if (insert) operations.push(op(object, 'insert', 'insert', 'write', insert, object));
  const update = updateArgs(relation, fields, updateKeyColumn(relation));
  if (update) operations.push(op(object, 'update', 'update', 'write', update, object));

  const capabilities: Capability[] = ['read'];
  if (searchable) capabilities.push('search');
  if (insert) capabilities.push('create');
  if (update) capabilities.push('update');
  return { operations, capabilities };
}
