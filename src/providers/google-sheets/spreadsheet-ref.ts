/** A spreadsheet as people paste it: a docs.google.com URL (possibly naming a tab by gid) or a bare id. */
import { AppError } from '../../errors.ts';

export interface SpreadsheetRef {
  id: string;
  /** The tab a URL pointed at (`#gid=123`), when it named one. */
  gid?: number;
}

const URL_ID = /\/spreadsheets\/(?:u\/\d+\/)?d\/([A-Za-z0-9_-]{3,200})/;
const BARE_ID = /^[A-Za-z0-9_-]{3,200}$/;

export function parseSpreadsheetRef(ref: unknown, field = 'ref'): SpreadsheetRef {
  const text = typeof ref === 'string' ? ref.trim() : '';
  if (BARE_ID.test(text)) return { id: text };
  const m = URL_ID.exec(text);
  if (m && /^https?:\/\//i.test(text)) {
    const gid = /[#?&]gid=(\d{1,12})/.exec(text)?.[1];
    return gid === undefined ? { id: m[1] } : { id: m[1], gid: Number(gid) };
  }
  throw new AppError('validation_error', `${field} must be a Google Sheets URL or a spreadsheet id`, {
    errors: [{ field, message: 'must be a Google Sheets URL or a spreadsheet id' }],
  });
}
