import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { call } from '../../../test/support/google-http-client.ts';
import { type GoogleFake, startGoogleFake } from './index.ts';

const G = 'https://www.googleapis.com/auth/';
let base: string;
let fake: GoogleFake;
let close: () => Promise<void>;
let token: string;
let id: string;

beforeAll(async () => {
  ({ url: base, fake, close } = await startGoogleFake({ clientId: 'c', clientSecret: 's' }));
});
afterAll(() => close());
beforeEach(() => {
  fake.reset();
  token = fake.seed.token('alice@example.com', { scopes: [`${G}spreadsheets`] }).accessToken;
  id = fake.seed.spreadsheet({
    owner: 'alice@example.com',
    title: 'CRM',
    sheets: [
      { title: 'Overview' },
      {
        title: 'My Tab',
        values: [
          ['Name', 'Phone', 'Score'],
          ['Sam', '+1 555 0101', 72, null, ''],
          ['Ana', null, 88.5],
        ],
      },
    ],
  }).spreadsheetId;
});

const api = (path: string, opts: Parameters<typeof call>[2] = {}) => call(base, path, { token, ...opts });
const values = (range: string, suffix = '') =>
  `/v4/spreadsheets/${id}/values/${encodeURIComponent(range)}${suffix}`;

describe('spreadsheets.get', () => {
  it('returns the title and the tabs with their grid sizes', async () => {
    const res = await api(`/v4/spreadsheets/${id}`, {
      query: { fields: 'properties.title,sheets.properties' },
    });
    expect(res.status).toBe(200);
    expect(res.body.properties.title).toBe('CRM');
    expect(res.body.sheets.map((s: any) => s.properties)).toEqual([
      {
        sheetId: 0,
        title: 'Overview',
        index: 0,
        sheetType: 'GRID',
        gridProperties: { rowCount: 1000, columnCount: 26 },
      },
      expect.objectContaining({
        title: 'My Tab',
        index: 1,
        gridProperties: { rowCount: 1000, columnCount: 26 },
      }),
    ]);
  });

  it('answers 404 NOT_FOUND for an unknown spreadsheet and 403 for one not shared', async () => {
    const unknown = await api('/v4/spreadsheets/1nope');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({
      error: { code: 404, message: 'Requested entity was not found.', status: 'NOT_FOUND' },
    });
    const other = fake.seed.spreadsheet({ owner: 'bob@example.com', title: 'Secret' });
    const denied = await api(`/v4/spreadsheets/${other.spreadsheetId}`);
    expect(denied.status).toBe(403);
    expect(denied.body.error).toMatchObject({ code: 403, status: 'PERMISSION_DENIED' });
  });

  it('answers 401 in the Sheets error shape for a bad token', async () => {
    const res = await call(base, `/v4/spreadsheets/${id}`, { token: 'ya29.bad' });
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({ code: 401, status: 'UNAUTHENTICATED' });
    expect(res.body.error.errors).toBeUndefined();
  });
});

describe('values.get', () => {
  it('reads a quoted tab with an open-ended range, trimming trailing empties like Google', async () => {
    const res = await api(values("'My Tab'!A1:Z"));
    expect(res.body).toEqual({
      range: "'My Tab'!A1:Z1000",
      majorDimension: 'ROWS',
      values: [
        ['Name', 'Phone', 'Score'],
        ['Sam', '+1 555 0101', '72'],
        ['Ana', '', '88.5'],
      ],
    });
  });

  it('reads the header row, a bare tab name, unformatted values and columns', async () => {
    expect((await api(values("'My Tab'!1:1"))).body).toEqual({
      range: "'My Tab'!A1:Z1",
      majorDimension: 'ROWS',
      values: [['Name', 'Phone', 'Score']],
    });
    expect((await api(values('My Tab'))).body.values).toHaveLength(3);
    const raw = await api(values("'My Tab'!C2:C3"), { query: { valueRenderOption: 'UNFORMATTED_VALUE' } });
    expect(raw.body.values).toEqual([[72], [88.5]]);
    const cols = await api(values("'My Tab'!A1:B3"), { query: { majorDimension: 'COLUMNS' } });
    expect(cols.body.values).toEqual([
      ['Name', 'Sam', 'Ana'],
      ['Phone', '+1 555 0101'],
    ]);
  });

  it('omits values for an empty range and refuses unknown tabs and ranges past the grid', async () => {
    const empty = await api(values('Overview!A1:B2'));
    expect(empty.body).toEqual({ range: 'Overview!A1:B2', majorDimension: 'ROWS' });
    const unknown = await api(values('Nope!A1'));
    expect(unknown.body).toEqual({
      error: { code: 400, message: 'Unable to parse range: Nope!A1', status: 'INVALID_ARGUMENT' },
    });
    expect((await api(values('Overview!A1:AA1'))).body.error.message).toContain('exceeds grid limits');
  });

  it('reads several ranges with values:batchGet', async () => {
    const res = await api(`/v4/spreadsheets/${id}/values:batchGet`, {
      query: { ranges: ["'My Tab'!A1:A2", 'Overview'] },
    });
    expect(res.body.spreadsheetId).toBe(id);
    expect(res.body.valueRanges.map((r: any) => r.range)).toEqual(["'My Tab'!A1:A2", 'Overview!A1:Z1000']);
    expect(res.body.valueRanges[0].values).toEqual([['Name'], ['Sam']]);
  });
});

describe('values.append', () => {
  it('requires valueInputOption', async () => {
    const res = await api(values("'My Tab'!A1", ':append'), { json: { values: [['x']] } });
    expect(res.body).toEqual({
      error: {
        code: 400,
        message: "'valueInputOption' is required but not specified",
        status: 'INVALID_ARGUMENT',
      },
    });
  });

  it('appends after the table and reports the table and written ranges', async () => {
    const res = await api(values("'My Tab'!A1:C1", ':append'), {
      query: { valueInputOption: 'USER_ENTERED', insertDataOption: 'INSERT_ROWS' },
      json: { values: [['Lee', '+1 555 0103', '42']] },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      spreadsheetId: id,
      tableRange: "'My Tab'!A1:C3",
      updates: {
        spreadsheetId: id,
        updatedRange: "'My Tab'!A4:C4",
        updatedRows: 1,
        updatedColumns: 3,
        updatedCells: 3,
      },
    });
    const raw = await api(values("'My Tab'!A4:C4"), { query: { valueRenderOption: 'UNFORMATTED_VALUE' } });
    expect(raw.body.values).toEqual([['Lee', '+1 555 0103', 42]]);
  });

  it('keeps strings verbatim with RAW and accepts an unencoded colon suffix', async () => {
    const path = `/v4/spreadsheets/${id}/values/Overview!A1:append`;
    const first = await api(path, {
      query: { valueInputOption: 'RAW' },
      json: { values: [['007', 'TRUE']] },
    });
    expect(first.body.tableRange).toBeUndefined();
    expect(first.body.updates.updatedRange).toBe('Overview!A1:B1');
    const raw = await api(values('Overview!A1:B1'), { query: { valueRenderOption: 'UNFORMATTED_VALUE' } });
    expect(raw.body.values).toEqual([['007', 'TRUE']]);
  });
});

describe('values.update', () => {
  it('writes from the anchor cell and refuses writes past a bounded range', async () => {
    const res = await api(values("'My Tab'!B3"), {
      method: 'PUT',
      query: { valueInputOption: 'USER_ENTERED' },
      json: { values: [['+1 555 0199', '90']] },
    });
    expect(res.body).toEqual({
      spreadsheetId: id,
      updatedRange: "'My Tab'!B3:C3",
      updatedRows: 1,
      updatedColumns: 2,
      updatedCells: 2,
    });
    expect((await api(values("'My Tab'!A3:C3"))).body.values).toEqual([['Ana', '+1 555 0199', '90']]);
    const over = await api(values("'My Tab'!A2:B2"), {
      method: 'PUT',
      query: { valueInputOption: 'RAW' },
      json: { values: [['a', 'b', 'c']] },
    });
    expect(over.status).toBe(400);
    expect(over.body.error.message).toBe(
      "Requested writing within range ['My Tab'!A2:B2], but tried writing to column [C]",
    );
  });

  it('refuses writes from a reader and from a read-only token', async () => {
    const shared = fake.seed.spreadsheet({
      owner: 'bob@example.com',
      title: 'Shared',
      sharedWith: { 'alice@example.com': 'reader' },
    });
    const path = `/v4/spreadsheets/${shared.spreadsheetId}/values/Sheet1!A1`;
    expect((await api(path)).status).toBe(200);
    const put = await api(path, {
      method: 'PUT',
      query: { valueInputOption: 'RAW' },
      json: { values: [['x']] },
    });
    expect(put.status).toBe(403);
    const readOnly = fake.seed.token('alice@example.com', {
      scopes: [`${G}spreadsheets.readonly`],
    }).accessToken;
    const res = await call(base, values('Overview!A1'), {
      token: readOnly,
      method: 'PUT',
      query: { valueInputOption: 'RAW' },
      json: { values: [['x']] },
    });
    expect(res.status).toBe(403);
    expect(res.body.error.details[0].reason).toBe('ACCESS_TOKEN_SCOPE_INSUFFICIENT');
  });
});

describe('values.append table detection', () => {
  it('finds the table from a one-cell range and ends it at the first blank row', async () => {
    fake.seed.spreadsheet({
      owner: 'alice@example.com',
      id: 'gappy',
      title: 'Gaps',
      sheets: [{ title: 'Sheet1', values: [['h1', 'h2'], ['a', 'b'], [], ['c', 'd']] }],
    });
    const res = await api('/v4/spreadsheets/gappy/values/Sheet1!A1:append', {
      query: { valueInputOption: 'RAW' },
      json: { values: [['x', 'y']] },
    });
    expect(res.body.tableRange).toBe('Sheet1!A1:B2');
    expect(res.body.updates.updatedRange).toBe('Sheet1!A3:B3');
  });
});
