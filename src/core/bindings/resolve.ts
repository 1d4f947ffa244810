/**
 * Name lookups in the scoped schema that explain a miss: a name the operator's scoping blocks is
 * reported as blocked, not as unknown, and an unknown name comes with the closest real ones.
 */
import type {
  NormalizedSchema,
  SchemaField,
  SchemaObject,
  SchemaOperation,
  SchemaRelationship,
} from '../../providers/types.ts';
import type { Scoping } from '../connections/index.ts';

export type Lookup<T> = { ok: true; value: T } | { ok: false; message: string };

const quoteName = (s: string) => `"${s.slice(0, 128)}"`;

/** Edit distance, bounded: names are short and only the closest few matter. */
function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 8) return 99;
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const next = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = prev[j];
      prev[j] = next;
    }
  }
  return prev[b.length];
}

/** Up to three names closest to `wanted` (by edit distance, then containment). */
export function closest(wanted: string, names: string[], max = 3): string[] {
  const w = wanted.toLowerCase();
  return names
    .map((n) => ({
      n,
      d: n.toLowerCase().includes(w) || w.includes(n.toLowerCase()) ? 1 : distance(w, n.toLowerCase()),
    }))
    .filter((x) => x.d <= Math.max(2, Math.floor(w.length / 3)))
    .sort((a, b) => a.d - b.d || (a.n < b.n ? -1 : 1))
    .slice(0, max)
    .map((x) => x.n);
}

const hint = (names: string[]) => (names.length ? ` (did you mean ${names.map(quoteName).join(', ')}?)` : '');

export class SchemaIndex {
  private readonly objects: Map<string, SchemaObject>;
  private readonly blockedObjects: Set<string>;
  private readonly blockedFields: Set<string>;

  constructor(
    readonly schema: NormalizedSchema,
    scoping: Scoping,
  ) {
    this.objects = new Map(schema.objects.map((o) => [o.name, o]));
    this.blockedObjects = new Set(scoping.blockedObjects);
    this.blockedFields = new Set(scoping.blockedFields);
  }

  object(name: string): Lookup<SchemaObject> {
    const o = this.objects.get(name);
    if (o) return { ok: true, value: o };
    if (this.blockedObjects.has(name))
      return { ok: false, message: `${quoteName(name)} is blocked by the operator's scoping` };
    return {
      ok: false,
      message: `no object ${quoteName(name)}${hint(closest(name, [...this.objects.keys()]))}`,
    };
  }

  field(object: SchemaObject, name: string): Lookup<SchemaField> {
    const f = object.fields.find((x) => x.name === name);
    if (f) return { ok: true, value: f };
    if (this.blockedFields.has(`${object.name}.${name}`)) {
      return {
        ok: false,
        message: `${quoteName(`${object.name}.${name}`)} is blocked by the operator's scoping`,
      };
    }
    const names = object.fields.map((x) => x.name);
    return {
      ok: false,
      message: `${object.name} has no field ${quoteName(name)}${hint(closest(name, names))}`,
    };
  }

  /** `customer.address` or just `address` (relative to the object the path starts from). */
  relationship(object: SchemaObject, name: string): Lookup<SchemaRelationship> {
    const rels = this.schema.relationships.filter((r) => r.from.object === object.name);
    const r = rels.find((x) => x.name === `${object.name}.${name}`) ?? rels.find((x) => x.name === name);
    if (r) return { ok: true, value: r };
    const bare = name.startsWith(`${object.name}.`) ? name.slice(object.name.length + 1) : name;
    if (this.blockedObjects.has(bare))
      return { ok: false, message: `${quoteName(bare)} is blocked by the operator's scoping` };
    const roles = rels.map((x) => x.name.slice(object.name.length + 1));
    return {
      ok: false,
      message: `${object.name} has no relationship ${quoteName(name)} (or the operator's scoping hides it)${hint(closest(bare, roles))}`,
    };
  }

  /** The object an operation name starts with: the longest `object.` prefix, visible or blocked. */
  objectOfOperation(operation: string): string | null {
    let best: string | null = null;
    for (const name of [...this.objects.keys(), ...this.blockedObjects]) {
      if (operation.startsWith(`${name}.`) && (!best || name.length > best.length)) best = name;
    }
    return best;
  }

  operation(name: string): SchemaOperation | undefined {
    return this.schema.operations.find((o) => o.name === name);
  }

  operationsOf(object: string): SchemaOperation[] {
    return this.schema.operations.filter((o) => o.object === object);
  }

  blockedFieldsOf(object: string): string[] {
    return [...this.blockedFields].filter((f) => f.startsWith(`${object}.`));
  }

  allOperationNames(): string[] {
    return this.schema.operations.map((o) => o.name);
  }
}
