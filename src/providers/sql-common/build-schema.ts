/** Catalog → normalized schema (SPEC §6): fields with key/index/PII flags, relationships, operations. */
import type { NormalizedSchema, SchemaField, SchemaObject, SchemaOperation } from '../types.ts';
import { type Catalog, type CatalogRelation, relationKey } from './catalog.ts';
import { humanLabel, objectNames } from './naming.ts';
import { objectOperations, updateKeyColumn } from './operations.ts';
import { classifyPii } from './pii.ts';
import { buildRelationships, type ResolvedForeignKey } from './relationships.ts';

function buildFields(object: string, relation: CatalogRelation): SchemaField[] {
  const pk = new Set(relation.primaryKey);
  const unique = new Set(relation.uniqueKeys.filter((k) => k.length === 1).map((k) => k[0]));
  if (relation.primaryKey.length === 1) unique.add(relation.primaryKey[0]);
  const leading = new Set(relation.leadingColumns);
  return relation.columns
    .filter((c) => c.privileges.select)
    .map((c) => {
      const field: SchemaField = {
        name: c.name,
        type: c.type,
        nativeType: c.nativeType,
        nullable: c.nullable,
        primaryKey: pk.has(c.name),
        unique: unique.has(c.name),
        leadingIndex: leading.has(c.name),
        hasDefault: c.hasDefault,
        generated: c.generated,
        comment: c.comment,
        pii: classifyPii({ name: c.name, type: c.type, comment: c.comment, objectName: object }),
      };
      if (c.enumValues) field.enumValues = c.enumValues;
      if (c.isArray) field.isArray = true;
      return field;
    });
}

function isUniqueSet(relation: CatalogRelation, columns: string[]): boolean {
  const sameSet = (key: string[]) => key.length === columns.length && key.every((c) => columns.includes(c));
  return (
    (relation.primaryKey.length > 0 && sameSet(relation.primaryKey)) || relation.uniqueKeys.some(sameSet)
  );
}

/** Builds the normalized schema; objects and operations sorted by name for stable output. */
export function buildNormalizedSchema(catalog: Catalog): NormalizedSchema {
  const names = objectNames(catalog.relations, catalog.defaultSchema);
  const relations = new Map(catalog.relations.map((r) => [relationKey(r.schema, r.table), r]));
  const objects: SchemaObject[] = [];
  const operations: SchemaOperation[] = [];
  const visibleFields = new Map<string, Set<string>>();

  for (const relation of catalog.relations) {
    const name = names.get(relationKey(relation.schema, relation.table))!;
    const fields = buildFields(name, relation);
    visibleFields.set(name, new Set(fields.map((f) => f.name)));
    const built = objectOperations(name, relation, fields);
    operations.push(...built.operations);
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
  for (const fk of catalog.foreignKeys) {
    const fromKey = relationKey(fk.from.schema, fk.from.table);
    const toKey = relationKey(fk.to.schema, fk.to.table);
    const fromObject = names.get(fromKey);
    const toObject = names.get(toKey);
    if (!fromObject || !toObject) continue;
    const fromVisible = visibleFields.get(fromObject)!;
    const toVisible = visibleFields.get(toObject)!;
    if (!fk.from.columns.every((c) => fromVisible.has(c)) || !fk.to.columns.every((c) => toVisible.has(c)))
      continue;
    resolved.push({
      constraint: fk.name,
      fromObject,
      fromTable: fk.from.table,
      fromColumns: fk.from.columns,
      toObject,
      toTable: fk.to.table,
      toColumns: fk.to.columns,
      fromColumnsUnique: isUniqueSet(relations.get(fromKey)!, fk.from.columns),
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
