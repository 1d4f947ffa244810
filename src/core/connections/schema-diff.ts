/** What changed between two discoveries of the same connection, for the re-discovery report. */
import type { NormalizedSchema, SchemaField, SchemaObject } from '../../providers/types.ts';

export interface FieldChange {
  field: string;
  /** Changed properties with their previous and new values. */
  changes: Record<string, { from: unknown; to: unknown }>;
}

export interface ObjectChange {
  object: string;
  fieldsAdded: string[];
  fieldsRemoved: string[];
  fieldsChanged: FieldChange[];
  /** Object-level properties that changed: kind, primaryKey, capabilities. */
  changes: Record<string, { from: unknown; to: unknown }>;
}

export interface SchemaDiff {
  changed: boolean;
  objectsAdded: string[];
  objectsRemoved: string[];
  objectsChanged: ObjectChange[];
  relationshipsAdded: string[];
  relationshipsRemoved: string[];
  /** Same name, different definition (columns, cardinality, args…). */
  relationshipsChanged: string[];
  operationsAdded: string[];
  operationsRemoved: string[];
  operationsChanged: string[];
}

const FIELD_PROPS = [
  'type',
  'nativeType',
  'enumValues',
  'isArray',
  'nullable',
  'primaryKey',
  'unique',
  'leadingIndex',
  'hasDefault',
  'generated',
  'pii',
] as const satisfies readonly (keyof SchemaField)[];
const OBJECT_PROPS = [
  'kind',
  'primaryKey',
  'capabilities',
] as const satisfies readonly (keyof SchemaObject)[];

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

function propertyChanges<T>(prev: T, next: T, props: readonly (keyof T)[]) {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const prop of props) {
    if (!same(prev[prop], next[prop]))
      changes[prop as string] = { from: prev[prop] ?? null, to: next[prop] ?? null };
  }
  return changes;
}

function addedRemoved(prev: string[], next: string[]) {
  const before = new Set(prev);
  const after = new Set(next);
  return {
    added: next.filter((n) => !before.has(n)).sort(),
    removed: prev.filter((n) => !after.has(n)).sort(),
  };
}

function diffNamed<T extends { name: string }>(prev: T[], next: T[]) {
  const before = new Map(prev.map((item) => [item.name, item]));
  const { added, removed } = addedRemoved(
    [...before.keys()],
    next.map((item) => item.name),
  );
  const changed = next
    .filter((item) => before.has(item.name) && !same(before.get(item.name), item))
    .map((item) => item.name)
    .sort();
  return { added, removed, changed };
}

function diffObject(prev: SchemaObject, next: SchemaObject): ObjectChange | null {
  const prevFields = new Map(prev.fields.map((f) => [f.name, f]));
  const nextFields = new Map(next.fields.map((f) => [f.name, f]));
  const { added, removed } = addedRemoved([...prevFields.keys()], [...nextFields.keys()]);
  const fieldsChanged: FieldChange[] = [];
  for (const [name, field] of nextFields) {
    const before = prevFields.get(name);
    if (!before) continue;
    const changes = propertyChanges(before, field, FIELD_PROPS);
    if (Object.keys(changes).length > 0) fieldsChanged.push({ field: name, changes });
  }
  const changes = propertyChanges(prev, next, OBJECT_PROPS);
  if (added.length + removed.length + fieldsChanged.length + Object.keys(changes).length === 0) return null;
  return { object: next.name, fieldsAdded: added, fieldsRemoved: removed, fieldsChanged, changes };
}

export function diffSchemas(prev: NormalizedSchema | null, next: NormalizedSchema): SchemaDiff {
  const before = prev ?? { objects: [], relationships: [], operations: [] };
  const prevObjects = new Map(before.objects.map((o) => [o.name, o]));
  const objects = addedRemoved(
    [...prevObjects.keys()],
    next.objects.map((o) => o.name),
  );
  const objectsChanged: ObjectChange[] = [];
  for (const object of next.objects) {
    const old = prevObjects.get(object.name);
    const change = old ? diffObject(old, object) : null;
    if (change) objectsChanged.push(change);
  }
  const relationships = diffNamed(before.relationships, next.relationships);
  const operations = diffNamed(before.operations, next.operations);
  const diff: SchemaDiff = {
    changed: false,
    objectsAdded: objects.added,
    objectsRemoved: objects.removed,
    objectsChanged: objectsChanged.sort((a, b) => (a.object < b.object ? -1 : 1)),
    relationshipsAdded: relationships.added,
    relationshipsRemoved: relationships.removed,
    relationshipsChanged: relationships.changed,
    operationsAdded: operations.added,
    operationsRemoved: operations.removed,
    operationsChanged: operations.changed,
  };
  diff.changed = [
    diff.objectsAdded,
    diff.objectsRemoved,
    diff.objectsChanged,
    diff.relationshipsAdded,
    diff.relationshipsRemoved,
    diff.relationshipsChanged,
    diff.operationsAdded,
    diff.operationsRemoved,
    diff.operationsChanged,
  ].some((list) => list.length > 0);
  return diff;
}
