/** Operator settings of the Sheets actions: which spreadsheet and tab, and how parameters map to columns. */

import { cachedOrLoad, lruCache } from '../../cache-limits.ts';
import { AppError } from '../../errors.ts';
import type { ActionConfigField, ProviderContext } from '../types.ts';
import { getSpreadsheet, type SpreadsheetInfo } from './sheets-api.ts';
import { parseSpreadsheetRef } from './spreadsheet-ref.ts';

export const SHEETS_CONFIG: ActionConfigField[] = [
  {
    key: 'spreadsheet',
    label: 'Spreadsheet',
    type: 'string',
    required: true,
    description: 'The spreadsheet URL or id',
  },
  {
    key: 'tab',
    label: 'Tab',
    type: 'string',
    required: false,
    description: 'Tab title; default the tab the URL points at, else the first',
  },
  {
    key: 'column_mapping',
    label: 'Column mapping',
    type: 'json',
    required: false,
    description: 'Parameter → column header, e.g. {"caller_name": "Name", "caller_phone": "Phone"}',
  },
  {
    key: 'key_column',
    label: 'Key column',
    type: 'string',
    required: false,
    description:
      'Column (header or mapped parameter) that lookup_row and update_row search; default the first column',
  },
];

export interface SheetTarget {
  spreadsheetId: string;
  tab: string;
  /** parameter → column header */
  mapping: Record<string, string>;
  keyColumn: string | null;
}

const invalid = (key: string, message: string) =>
  new AppError('validation_error', `the skill's ${key} setting ${message}`, {
    errors: [{ field: `executionConfig.${key}`, message }],
  });

export function parseMapping(value: unknown): Record<string, string> {
  if (value === undefined || value === null || value === '') return {};
  let v = value;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      throw invalid('column_mapping', 'is not valid JSON');
    }
  }
  if (!v || typeof v !== 'object' || Array.isArray(v))
    throw invalid('column_mapping', 'must be an object of parameter → column header');
  const out: Record<string, string> = {};
  for (const [param, header] of Object.entries(v)) {
    if (typeof header !== 'string' || !header.trim())
      throw invalid('column_mapping', `maps "${param.slice(0, 64)}" to something other than a header`);
    out[param] = header.trim();
  }
  return out;
}

/** Titles and tab ids change rarely; five minutes per connection and spreadsheet. */
const spreadsheets = lruCache<string, SpreadsheetInfo>('googleSpreadsheets');

export const spreadsheetInfo = (ctx: ProviderContext, connectionId: string, id: string) =>
  cachedOrLoad(spreadsheets, `${connectionId}\u0000${id}`, () => getSpreadsheet(ctx, id));

export async function resolveTarget(
  config: Record<string, unknown>,
  ctx: ProviderContext,
  connectionId: string,
): Promise<SheetTarget> {
  if (config.spreadsheet === undefined || config.spreadsheet === null || config.spreadsheet === '') {
    throw invalid('spreadsheet', 'is required: set the spreadsheet URL or id');
  }
  const ref = parseSpreadsheetRef(config.spreadsheet, 'executionConfig.spreadsheet');
  const mapping = parseMapping(config.column_mapping);
  const keyColumn =
    typeof config.key_column === 'string' && config.key_column.trim() ? config.key_column.trim() : null;
  let tab = typeof config.tab === 'string' && config.tab.trim() ? config.tab.trim() : '';
  if (!tab) {
    const info = await spreadsheetInfo(ctx, connectionId, ref.id);
    const chosen =
      info.tabs.find((t) => t.sheetId === ref.gid) ?? [...info.tabs].sort((a, b) => a.index - b.index)[0];
    if (!chosen) throw new AppError('sheet_not_accessible', 'the spreadsheet has no tabs');
    tab = chosen.title;
  }
  return { spreadsheetId: ref.id, tab, mapping, keyColumn };
}
