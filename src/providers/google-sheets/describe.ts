/** GET /integrations/google_sheets/spreadsheet: a URL or id → title, tabs and each tab's header row. */
import type { ProviderContext } from '../types.ts';
import { columnsOf, quoteTab } from './headers.ts';
import { batchGetValues, getSpreadsheet } from './sheets-api.ts';
import { parseSpreadsheetRef } from './spreadsheet-ref.ts';

export interface SpreadsheetDescription {
  spreadsheetId: string;
  title: string;
  url: string;
  tabs: {
    sheetId: number;
    title: string;
    index: number;
    rowCount: number;
    headers: string[];
    columns: string[];
  }[];
  /** The tab a pasted URL pointed at, if any. */
  selectedTab: string | null;
}

export async function describeSpreadsheet(
  ref: unknown,
  ctx: ProviderContext,
): Promise<SpreadsheetDescription> {
  const parsed = parseSpreadsheetRef(ref);
  const info = await getSpreadsheet(ctx, parsed.id);
  const tabs = [...info.tabs].sort((a, b) => a.index - b.index);
  const headerRows = await batchGetValues(
    ctx,
    parsed.id,
    tabs.map((t) => `${quoteTab(t.title)}!1:1`),
  );
  return {
    spreadsheetId: info.spreadsheetId,
    title: info.title,
    url: `https://docs.google.com/spreadsheets/d/${info.spreadsheetId}/edit`,
    tabs: tabs.map((t, i) => {
      const header = headerRows[i][0] ?? [];
      return {
        sheetId: t.sheetId,
        title: t.title,
        index: t.index,
        rowCount: t.rowCount,
        headers: header.map((h) => String(h)),
        columns: columnsOf(header).map((c) => c.name),
      };
    }),
    selectedTab: tabs.find((t) => t.sheetId === parsed.gid)?.title ?? null,
  };
}
