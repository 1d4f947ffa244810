/**
 * Google Sheets end to end over HTTP against the Google fake: OAuth connect, the spreadsheet route,
 * actions provisioned (landing disabled until a spreadsheet is set), configured, published and
 * invoked, faults as typed problems, and discovery.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  connectedOrg,
  type GoogleE2e,
  invoker,
  newAgent,
  publish,
  startGoogleE2e,
} from './google-e2e-support.ts';
import { ALL_SCOPES } from './support/oauth-dance.ts';

const EMAIL = 'shop@example.com';
let e: GoogleE2e;
let key: string;
let sheetId: string;
let url: string;

beforeAll(async () => {
  e = await startGoogleE2e();
  e.fake.seed.account(EMAIL);
  sheetId = e.fake.seed.spreadsheet({
    owner: EMAIL,
    title: 'Customer leads',
    sheets: [
      { title: 'Archive', values: [['Old']] },
      {
        title: 'Leads',
        values: [
          ['Name', 'Phone', 'Email', 'Status'],
          ['Sam Lee', '+1 212 555 0101', 'sam@example.com', 'new'],
        ],
      },
    ],
  }).spreadsheetId;
  const leadsTab = e.fake.state.spreadsheets.get(sheetId)!.sheets[1].sheetId;
  url = `https://docs.google.com/spreadsheets/d/${sheetId}/edit#gid=${leadsTab}`;
  key = await connectedOrg(e, 'shop', 'google_sheets', EMAIL);
});
afterAll(() => e.close());

const rows = () => e.fake.state.spreadsheets.get(sheetId)!.sheets[1].cells;
const describeRef = (ref: string, k = key) =>
  e.s.call('GET', `/api/v1/integrations/google_sheets/spreadsheet?ref=${encodeURIComponent(ref)}`, {
    key: k,
  });

describe('GET /integrations/google_sheets/spreadsheet', () => {
  test('a URL or an id → title, tabs and header rows', async () => {
    const res = await describeRef(url);
    expect(res.status, res.text).toBe(200);
    expect(res.json.data).toMatchObject({
      spreadsheetId: sheetId,
      title: 'Customer leads',
      selectedTab: 'Leads',
    });
    expect(res.json.data.tabs.map((t: any) => [t.title, t.headers])).toEqual([
      ['Archive', ['Old']],
      ['Leads', ['Name', 'Phone', 'Email', 'Status']],
    ]);
    expect((await describeRef(sheetId)).json.data.selectedTab).toBeNull();
  });

  test('unshared or unknown: 404 sheet_not_accessible; nonsense: 400; not connected: 409', async () => {
    const foreign = e.fake.seed.spreadsheet({ owner: 'other@example.com', title: 'Theirs' }).spreadsheetId;
    for (const ref of [foreign, '1DoesNotExistAnywhere']) {
      const res = await describeRef(ref);
      expect(res.status).toBe(404);
      expect(res.json.code).toBe('sheet_not_accessible');
    }
    expect((await describeRef('https://example.com/not-a-sheet')).status).toBe(400);
    const { key: other } = await e.s.key('no-sheets', ALL_SCOPES);
    expect((await describeRef(sheetId, other)).json.code).toBe('integration_not_connected');
    const { key: narrow } = await e.s.key('shop', ['agents:read']);
    expect((await describeRef(sheetId, narrow)).status).toBe(403);
  });
});

describe('actions, provisioned and invoked', () => {
  let agentId: string;
  let invoke: ReturnType<typeof invoker>;

  beforeAll(async () => {
    agentId = await newAgent(e.s, key);
    invoke = invoker(e.s, key, agentId);
    const prov = await e.s.call('POST', `/api/v1/agents/${agentId}/integrations/google_sheets/provision`, {
      key,
      body: { actions: ['append_row', 'lookup_row', 'update_row'] },
    });
    expect(prov.status, prov.text).toBe(200);
    // Without a spreadsheet the actions cannot run, so they land disabled until the operator sets one.
    expect(prov.json.data.map((r: any) => [r.skill.name, r.skill.skillType, r.skill.isEnabled])).toEqual([
      ['append_row', 'google_sheets', false],
      ['lookup_row', 'google_sheets', false],
      ['update_row', 'google_sheets', false],
    ]);
    for (const { skill } of prov.json.data) {
      const res = await e.s.call('PATCH', `/api/v1/agents/${agentId}/skills/${skill.id}`, {
        key,
        body: {
          executionConfig: {
            spreadsheet: url,
            column_mapping: { caller_phone: 'Phone', caller_name: 'Name' },
            key_column: 'caller_phone',
          },
          isEnabled: true,
        },
      });
      expect(res.status, res.text).toBe(200);
    }
    await publish(e.s, key, agentId);
  });

  test('lookup → append (confirmed, keyed) → update', async () => {
    const found = await invoke('lookup_row', { key_value: '(212) 555-0101', key_column: null });
    expect(found.status, found.text).toBe(200);
    expect(found.json.data.result).toMatchObject({
      found: true,
      matches: [{ row_number: 2, caller_name: 'Sam Lee', caller_phone: '+1 212 555 0101' }],
    });

    const values = [
      { column: 'caller_name', value: 'Ana Ruiz' },
      { column: 'caller_phone', value: '+1 646 555 0102' },
      { column: 'Status', value: 'new' },
    ];
    expect((await invoke('append_row', { values })).json.code).toBe('confirmation_required');
    const appended = await invoke('append_row', { values }, { confirmed: true, idempotencyKey: 'lead-7' });
    expect(appended.json.data.result).toMatchObject({ appended: true, row_number: 3 });
    await invoke('append_row', { values }, { confirmed: true, idempotencyKey: 'lead-7' });
    expect(rows()).toHaveLength(3);

    const updated = await invoke(
      'update_row',
      { key_value: '646-555-0102', key_column: null, values: [{ column: 'Status', value: 'called back' }] },
      { confirmed: true },
    );
    expect(updated.json.data.result).toMatchObject({ updated: true, row_number: 3 });
    expect(rows()[2]).toEqual(['Ana Ruiz', '+1 646 555 0102', null, 'called back']);
  });

  test('an unknown column is a 400 listing the known ones', async () => {
    const res = await invoke(
      'append_row',
      { values: [{ column: 'Shoe size', value: 9 }] },
      { confirmed: true },
    );
    expect(res.status).toBe(400);
    expect(res.json.detail).toMatch(/caller_phone, caller_name, Name, Phone, Email, Status/);
  });

  test('429 and 5xx from Sheets arrive as rate_limited and retryable provider_error', async () => {
    const lookup = () => invoke('lookup_row', { key_value: 'x', key_column: null });
    const limited = e.fake.faults.rateLimit({ path: '/v4/', retryAfter: 0 });
    const a = await lookup();
    limited.remove();
    expect(a.status).toBe(429);
    expect(a.headers.get('retry-after')).toBe('1');
    const broken = e.fake.faults.serverError({ path: '/v4/', status: 500 });
    const b = await lookup();
    broken.remove();
    expect(b.json).toMatchObject({ status: 502, code: 'provider_error', retryable: true });
  });
});

test('discovery: every visible spreadsheet tab with typed header fields', async () => {
  const summary = await e.s.call('POST', '/api/v1/integrations/google_sheets/discover', { key, body: {} });
  expect(summary.status, summary.text).toBe(200);
  const objects = (await e.s.call('GET', '/api/v1/integrations/google_sheets/objects', { key })).json.data;
  expect(objects.map((o: any) => o.name)).toEqual(
    expect.arrayContaining(['customer_leads.leads', 'customer_leads.archive']),
  );
  const schema = (await e.s.call('GET', '/api/v1/integrations/google_sheets/schema', { key })).json.data;
  const leads = schema.objects.find((o: any) => o.name === 'customer_leads.leads');
  expect(leads.fields.map((f: any) => [f.name, f.pii])).toEqual([
    ['Name', 'person_name'],
    ['Phone', 'phone'],
    ['Email', 'email'],
    ['Status', null],
  ]);
});
