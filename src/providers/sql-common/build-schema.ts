/** Catalog → normalized schema (SPEC §6): fields with key/index/PII flags, relationships, operations. */

import { classifyPii } from '../pii.ts';
import type { NormalizedSchema, SchemaField, SchemaObject, SchemaOperation } from '../types.ts';
import { type Catalog, type CatalogRelation, relationKey } from './catalog.ts';
import { humanLabel, objectNames } from './naming.ts';
import { objectOperations, updateKeyColumn } from './operations.ts';
import { buildRelationships, type ResolvedForeignKey } from './relationships.ts';

/** One field per column, aligned with `relation.columns`: null where the user cannot SELECT it. */
function buildFields(object: string, relation: CatalogRelation): (SchemaField | null)[] {
  const pk = relation.primaryKey;
  const unique = new Set<string>();
  for (const key of relation.uniqueKeys) if (key.length === 1) unique.add(key[0]);
  if (pk.length === 1) unique.add(pk[0]);
  const leading = new Set(relation.leadingColumns);
  const fields: (SchemaField | null)[] = [];
  for (const c of relation.columns) {
    if (!c.privileges.select) {
      fields.push(null);
      continue;
    }
    const field: SchemaField = {
      name: c.name,
      type: c.type,
      nativeType: c.nativeType,
      nullable: c.nullable,
      primaryKey: pk.includes(c.name),
      unique: unique.has(c.name),
      leadingIndex: leading.has(c.name),
      hasDefault: c.hasDefault,
      generated: c.generated,
      comment: c.comment,
      pii: classifyPii({ name: c.name, type: c.type, comment: c.comment, objectName: object }),
    };
    if (relation.lowerIndexed?.includes(c.name)) field.caseInsensitiveIndex = true;
    if (c.enumValues) field.enumValues = c.enumValues;
    if (c.isArray) field.isArray = true;
    fields.push(field);
  }
  return fields;
}

/** A column set as one string, whatever the order: `['b', 'a']` and `['a', 'b']` match. */
const columnSetKey = (columns: string[]) =>
  columns.length === 1 ? columns[0] : [...columns].sort().join('\u0000');

function uniqueSets(relation: CatalogRelation): Set<string> {
  const sets = new Set<string>();
  if (relation.primaryKey.length > 0) sets.add(columnSetKey(relation.primaryKey));
  for (const key of relation.uniqueKeys) sets.add(columnSetKey(key));
  return sets;
}

const allIn = (columns: string[], visible: Set<string>) => {
  for (const column of columns) if (!visible.has(column)) return false;
  return true;
};

/** Builds the normalized schema; objects and operations sorted by name for stable output. */
export function buildNormalizedSchema(catalog: Catalog): NormalizedSchema {
  const names = objectNames(catalog.relations, catalog.defaultSchema);
  const relations = new Map(catalog.relations.map((r) => [relationKey(r.schema, r.table), r]));
  const objects: SchemaObject[] = [];
  const operations: SchemaOperation[] = [];
  const visibleFields = new Map<string, Set<string>>();

  for (const relation of catalog.relations) {
    const name = names.get(relationKey(relation.schema, relation.table))!;
    const aligned = buildFields(name, relation);
    const fields: SchemaField[] = [];
    const visible = new Set<string>();
    for (const field of aligned) {
      if (!field) continue;
      fields.push(field);
      visible.add(field.name);
    }
    visibleFields.set(name, visible);
    const built = objectOperations(name, relation, aligned);
    for (const operation of built.operations) operations.push(operation);
    const meta: Record<string, unknown> = { ...relation.meta, uniqueKeys: relation.uniqueKeys };
    const updateKey = updateKeyColumn(relation);
    if (updateKey) meta.updateKey = updateKey;
    if (relation.comment) meta.comment = relation.comment;
    objects.push({
      name,
      label: humanLabel(relation.table, name.includes('.') ? relation.schema : undefined),
      kind: relation.kind,
      source: { schema: relation.schema, table: relation.table },
      fields,
      capabilities: built.capabilities,
      primaryKey: relation.primaryKey,
      meta,
    });
  }

  // Only keys between visible objects over visible columns: a relationship must be followable.
  const resolved: ResolvedForeignKey[] = [];
  const uniqueByKey = new Map<string, Set<string>>();
  for (const fk of catalog.foreignKeys) {
    const fromKey = relationKey(fk.from.schema, fk.from.table);
    const fromObject = names.get(fromKey);
    const toObject = names.get(relationKey(fk.to.schema, fk.to.table));
    if (!fromObject || !toObject) continue;
    if (
      !allIn(fk.from.columns, visibleFields.get(fromObject)!) ||
      !allIn(fk.to.columns, visibleFields.get(toObject)!)
    )
      continue;
    const unique = uniqueByKey.get(fromKey) ?? uniqueSets(relations.get(fromKey)!);
    uniqueByKey.set(fromKey, unique);
    resolved.push({
      constraint: fk.name,
      fromObject,
      fromTable: fk.from.table,
      fromColumns: fk.from.columns,
      toObject,
      toTable: fk.to.table,
      toColumns: fk.to.columns,
      fromColumnsUnique: unique.has(columnSetKey(fk.from.columns)),
    });
  }

  const byName = (a: { name: string }, b: { name: string }) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  return {
    objects: objects.sort(byName),
    relationships: buildRelationships(resolved),
    operations: operations.sort(byName),
  };
}
