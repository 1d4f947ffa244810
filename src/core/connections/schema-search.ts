/**
 * `?q=` over discovered objects and operations, as a person types it: any case, words in any order
 * and spelling (`last name`, `LastName`, `last_name`), plurals and partial words (`customers`,
 * `cust`). Every word of the query must match a word of the thing's names; the whole query as a
 * substring of a name (what `?q=` always matched) still does.
 */
import type { SchemaObject, SchemaOperation } from '../../providers/types.ts';
import { stem, words } from '../automap/index.ts';

export type SearchMatcher = (names: string[]) => boolean;

/** A matcher for a query; `undefined` (no query) matches everything. */
export function searchMatcher(q: string | undefined): SearchMatcher {
  const raw = q?.trim().toLowerCase();
  if (!raw) return () => true;
  const terms = [...new Set(words(q!).map(stem))];
  const squashed = squash(raw);
  return (names) => {
    if (names.some((n) => n.toLowerCase().includes(raw) || (squashed && squash(n).includes(squashed))))
      return true;
    if (terms.length === 0) return false;
    const have = names.flatMap((n) => words(n).flatMap((w) => [w, stem(w)]));
    return terms.every((t) => have.some((h) => h.startsWith(t)));
  };
}

/** `Last_Name`, `last name`, `lastname` → `lastname`. */
const squash = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, '');

/** What `?q=` looks at for an object: its name, label and field names. */
export const objectNames = (o: SchemaObject): string[] => [o.name, o.label, ...o.fields.map((f) => f.name)];

/** What `?q=` looks at for an operation: its name, object and argument names. */
export const operationNames = (op: SchemaOperation): string[] => [
  op.name,
  op.object,
  ...op.args.map((a) => a.name),
];
