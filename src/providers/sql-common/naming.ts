/**
 * Readable, stable names for discovered SQL objects and relationships.
 *
 * Objects: the bare table name for the default schema (`public`, the MySQL database) or when the
 * table name is unique across the readable schemas; otherwise `schema.table`.
 */
import { type CatalogRelation, relationKey } from './catalog.ts';

/** Object name per relation, keyed by `relationKey(schema, table)`. */
export function objectNames(relations: CatalogRelation[], defaultSchema: string): Map<string, string> {
  const tableCount = new Map<string, number>();
  for (const r of relations) tableCount.set(r.table, (tableCount.get(r.table) ?? 0) + 1);
  const names = new Map<string, string>();
  for (const r of relations) {
    const bare = r.schema === defaultSchema || tableCount.get(r.table) === 1;
    names.set(relationKey(r.schema, r.table), bare ? r.table : `${r.schema}.${r.table}`);
  }
  return names;
}

/** `film_actor` → `Film actor`, `InvoiceLine` → `Invoice line`; other schemas get `(schema)`. */
export function humanLabel(table: string, schema?: string): string {
  const words = table
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[_\s]+/)
    .filter(Boolean)
    .map((w) => (w === w.toUpperCase() && w.length > 1 ? w : w.toLowerCase()));
  const text = words.join(' ');
  const label = text.charAt(0).toUpperCase() + text.slice(1);
  return schema ? `${label} (${schema})` : label;
}

/** English plural of the last word, keeping the name's case: `customer` → `customers`, `Category` → `Categories`. */
export function pluralize(name: string): string {
  const upper = name.length > 1 && name === name.toUpperCase();
  const lower = name.toLowerCase();
  let plural: string;
  if (/(ss|us|is|x|z|ch|sh)$/.test(lower)) plural = `${name}es`;
  else if (/s$/.test(lower))
    return name; // already plural: northwind's `orders`
  else if (/[^aeiou]y$/.test(lower)) plural = `${name.slice(0, -1)}ies`;
  else plural = `${name}s`;
  return upper ? plural.toUpperCase() : plural;
}

// `address_id`, `ADDRESS_ID`, `SupportRepId`, `CustomerID` — but not `paid` or `valid`.
const ID_SUFFIX = /^(.+?)(?:_id|_ID|_Id|(?<=[a-z0-9])Id|(?<=[a-z0-9])ID)$/;

/**
 * The role a foreign key plays on its own table: the single column without its id suffix
 * (`address_id` → `address`, `SupportRepId` → `SupportRep`, `ReportsTo` stays), else (composite, or
 * a bare `id`) the referenced table's name.
 */
export function foreignKeyRole(columns: string[], targetTable: string): string {
  if (columns.length === 1) {
    const column = columns[0];
    if (column.toLowerCase() === 'id') return targetTable;
    const match = ID_SUFFIX.exec(column);
    return match ? match[1] : column;
  }
  return targetTable;
}

/** Gives each name a unique spelling by suffixing `_2`, `_3`… to later duplicates, in input order. */
export function uniqueNames(names: string[], taken = new Set<string>()): string[] {
  return names.map((name) => {
    let candidate = name;
    for (let n = 2; taken.has(candidate); n++) candidate = `${name}_${n}`;
    taken.add(candidate);
    return candidate;
  });
}
