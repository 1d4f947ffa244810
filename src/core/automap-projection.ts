/**
 * Auto-map's projection: the fields a goal names (all words of a column present, in the goal's
 * order), through one many-to-one hop where the object lacks them or where the goal names a foreign
 * key ("the store's address"), then fields worth returning unasked, up to a handful.
 */
import type { NormalizedSchema, SchemaField, SchemaObject, SchemaRelationship } from '../providers/types.ts';
import { fieldScore, type Goal, scalarField, termsBeyond, usefulness } from './automap-match.ts';

const MAX_OUTPUTS = 6;

function hops(
  schema: NormalizedSchema,
  object: SchemaObject,
): { rel: SchemaRelationship; target: SchemaObject }[] {
  return schema.relationships
    .filter((r) => r.from.object === object.name && r.cardinality !== 'one_to_many')
    .map((rel) => ({ rel, target: schema.objects.find((o) => o.name === rel.to.object)! }))
    .filter((h) => h.target)
    .sort((a, b) => a.rel.name.localeCompare(b.rel.name));
}

/** The many-to-one relationship whose role a column name stands for (`address_id` → `address`). */
const roleOf = (schema: NormalizedSchema, object: SchemaObject, field: SchemaField) =>
  hops(schema, object).find((h) => h.rel.from.fields.length === 1 && h.rel.from.fields[0] === field.name);

export function chooseProjection(
  schema: NormalizedSchema,
  object: SchemaObject,
  filter: SchemaField | null,
  goal: Goal,
) {
  const terms = termsBeyond(goal, object);
  const out: { path: string[]; as: string }[] = [];
  const names = new Set<string>();
  const add = (path: string[], name: string) => {
    let as = name
      .replace(/[^A-Za-z0-9_]+/g, '_')
      .replace(/^([0-9])/, '_$1')
      .slice(0, 64);
    if (names.has(as)) as = `${path[0]}_${as}`.slice(0, 64);
    if (names.has(as) || out.some((o) => o.path.join('.') === path.join('.'))) return;
    names.add(as);
    out.push({ path, as });
  };
  const usefulOf = (o: SchemaObject, except: SchemaField | null) =>
    o.fields
      .filter((f) => f !== except && f.type !== 'binary' && usefulness(f, o) >= 0.5)
      .sort((a, b) => usefulness(b, o) - usefulness(a, o) || o.fields.indexOf(a) - o.fields.indexOf(b));
  // Fields the goal names (all words of the column present), in the order the goal names them.
  const position = (f: SchemaField) => Math.min(...terms.map((t, i) => (fieldScore(f, [t]) > 0 ? i : 99)));
  const own = object.fields
    .filter((f) => scalarField(f) && fieldScore(f, terms) >= 0.7)
    .sort((a, b) => position(a) - position(b) || a.name.localeCompare(b.name));
  const covered = new Set<string>();
  for (const f of own) {
    for (const t of terms) if (fieldScore(f, [t]) > 0) covered.add(t);
    const hop = roleOf(schema, object, f);
    // A foreign key the goal names ("the store's address") means the row it points at.
    if (hop && f.type !== 'string')
      for (const x of usefulOf(hop.target, null).slice(0, 3))
        add([hop.rel.name.slice(object.name.length + 1), x.name], x.name);
    else add([f.name], f.name);
  }
  let found = own.length;
  for (const t of terms.filter((x) => !covered.has(x))) {
    for (const { rel, target } of hops(schema, object)) {
      const f = target.fields.find((x) => scalarField(x) && x.type !== 'binary' && fieldScore(x, [t]) >= 0.7);
      if (f) {
        add([rel.name.slice(object.name.length + 1), f.name], f.name);
        found++;
        break;
      }
    }
  }
  for (const f of usefulOf(object, filter)) {
    if (out.length >= MAX_OUTPUTS) break;
    if (!roleOf(schema, object, f)) add([f.name], f.name);
  }
  if (!out.length && filter) add([filter.name], filter.name);
  const asked = new Set(terms).size;
  return {
    projection: out.slice(0, Math.max(MAX_OUTPUTS, found)),
    coverage: asked ? Math.min(1, found / asked) : 0.5,
  };
}
