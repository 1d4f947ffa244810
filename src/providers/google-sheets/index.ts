/** The Google Sheets provider: append, look up and update rows over OAuth; discovery of tabs and headers. */
import { AppError } from '../../errors.ts';
import { googleOAuth } from '../google/oauth.ts';
import type { ExecuteRequest, ProviderContext, ProviderModule } from '../types.ts';
import { SHEETS_ACTIONS } from './actions.ts';
import { discoverSheets } from './discover.ts';
import { appendRowAction, lookupRowAction, updateRowAction } from './rows.ts';
import { resolveTarget } from './settings.ts';

export { describeSpreadsheet } from './describe.ts';

/**
 * Least privilege: read/write of spreadsheets the account can open, and Drive file metadata (never
 * contents) to list them for discovery. Identity scopes for the account label are the OAuth layer's.
 */
export const GOOGLE_SHEETS_SCOPES = [
  'https://www.googleapis.com/auth/spreadsheets',
  'https://www.googleapis.com/auth/drive.metadata.readonly',
];

async function execute(_credentials: Record<string, unknown>, request: ExecuteRequest, ctx: ProviderContext) {
  const target = await resolveTarget(request.config ?? {}, ctx, request.connectionId);
  switch (request.action) {
    case 'append_row':
      return appendRowAction(request, target, ctx);
    case 'lookup_row':
      return lookupRowAction(request, target, ctx);
    case 'update_row':
      return updateRowAction(request, target, ctx);
    default:
      throw new AppError(
        'unknown_action',
        `google_sheets has no action ${String(request.action ?? '(none)').slice(0, 64)}`,
      );
  }
}

export const googleSheets: ProviderModule = {
  kind: 'google_sheets',
  skillType: 'google_sheets',
  name: 'Google Sheets',
  category: 'Spreadsheets',
  blurb: 'Let agents add rows to, look up and update your Google Sheets: leads, orders, messages, stock.',
  logo: 'google-sheets',
  auth: { type: 'oauth2', oauth: googleOAuth(GOOGLE_SHEETS_SCOPES) },
  actions: SHEETS_ACTIONS,
  discover: discoverSheets,
  execute,
};
