/**
 * append_row / lookup_row / update_row against one tab whose first row holds the headers. Columns
 * are named by header (or by a mapped parameter), so a reordered sheet keeps working; values are
 * written RAW so nothing a caller says becomes a formula.
 */
import { AppError } from '../../errors.ts';
import type { ExecuteRequest, ProviderContext } from '../types.ts';
import { type Column, columnsOf, looseKey, quoteTab } from './headers.ts';
import type { SheetTarget } from './settings.ts';
import { appendRow, type Cell, getValues, rowNumberOf, updateRow } from './sheets-api.ts';

/** Arguments that steer the action rather than name a column. */
const RESERVED = new Set(['values', 'key_value', 'key_column']);
const MAX_CELL = 50_000;
const MAX_MATCHES = 5;

const invalid = (field: string, message: string) =>
  new AppError('validation_error', `${field} ${message}`, { errors: [{ field, message }] });

function findColumn(ref: string, columns: Column[], mapping: Record<string, string>): Column | undefined {
  const target = mapping[ref] ?? ref;
  const exact = columns.find((c) => c.name === target || c.header === target);
  if (exact) return exact;
  const loose = looseKey(target);
  return columns.find((c) => looseKey(c.name) === loose || (c.header && looseKey(c.header) === loose));
}

function unknownColumn(field: string, ref: string, columns: Column[], mapping: Record<string, string>) {
  const known = [...Object.keys(mapping), ...columns.map((c) => c.name)];
  return invalid(
    field,
    `names no column "${ref.slice(0, 64)}"; known columns: ${[...new Set(known)].join(', ').slice(0, 500)}`,
  );
}

function cellValue(v: unknown, field: string): Cell | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v !== 'string') throw invalid(field, 'must be a string, number or boolean');
  if (v.length > MAX_CELL) throw invalid(field, `must be at most ${MAX_CELL} characters`);
  return v;
}

/** Column index → value, from `values: [{ column, value }]` and from flat arguments named after columns. */
function collect(
  args: Record<string, unknown>,
  columns: Column[],
  mapping: Record<string, string>,
  skip: Set<string>,
) {
  const out = new Map<number, Cell | null>();
  const put = (ref: string, value: unknown, field: string) => {
    const col = findColumn(ref, columns, mapping);
    if (!col) throw unknownColumn(field, ref, columns, mapping);
    out.set(col.index, cellValue(value, field));
  };
  if (Array.isArray(args.values)) {
    args.values.forEach((item, i) => {
      const column = (item as { column?: unknown })?.column;
      if (typeof column !== 'string' || !column.trim()) throw invalid(`values[${i}].column`, 'is required');
      put(column.trim(), (item as { value?: unknown }).value, `values[${i}].value`);
    });
  }
  for (const [k, v] of Object.entries(args))
    if (!RESERVED.has(k) && !skip.has(k) && v !== null && v !== undefined) put(k, v, k);
  return out;
}

/** The row as the model reads it: mapped parameter names where the operator set them, headers otherwise. */
function rowView(columns: Column[], row: Cell[] | undefined, mapping: Record<string, string>) {
  const byHeader = new Map<number, string>();
  for (const [param, header] of Object.entries(mapping)) {
    const col = findColumn(header, columns, {});
    if (col && !byHeader.has(col.index)) byHeader.set(col.index, param);
  }
  const out: Record<string, Cell | null> = {};
  for (const c of columns) {
    const v = row?.[c.index];
    out[byHeader.get(c.index) ?? c.name] = v === undefined || v === '' ? null : v;
  }
  return out;
}

async function readTable(ctx: ProviderContext, t: SheetTarget) {
  const values = await getValues(ctx, t.spreadsheetId, quoteTab(t.tab), t.tab);
  const header = values[0] ?? [];
  const width = Math.max(header.length, ...values.map((r) => r.length));
  return { columns: columnsOf(header, width), rows: values.slice(1) };
}

/** A caller's "212-555-0101" finds a cell "+1 (212) 555 0101"; other values match case-insensitively. */
function matcher(value: string): (cell: Cell | undefined) => boolean {
  const want = value.trim().toLowerCase();
  const digits = value.replace(/\D/g, '');
  const phoneLike = /^[\d\s().+-]+$/.test(value.trim()) && digits.length >= 7;
  return (cell) => {
    const text = cell === undefined ? '' : String(cell).trim();
    if (text.toLowerCase() === want) return true;
    if (!phoneLike) return false;
    const cellDigits = text.replace(/\D/g, '');
    return cellDigits.length >= 7 && cellDigits.slice(-10) === digits.slice(-10);
  };
}

/** Which column to search and for what: key_column/key_value, or a lone flat argument naming a column. */
function keyOf(args: Record<string, unknown>, t: SheetTarget, columns: Column[], write: boolean) {
  const explicitColumn =
    typeof args.key_column === 'string' && args.key_column.trim() ? args.key_column.trim() : null;
  const keyRef = explicitColumn ?? t.keyColumn;
  let column = keyRef ? findColumn(keyRef, columns, t.mapping) : columns[0];
  if (!column)
    throw keyRef
      ? unknownColumn('key_column', keyRef, columns, t.mapping)
      : invalid('key_column', 'is needed: the tab has no columns');
  let value =
    typeof args.key_value === 'string' || typeof args.key_value === 'number' ? String(args.key_value) : '';
  let usedArg: string | null = null;
  if (!value.trim()) {
    // A flat schema (set by the operator): the argument that names the key column carries the value.
    const flat = Object.entries(args).filter(
      ([k, v]) => !RESERVED.has(k) && v !== null && v !== undefined && v !== '',
    );
    const onKey = flat.find(([k]) => findColumn(k, columns, t.mapping)?.index === column!.index);
    const lone = !write && flat.length === 1 && !keyRef ? flat[0] : undefined;
    const pick = onKey ?? lone;
    if (pick) {
      usedArg = pick[0];
      value = String(pick[1]);
      column = findColumn(pick[0], columns, t.mapping) ?? column;
    }
  }
  if (!value.trim()) throw invalid('key_value', 'is required: the value to look for');
  return { column, value, usedArg };
}

function matches(rows: Cell[][], column: Column, value: string) {
  const test = matcher(value);
  const out: { rowNumber: number; row: Cell[] }[] = [];
  rows.forEach((row, i) => {
    if (test(row[column.index])) out.push({ rowNumber: i + 2, row });
  });
  return out;
}

export async function appendRowAction(request: ExecuteRequest, t: SheetTarget, ctx: ProviderContext) {
  const header = (await getValues(ctx, t.spreadsheetId, `${quoteTab(t.tab)}!1:1`, t.tab))[0] ?? [];
  const columns = columnsOf(header);
  if (columns.length === 0)
    throw new AppError('validation_error', `the tab "${t.tab}" has no header row to append under`);
  const values = collect(request.arguments, columns, t.mapping, new Set());
  if (![...values.values()].some((v) => v !== null && v !== ''))
    throw invalid('values', 'must give at least one cell');
  const row: (Cell | null)[] = columns.map((c) => values.get(c.index) ?? '');
  const range = await appendRow(ctx, t.spreadsheetId, t.tab, quoteTab(t.tab), row);
  return {
    appended: true,
    tab: t.tab,
    row_number: rowNumberOf(range),
    row: rowView(columns, row as Cell[], t.mapping),
  };
}

export async function lookupRowAction(request: ExecuteRequest, t: SheetTarget, ctx: ProviderContext) {
  const { columns, rows } = await readTable(ctx, t);
  const key = keyOf(request.arguments, t, columns, false);
  const found = matches(rows, key.column, key.value);
  return {
    found: found.length > 0,
    match_count: found.length,
    key_column: key.column.name,
    matches: found
      .slice(0, MAX_MATCHES)
      .map((m) => ({ row_number: m.rowNumber, ...rowView(columns, m.row, t.mapping) })),
  };
}

export async function updateRowAction(request: ExecuteRequest, t: SheetTarget, ctx: ProviderContext) {
  const { columns, rows } = await readTable(ctx, t);
  const key = keyOf(request.arguments, t, columns, true);
  const values = collect(request.arguments, columns, t.mapping, new Set(key.usedArg ? [key.usedArg] : []));
  if (values.size === 0) throw invalid('values', 'must give at least one cell to change');
  const found = matches(rows, key.column, key.value);
  if (found.length === 0)
    throw new AppError('not_found', `no row has ${key.column.name} = "${key.value.slice(0, 100)}"`);
  if (found.length > 1) {
    throw new AppError(
      'conflict',
      `${found.length} rows have ${key.column.name} = "${key.value.slice(0, 100)}"; refusing to guess which to change`,
    );
  }
  const { rowNumber, row } = found[0];
  const last = columns[columns.length - 1].letter;
  const patch: (Cell | null)[] = columns.map((c) =>
    values.has(c.index) ? (values.get(c.index) ?? '') : null,
  );
  await updateRow(ctx, t.spreadsheetId, t.tab, `${quoteTab(t.tab)}!A${rowNumber}:${last}${rowNumber}`, patch);
  const after = columns.map((c) =>
    values.has(c.index) ? (values.get(c.index) ?? '') : (row[c.index] ?? ''),
  ) as Cell[];
  return { updated: true, tab: t.tab, row_number: rowNumber, row: rowView(columns, after, t.mapping) };
}
