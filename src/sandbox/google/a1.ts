/** A1 notation as the Sheets API reads and writes it: `Sheet1!A1:B2`, `'My Tab'!1:1`, `Tab`, `A:C`. */
import { ApiError } from './errors.ts';
import type { Sheet, Spreadsheet } from './state.ts';

/** A resolved rectangle: 0-based, end-exclusive; open ends already bounded by the grid. */
export interface GridRange {
  sheet: Sheet;
  startRow: number;
  endRow: number;
  startCol: number;
  endCol: number;
  /** Whether the text named an end row/column (an open `A2:C` may grow with appends). */
  boundedRows: boolean;
}

export function columnIndex(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

export function columnLetters(index: number): string {
  let s = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26))
    s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** Quotes a sheet title the way Google echoes it back (bare only for plain identifiers). */
export function quoteTitle(title: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(title) && !/^[A-Za-z]{1,3}\d+$/.test(title)
    ? title
    : `'${title.replace(/'/g, "''")}'`;
}

function cellLabel(row: number, col: number): string {
  return `${columnLetters(col)}${row + 1}`;
}

/** Renders a rectangle the way Google reports ranges (`'My Tab'!A1:C3`, or `Sheet1!B2` for one cell). */
export function formatRange(
  sheet: Sheet,
  startRow: number,
  endRow: number,
  startCol: number,
  endCol: number,
): string {
  const first = cellLabel(startRow, startCol);
  const last = cellLabel(endRow - 1, endCol - 1);
  return `${quoteTitle(sheet.title)}!${first === last ? first : `${first}:${last}`}`;
}

/** Sheet names in ranges match case-insensitively, an exact match winning. */
export function findSheet(ss: Spreadsheet, title: string): Sheet | undefined {
  const lower = title.toLowerCase();
  return ss.sheets.find((s) => s.title === title) ?? ss.sheets.find((s) => s.title.toLowerCase() === lower);
}

const REF = /^([A-Za-z]{0,3})(\d*)$/;

function splitSheet(text: string): { title?: string; ref?: string } {
  if (text.startsWith("'")) {
    // Quoted title: '' is an escaped apostrophe.
    let i = 1;
    let title = '';
    while (i < text.length) {
      if (text[i] === "'" && text[i + 1] === "'") {
        title += "'";
        i += 2;
      } else if (text[i] === "'") break;
      else title += text[i++];
    }
    const rest = text.slice(i + 1);
    if (rest === '') return { title };
    if (!rest.startsWith('!')) return {};
    return { title, ref: rest.slice(1) };
  }
  const bang = text.lastIndexOf('!');
  return bang < 0 ? { ref: text } : { title: text.slice(0, bang), ref: text.slice(bang + 1) };
}

/** Resolves `text` against the spreadsheet; 400 "Unable to parse range" like Google otherwise. */
export function parseRange(ss: Spreadsheet, text: string): GridRange {
  const fail = () => new ApiError(400, `Unable to parse range: ${text}`);
  const { title, ref } = splitSheet(text.trim());
  // A bare word that names a tab is the whole tab, even if it also looks like a cell reference.
  const whole = title === undefined && ref ? findSheet(ss, ref) : undefined;
  const sheet = whole ?? (title === undefined ? ss.sheets[0] : findSheet(ss, title));
  if (!sheet) throw fail();
  const all = {
    sheet,
    startRow: 0,
    endRow: sheet.rowCount,
    startCol: 0,
    endCol: sheet.columnCount,
    boundedRows: false,
  };
  if (whole || ref === undefined || ref === '') return all;

  const [a, b, more] = ref.split(':');
  if (more !== undefined) throw fail();
  const start = REF.exec(a);
  const end = b === undefined ? start : REF.exec(b);
  if (!start || !end || (!start[1] && !start[2]) || (!end[1] && !end[2])) throw fail();
  // A single cell needs both letters and a number; `A` alone is not a range.
  if (b === undefined && (!start[1] || !start[2])) throw fail();
  const range: GridRange = {
    sheet,
    startCol: start[1] ? columnIndex(start[1]) : 0,
    startRow: start[2] ? Number(start[2]) - 1 : 0,
    endCol: end[1] ? columnIndex(end[1]) + 1 : sheet.columnCount,
    endRow: end[2] ? Number(end[2]) : sheet.rowCount,
    boundedRows: !!end[2],
  };
  if (range.startRow < 0 || range.endRow <= range.startRow || range.endCol <= range.startCol) throw fail();
  return range;
}

/** Reads demand the range lie inside the grid, as Google does. */
export function assertInGrid(range: GridRange, text: string): void {
  const { sheet } = range;
  if (range.endRow > sheet.rowCount || range.endCol > sheet.columnCount) {
    throw new ApiError(
      400,
      `Range (${quoteTitle(sheet.title)}!${text.split('!').pop()}) exceeds grid limits. Max rows: ${sheet.rowCount}, max columns: ${sheet.columnCount}`,
    );
  }
}
