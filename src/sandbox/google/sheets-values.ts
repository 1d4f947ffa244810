/** Cell reads and writes behind values.get/update/append, with Google's trimming and table detection. */
import { columnLetters, formatRange, type GridRange } from './a1.ts';
import { ApiError } from './errors.ts';
import type { CellValue, Sheet } from './state.ts';

export type RenderOption = 'FORMATTED_VALUE' | 'UNFORMATTED_VALUE' | 'FORMULA';
export type InputOption = 'RAW' | 'USER_ENTERED';
export type Dimension = 'ROWS' | 'COLUMNS';

const isEmpty = (v: CellValue | undefined) => v === null || v === undefined || v === '';

function render(v: CellValue | undefined, option: RenderOption): string | number | boolean {
  if (isEmpty(v)) return '';
  if (option !== 'FORMATTED_VALUE') return v as string | number | boolean;
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  return String(v);
}

/** Drops trailing empty cells of each line and trailing empty lines, as Google does. */
function trim(lines: (string | number | boolean)[][]): (string | number | boolean)[][] {
  for (const line of lines) while (line.length && line[line.length - 1] === '') line.pop();
  while (lines.length && lines[lines.length - 1].length === 0) lines.pop();
  return lines;
}

export function readRange(range: GridRange, option: RenderOption, dimension: Dimension) {
  const { sheet, startRow, endRow, startCol, endCol } = range;
  const lines: (string | number | boolean)[][] = [];
  const outer = dimension === 'ROWS' ? [startRow, endRow] : [startCol, endCol];
  for (let i = outer[0]; i < outer[1]; i++) {
    const line: (string | number | boolean)[] = [];
    const inner = dimension === 'ROWS' ? [startCol, endCol] : [startRow, endRow];
    for (let j = inner[0]; j < inner[1]; j++) {
      const [r, c] = dimension === 'ROWS' ? [i, j] : [j, i];
      line.push(render(sheet.cells[r]?.[c], option));
    }
    lines.push(line);
  }
  const values = trim(lines);
  const out: Record<string, unknown> = {
    range: formatRange(sheet, startRow, endRow, startCol, endCol),
    majorDimension: dimension,
  };
  if (values.length) out.values = values;
  return out;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** USER_ENTERED parses like typing into the UI; RAW stores strings verbatim. null skips the cell. */
function parseInput(v: unknown, option: InputOption, where: string): CellValue | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v !== 'string')
    throw new ApiError(400, `Invalid values[${where}]: struct_value ${JSON.stringify(v)}`);
  if (v === '') return null;
  if (option === 'RAW') return v;
  if (v.startsWith("'")) return v.slice(1);
  if (NUMBER.test(v.trim())) return Number(v);
  if (/^(true|false)$/i.test(v)) return v.toLowerCase() === 'true';
  return v;
}

export function asRows(values: unknown, dimension: Dimension = 'ROWS'): unknown[][] {
  if (values === undefined) return [];
  if (!Array.isArray(values) || values.some((r) => !Array.isArray(r))) {
    throw new ApiError(
      400,
      'Invalid JSON payload received. Unknown name "values": Proto field is not repeating, cannot start list.',
    );
  }
  const rows = values as unknown[][];
  if (dimension === 'ROWS') return rows;
  const width = Math.max(0, ...rows.map((r) => r.length));
  return Array.from({ length: width }, (_, c) => rows.map((col) => col[c]));
}

function put(sheet: Sheet, row: number, col: number, value: CellValue) {
  while (sheet.cells.length <= row) sheet.cells.push([]);
  const line = sheet.cells[row];
  while (line.length <= col) line.push(null);
  line[col] = value;
}

export interface WriteResult {
  updatedRange: string;
  updatedRows: number;
  updatedColumns: number;
  updatedCells: number;
}

/** Writes `rows` with their top-left at (row, col); the caller has checked the grid bounds. */
export function writeAt(
  sheet: Sheet,
  row: number,
  col: number,
  rows: unknown[][],
  option: InputOption,
): WriteResult {
  let cells = 0;
  const width = Math.max(0, ...rows.map((r) => r.length));
  for (const [i, line] of rows.entries()) {
    for (const [j, v] of line.entries()) {
      const parsed = parseInput(v, option, `${i}][${j}`);
      if (parsed === undefined) continue;
      put(sheet, row + i, col + j, parsed);
      cells++;
    }
  }
  return {
    updatedRange: formatRange(sheet, row, row + Math.max(rows.length, 1), col, col + Math.max(width, 1)),
    updatedRows: rows.length,
    updatedColumns: width,
    updatedCells: cells,
  };
}

/** values.update: a multi-cell range is a hard limit; a single cell is only the anchor. */
export function updateRange(range: GridRange, rows: unknown[][], option: InputOption): WriteResult {
  const { sheet, startRow, startCol } = range;
  const width = Math.max(0, ...rows.map((r) => r.length));
  const anchorOnly = range.endRow - startRow === 1 && range.endCol - startCol === 1 && range.boundedRows;
  const requested = formatRange(sheet, startRow, range.endRow, startCol, range.endCol);
  if (!anchorOnly && rows.length > range.endRow - startRow) {
    throw new ApiError(
      400,
      `Requested writing within range [${requested}], but tried writing to row [${startRow + rows.length}]`,
    );
  }
  if (!anchorOnly && width > range.endCol - startCol) {
    const col = columnLetters(startCol + width - 1);
    throw new ApiError(
      400,
      `Requested writing within range [${requested}], but tried writing to column [${col}]`,
    );
  }
  if (startRow + rows.length > sheet.rowCount || startCol + width > sheet.columnCount) {
    throw new ApiError(
      400,
      `Range (${requested}) exceeds grid limits. Max rows: ${sheet.rowCount}, max columns: ${sheet.columnCount}`,
    );
  }
  return writeAt(sheet, startRow, startCol, rows, option);
}

const rowHasData = (sheet: Sheet, r: number, c0: number, c1: number) => {
  const line = sheet.cells[r];
  if (!line) return false;
  for (let c = c0; c < Math.min(c1, line.length); c++) if (!isEmpty(line[c])) return true;
  return false;
};

/**
 * values.append: the range only says where to look. The first table (a run of non-empty rows) that
 * starts inside it is followed downward past the range's end, and the values land on the row after
 * it, from the table's first column. Like Google, a blank row ends the table.
 */
export function appendRange(range: GridRange, rows: unknown[][], option: InputOption, insertRows: boolean) {
  const { sheet, startCol } = range;
  const endCol = Math.max(range.endCol, sheet.columnCount);
  let first = range.startRow;
  const searchEnd = Math.min(range.endRow, sheet.cells.length);
  while (first < searchEnd && !rowHasData(sheet, first, startCol, endCol)) first++;
  let tableRange: string | undefined;
  let at = range.startRow;
  let col = startCol;
  if (first < searchEnd) {
    let last = first;
    while (last < sheet.cells.length && rowHasData(sheet, last, startCol, endCol)) last++;
    let minCol = Number.POSITIVE_INFINITY;
    let maxCol = -1;
    for (let r = first; r < last; r++) {
      for (const [c, v] of sheet.cells[r].entries()) {
        if (c >= startCol && !isEmpty(v)) {
          minCol = Math.min(minCol, c);
          maxCol = Math.max(maxCol, c);
        }
      }
    }
    tableRange = formatRange(sheet, first, last, minCol, maxCol + 1);
    at = last;
    col = minCol;
  }
  const width = Math.max(0, ...rows.map((r) => r.length));
  if (insertRows) {
    if (at < sheet.cells.length) sheet.cells.splice(at, 0, ...rows.map(() => []));
    sheet.rowCount += rows.length;
  }
  // Appends grow the grid instead of failing at its edge.
  sheet.rowCount = Math.max(sheet.rowCount, at + rows.length);
  sheet.columnCount = Math.max(sheet.columnCount, col + width);
  const updates = rows.length ? writeAt(sheet, at, col, rows, option) : undefined;
  return { tableRange, updates };
}

export function clearRange(range: GridRange): string {
  for (let r = range.startRow; r < Math.min(range.endRow, range.sheet.cells.length); r++) {
    const line = range.sheet.cells[r];
    for (let c = range.startCol; c < Math.min(range.endCol, line.length); c++) line[c] = null;
  }
  return formatRange(range.sheet, range.startRow, range.endRow, range.startCol, range.endCol);
}
