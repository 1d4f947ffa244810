/**
 * The Sheets v4 and Drive v3 calls the provider needs. A spreadsheet Google will not show the
 * account (403 not shared, 404 unknown) is one answer for callers: sheet_not_accessible.
 */
import { AppError } from '../../errors.ts';
import { googleCall } from '../google-api/client.ts';
import { isGoogleStatus } from '../google-api/errors.ts';
import type { ProviderContext } from '../types.ts';

export type Cell = string | number | boolean;

export interface TabInfo {
  sheetId: number;
  title: string;
  index: number;
  rowCount: number;
  columnCount: number;
}

export interface SpreadsheetInfo {
  spreadsheetId: string;
  title: string;
  timeZone: string | null;
  tabs: TabInfo[];
}

const base = (id: string) => `/v4/spreadsheets/${encodeURIComponent(id)}`;

/** Maps "not shared" / "no such spreadsheet" / "no such tab" onto sheet_not_accessible. */
async function guarded<T>(id: string, run: () => Promise<T>, tab?: string): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (isGoogleStatus(e, 403, 404)) {
      throw new AppError(
        'sheet_not_accessible',
        `spreadsheet ${id.slice(0, 80)} does not exist or is not shared with the connected Google account${e.httpStatus === 403 ? ' (with the access this needs)' : ''}`,
      );
    }
    if (tab !== undefined && isGoogleStatus(e, 400) && /parse range/i.test(e.info.message)) {
      throw new AppError(
        'sheet_not_accessible',
        `spreadsheet ${id.slice(0, 80)} has no tab named "${tab.slice(0, 100)}"`,
      );
    }
    throw e;
  }
}

export async function getSpreadsheet(ctx: ProviderContext, id: string): Promise<SpreadsheetInfo> {
  const res = await guarded(id, () =>
    googleCall<{
      spreadsheetId: string;
      properties?: { title?: string; timeZone?: string };
      sheets?: {
        properties: {
          sheetId: number;
          title: string;
          index: number;
          gridProperties?: { rowCount?: number; columnCount?: number };
        };
      }[];
    }>(ctx, {
      service: 'sheets',
      path: base(id),
      query: {
        fields:
          'spreadsheetId,properties(title,timeZone),sheets.properties(sheetId,title,index,gridProperties)',
      },
    }),
  );
  return {
    spreadsheetId: res.spreadsheetId,
    title: res.properties?.title ?? '',
    timeZone: res.properties?.timeZone ?? null,
    tabs: (res.sheets ?? []).map(({ properties: p }) => ({
      sheetId: p.sheetId,
      title: p.title,
      index: p.index,
      rowCount: p.gridProperties?.rowCount ?? 0,
      columnCount: p.gridProperties?.columnCount ?? 0,
    })),
  };
}

/** Cells of one range as displayed (FORMATTED_VALUE), rows of strings, trailing blanks trimmed by Google. */
export async function getValues(
  ctx: ProviderContext,
  id: string,
  range: string,
  tab?: string,
): Promise<Cell[][]> {
  const res = await guarded(
    id,
    () =>
      googleCall<{ values?: Cell[][] }>(ctx, {
        service: 'sheets',
        path: `${base(id)}/values/${encodeURIComponent(range)}`,
      }),
    tab,
  );
  return res?.values ?? [];
}

/** Several ranges in one call, in the order asked. */
export async function batchGetValues(
  ctx: ProviderContext,
  id: string,
  ranges: string[],
): Promise<Cell[][][]> {
  if (ranges.length === 0) return [];
  const res = await guarded(id, () =>
    googleCall<{ valueRanges?: { values?: Cell[][] }[] }>(ctx, {
      service: 'sheets',
      path: `${base(id)}/values:batchGet`,
      query: { ranges },
    }),
  );
  return ranges.map((_, i) => res?.valueRanges?.[i]?.values ?? []);
}

/**
 * Values are written RAW: a caller saying "=IMPORTXML(…)" must land as text, never as a formula
 * the spreadsheet would evaluate.
 */
export async function appendRow(
  ctx: ProviderContext,
  id: string,
  tab: string,
  range: string,
  row: (Cell | null)[],
) {
  const res = await guarded(
    id,
    () =>
      googleCall<{ updates?: { updatedRange?: string } }>(ctx, {
        service: 'sheets',
        method: 'POST',
        path: `${base(id)}/values/${encodeURIComponent(range)}:append`,
        query: { valueInputOption: 'RAW', insertDataOption: 'INSERT_ROWS' },
        body: { majorDimension: 'ROWS', values: [row] },
      }),
    tab,
  );
  return res?.updates?.updatedRange ?? null;
}

/** Writes one row; null cells are left as they are (Google skips them). */
export async function updateRow(
  ctx: ProviderContext,
  id: string,
  tab: string,
  range: string,
  row: (Cell | null)[],
) {
  const res = await guarded(
    id,
    () =>
      googleCall<{ updatedRange?: string }>(ctx, {
        service: 'sheets',
        method: 'PUT',
        path: `${base(id)}/values/${encodeURIComponent(range)}`,
        query: { valueInputOption: 'RAW' },
        body: { majorDimension: 'ROWS', values: [row] },
      }),
    tab,
  );
  return res?.updatedRange ?? null;
}

export interface DriveSpreadsheet {
  id: string;
  name: string;
  modifiedTime?: string;
}

/** Spreadsheets the account can see, most recently modified first, at most `limit`. */
export async function listSpreadsheets(
  ctx: ProviderContext,
  limit: number,
): Promise<{ files: DriveSpreadsheet[]; truncated: boolean }> {
  const files: DriveSpreadsheet[] = [];
  let pageToken: string | undefined;
  do {
    const res = await googleCall<{ files?: DriveSpreadsheet[]; nextPageToken?: string }>(ctx, {
      service: 'drive',
      path: '/drive/v3/files',
      query: {
        q: "mimeType='application/vnd.google-apps.spreadsheet' and trashed = false",
        fields: 'nextPageToken,files(id,name,modifiedTime)',
        orderBy: 'modifiedTime desc',
        pageSize: 100,
        pageToken,
      },
    });
    files.push(...(res?.files ?? []));
    pageToken = res?.nextPageToken;
  } while (pageToken && files.length < limit);
  return { files: files.slice(0, limit), truncated: files.length > limit || Boolean(pageToken) };
}

/** `'Tab'!A5:D5` → 5. */
export function rowNumberOf(range: string | null): number | null {
  const m = range ? /![A-Z]+(\d+)/.exec(range) : null;
  return m ? Number(m[1]) : null;
}
