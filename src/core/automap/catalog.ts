/**
 * Auto-map's lexical index over a discovered schema: per object its name stems, its fields split
 * into stems (`units_in_stock` → unit, stock), the read filters it offers (one-argument read
 * operations), the columns a goal could filter by that have no index, its writes, its many-to-one
 * hops and the fields that label a row; plus an inverted index from stems (and their lexicon
 * synonyms) to objects. Built once per schema object and kept while that object lives: the
 * discovery layer hands out one object per discovered version and scoping, so a new discovery or
 * a scoping change is a new index.
 */
import type {
  NormalizedSchema,
  SchemaField,
  SchemaObject,
  SchemaOperation,
  SchemaRelationship,
} from '../../providers/types.ts';
import { BINDABLE_TYPES } from '../bindings/index.ts';
import { related, STOP, stem, words } from './lexicon.ts';

export interface FieldEntry {
  field: SchemaField;
  /** Content stems of the name, `id` included. */
  stems: string[];
  /** Stems of the column comment, if any: weaker evidence. */
  commentStems: string[];
  scalar: boolean;
}

export interface FilterEntry {
  /** The argument the caller's value goes to (a column for SQL, a search field for GraphQL). */
  arg: string;
  op: SchemaOperation;
  /** The object's field of that name, when there is one. */
  field: SchemaField | null;
  stems: string[];
}

export interface HopEntry {
  rel: SchemaRelationship;
  /** The first path element: the relationship name without the object prefix. */
  step: string;
  target: string;
  /** Stems of the role (`ship_via`, `reports_to`, `manager_staff`) and of the target's name. */
  roleStems: string[];
  targetStems: string[];
  /** The one-column foreign key the hop follows, when there is one. */
  fk: string | null;
}

export interface ObjectEntry {
  object: SchemaObject;
  /** Stems of the object's own name (the last dotted part) and of its label. */
  stems: string[];
  fields: FieldEntry[];
  filters: FilterEntry[];
  /** Scalar fields with no read filter: what an index would make bindable. */
  unindexed: FieldEntry[];
  insert: SchemaOperation | null;
  update: SchemaOperation | null;
  hops: HopEntry[];
  /** A link table: every column a key, a foreign key or a timestamp. */
  link: boolean;
}

export interface Catalog {
  schema: NormalizedSchema;
  objects: ObjectEntry[];
  byName: Map<string, ObjectEntry>;
  /** Stem (and every synonym of it) → objects whose name holds it. */
  byStem: Map<string, ObjectEntry[]>;
  /** Stem → objects with a filter or an unindexed field holding it (when no object is named). */
  byFieldStem: Map<string, ObjectEntry[]>;
}

export const contentStems = (name: string) =>
  words(name)
    .map(stem)
    .filter((s) => !STOP.has(s));

export const scalarField = (f: SchemaField) =>
  BINDABLE_TYPES.has(f.type) && !f.isArray && f.pii !== 'credential' && f.type !== 'binary';

const fieldEntry = (field: SchemaField): FieldEntry => ({
  field,
  stems: contentStems(field.name),
  commentStems: field.comment ? contentStems(field.comment).slice(0, 12) : [],
  scalar: scalarField(field),
});

const push = <K, V>(m: Map<K, V[]>, k: K, v: V) => {
  const list = m.get(k);
  if (!list) m.set(k, [v]);
  else if (list[list.length - 1] !== v) list.push(v);
};

function buildCatalog(schema: NormalizedSchema): Catalog {
  const opsOf = new Map<string, SchemaOperation[]>();
  for (const op of schema.operations) push(opsOf, op.object, op);
  const relsOf = new Map<string, SchemaRelationship[]>();
  for (const r of schema.relationships) if (r.cardinality !== 'one_to_many') push(relsOf, r.from.object, r);
  const objects: ObjectEntry[] = [];
  const byName = new Map<string, ObjectEntry>();
  for (const object of schema.objects) {
    const ops = opsOf.get(object.name) ?? [];
    const fields = object.fields.map(fieldEntry);
    const fieldByName = new Map(fields.map((f) => [f.field.name, f]));
    const filters: FilterEntry[] = [];
    const seen = new Set<string>();
    // `search_by_x` before `get`: both take the key, the search answers in rows like every other.
    const reads = ops
      .filter((o) => o.kind === 'read' && o.args.length === 1)
      .sort(
        (a, b) => Number(b.verb === 'search') - Number(a.verb === 'search') || (a.name < b.name ? -1 : 1),
      );
    for (const op of reads) {
      const arg = op.args[0];
      if (seen.has(arg.name) || arg.isArray) continue;
      const fe = fieldByName.get(arg.name) ?? null;
      // A SQL filter is a leading-index column; a GraphQL search field need not be a field.
      if (fe && (!fe.scalar || !fe.field.leadingIndex)) continue;
      if (!fe && !BINDABLE_TYPES.has(arg.type)) continue;
      seen.add(arg.name);
      filters.push({ arg: arg.name, op, field: fe?.field ?? null, stems: contentStems(arg.name) });
    }
    const unindexed = fields.filter((f) => f.scalar && !seen.has(f.field.name));
    const writeOf = (verb: string) =>
      ops.find((o) => o.kind === 'write' && o.verb === verb && o.args.length > 0) ?? null;
    const hops: HopEntry[] = (relsOf.get(object.name) ?? []).map((rel) => {
      const step = rel.name.startsWith(`${object.name}.`) ? rel.name.slice(object.name.length + 1) : rel.name;
      const fk =
        rel.from.fields.length === 1 && fieldByName.get(rel.from.fields[0])?.scalar
          ? rel.from.fields[0]
          : null;
      const role = contentStems(fk ?? step).filter((s) => s !== 'id');
      return {
        rel,
        step,
        target: rel.to.object,
        roleStems: role.length ? role : contentStems(step),
        targetStems: contentStems(rel.to.object.split('.').pop()!),
        fk,
      };
    });
    const own = contentStems(object.name.split('.').pop()!);
    const label = contentStems(object.label);
    const entry: ObjectEntry = {
      object,
      stems: own.length ? own : label,
      fields,
      filters,
      unindexed,
      insert: writeOf('insert'),
      update: writeOf('update'),
      hops,
      link:
        hops.length >= 2 &&
        fields.every(
          (f) =>
            f.field.primaryKey ||
            hops.some((h) => h.fk === f.field.name) ||
            f.field.type === 'datetime' ||
            f.field.type === 'date',
        ),
    };
    objects.push(entry);
    byName.set(object.name, entry);
  }
  const byStem = new Map<string, ObjectEntry[]>();
  const byFieldStem = new Map<string, ObjectEntry[]>();
  for (const e of objects) {
    for (const s of new Set(e.stems)) for (const r of related(s)) push(byStem, r, e);
    const fieldStems = new Set([
      ...e.filters.flatMap((f) => f.stems),
      ...e.unindexed.flatMap((f) => f.stems),
    ]);
    for (const s of fieldStems) if (s !== 'id') for (const r of related(s)) push(byFieldStem, r, e);
  }
  return { schema, objects, byName, byStem, byFieldStem };
}

const cache = new WeakMap<NormalizedSchema, Catalog>();

/** The index of a schema, built on first use and kept as long as the schema object is. */
export function catalogOf(schema: NormalizedSchema): Catalog {
  let c = cache.get(schema);
  if (!c) {
    c = buildCatalog(schema);
    cache.set(schema, c);
  }
  return c;
}
