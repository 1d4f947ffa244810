/** GET /integrations/google_sheets/spreadsheet?ref=: what an operator pasted (URL or id) → title, tabs, headers. */
import { Type } from '@sinclair/typebox';
import { describeSpreadsheet } from '../../providers/google-sheets/index.ts';
import type { Services } from '../../services.ts';
import { orgOf } from '../auth.ts';
import { ok } from '../envelope.ts';
import { Envelope, Nullable, problemResponses } from '../schemas.ts';
import type { TypedApp } from '../typed-app.ts';

const Tab = Type.Object({
  sheetId: Type.Integer(),
  title: Type.String(),
  index: Type.Integer(),
  rowCount: Type.Integer(),
  headers: Type.Array(Type.String(), { description: 'The header row as typed' }),
  columns: Type.Array(Type.String(), {
    description: 'Column names the actions use: duplicates numbered, empty headers named by letter',
  }),
});

const Spreadsheet = Type.Object({
  spreadsheetId: Type.String(),
  title: Type.String(),
  url: Type.String(),
  tabs: Type.Array(Tab),
  selectedTab: Nullable(Type.String()),
});

export const googleSheetsRoutes = (s: Services) => async (app: TypedApp) => {
  app.get(
    '/integrations/google_sheets/spreadsheet',
    {
      config: { scope: 'integrations:read' },
      schema: {
        tags: ['integrations'],
        summary: 'A spreadsheet URL or id → its title, tabs and header rows (404 sheet_not_accessible)',
        querystring: Type.Object({
          ref: Type.String({ minLength: 1, maxLength: 2048, description: 'Spreadsheet URL or id' }),
        }),
        response: { 200: Envelope(Spreadsheet), ...problemResponses },
      },
    },
    async (req) =>
      ok(
        await s.integrations.withConnection(orgOf(req), 'google_sheets', (ctx) =>
          describeSpreadsheet(req.query.ref, ctx),
        ),
      ),
  );
};
