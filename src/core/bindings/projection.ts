/**
 * The projection of a binding: scalar fields of the bound object, or of the object one many-to-one
 * foreign key away (`[relationship, column]` → one LEFT JOIN). Output names are unique and safe as
 * JSON property names in every tool format.
 */

import type { SchemaField, SchemaObject } from '../../providers/types.ts';
import { type Problems, SAFE_NAME } from './model.ts';
import { BINDABLE_TYPES } from './params.ts';
import type { PlanJoin, PlanOutput } from './plan.ts';
import type { SchemaIndex } from './resolve.ts';

/** Binary values come back base64-encoded; json and arrays are not scalar leaves. */
const projectable = (f: SchemaField) => (BINDABLE_TYPES.has(f.type) || f.type === 'binary') && !f.isArray;

function leafProblem(object: SchemaObject, field: SchemaField): string | null {
  if (!projectable(field))
    return `${object.name}.${field.name} is ${field.isArray ? 'an array' : `a ${field.type} value`}, not a scalar leaf`;
  if (field.pii === 'credential')
    return `${object.name}.${field.name} holds credentials and is never returned to an agent`;
  return null;
}

export function resolveProjection(
  ix: SchemaIndex,
  object: SchemaObject,
  projection: { path: string[]; as?: string }[],
  p: Problems,
): { outputs: PlanOutput[]; joins: PlanJoin[] } {
  const outputs: PlanOutput[] = [];
  const joins = new Map<string, PlanJoin>();
  const names = new Set<string>();
  for (const [i, entry] of projection.entries()) {
    const at = `projection[${i}]`;
    const path = entry.path;
    if (path.length === 0 || path.length > 2) {
      p.add(`${at}.path`, 'a path is [column] or [relationship, column]: at most one foreign-key hop');
      continue;
    }
    let field: SchemaField | null = null;
    let join: PlanJoin | null = null;
    if (path.length === 1) {
      const found = ix.field(object, path[0]);
      if (!found.ok) {
        const rel = ix.relationship(object, path[0]);
        p.add(
          `${at}.path`,
          rel.ok
            ? `${path[0]} is a relationship, not a scalar leaf: add the column to return, e.g. [${JSON.stringify(path[0])}, "…"]`
            : found.message,
        );
        continue;
      }
      field = found.value;
      const problem = leafProblem(object, field);
      if (problem) {
        p.add(`${at}.path`, problem);
        continue;
      }
    } else {
      const rel = ix.relationship(object, path[0]);
      if (!rel.ok) {
        p.add(`${at}.path`, rel.message);
        continue;
      }
      const r = rel.value;
      if (r.cardinality === 'one_to_many') {
        p.add(
          `${at}.path`,
          `${r.name} leads to many ${r.to.object} rows per ${object.name}; a projection may only follow a many-to-one (or one-to-one) key`,
        );
        continue;
      }
      const target = ix.object(r.to.object);
      if (!target.ok) {
        p.add(`${at}.path`, target.message);
        continue;
      }
      const found = ix.field(target.value, path[1]);
      if (!found.ok) {
        p.add(`${at}.path`, found.message);
        continue;
      }
      field = found.value;
      const problem = leafProblem(target.value, field);
      if (problem) {
        p.add(`${at}.path`, problem);
        continue;
      }
      join = joins.get(r.name) ?? null;
      if (!join) {
        join = {
          alias: `j${joins.size + 1}`,
          relationship: r.name,
          target: target.value,
          on: r.from.fields.map((f, k) => [f, r.to.fields[k]]),
        };
        joins.set(r.name, join);
      }
    }
    const name = entry.as ?? path[path.length - 1];
    if (!SAFE_NAME.test(name)) {
      p.add(
        `${at}.as`,
        `output name "${name.slice(0, 64)}" must start with a letter or underscore and hold only letters, digits and underscores (at most 64)`,
      );
      continue;
    }
    if (names.has(name)) {
      p.add(`${at}.as`, `output name "${name}" is used twice`);
      continue;
    }
    names.add(name);
    outputs.push({ name, join: join?.alias ?? null, field });
  }
  return { outputs, joins: [...joins.values()] };
}
