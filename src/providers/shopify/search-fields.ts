/**
 * The search fields of a connection's `query:` argument, read from its documentation: Shopify
 * documents them as a markdown table (`| name | type | description | … |`) in the argument's
 * description, which the introspection carries.
 */
import type { FieldType } from '../types.ts';

export interface SearchField {
  name: string;
  type: FieldType;
}

const ROW = /^\|\s*([a-z_][a-z0-9_]*)\s*\|\s*([a-z_]+)\s*\|/gm;

const TYPES: Record<string, FieldType> = {
  string: 'string',
  id: 'string',
  time: 'datetime',
  date: 'date',
  float: 'number',
  integer: 'integer',
  boolean: 'boolean',
};

export function searchFieldsOf(description: string | null | undefined): SearchField[] {
  if (!description) return [];
  const out: SearchField[] = [];
  const seen = new Set<string>();
  for (const m of description.matchAll(ROW)) {
    const [, name, type] = m;
    // The header row, and `default` (free text over several fields: not one field's filter).
    if (name === 'name' && type === 'type') continue;
    if (name === 'default' || seen.has(name)) continue;
    seen.add(name);
    out.push({ name, type: TYPES[type] ?? 'string' });
  }
  return out;
}
