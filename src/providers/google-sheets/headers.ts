/** Column names from a header row: what people typed, made unique and never empty. */

export function columnLetters(index: number): string {
  let s = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26))
    s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** A tab title quoted for A1 notation: `'Q1 ''24'!A1` (always quoted: safe for every title). */
export const quoteTab = (title: string) => `'${title.replace(/'/g, "''")}'`;

export interface Column {
  index: number;
  /** Unique, non-empty: `Name`, `Name_2`, `column_C`. */
  name: string;
  /** The header cell as typed ('' when empty). */
  header: string;
  letter: string;
}

/**
 * Duplicate headers get `_2`, `_3`… in order; empty ones are named after their column letter.
 * `width` covers data columns beyond the last header cell.
 */
export function columnsOf(headerRow: unknown[], width = headerRow.length): Column[] {
  const used = new Set<string>();
  const out: Column[] = [];
  const count = Math.max(width, headerRow.length);
  for (let i = 0; i < count; i++) {
    const header = headerRow[i] === undefined || headerRow[i] === null ? '' : String(headerRow[i]).trim();
    const letter = columnLetters(i);
    let name = header || `column_${letter}`;
    if (used.has(name.toLowerCase())) {
      let n = 2;
      while (used.has(`${name}_${n}`.toLowerCase())) n++;
      name = `${name}_${n}`;
    }
    used.add(name.toLowerCase());
    out.push({ index: i, name, header, letter });
  }
  return out;
}

/** Case, spaces and punctuation aside: "Caller name" finds `caller_name`. */
export const looseKey = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '');
