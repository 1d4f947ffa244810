import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { call } from '../../../test/support/google-http-client.ts';
import { type GoogleFake, SPREADSHEET_MIME, startGoogleFake } from './index.ts';

const G = 'https://www.googleapis.com/auth/';
let base: string;
let fake: GoogleFake;
let close: () => Promise<void>;
let token: string;

beforeAll(async () => {
  ({ url: base, fake, close } = await startGoogleFake({ clientId: 'c', clientSecret: 's' }));
});
afterAll(() => close());
beforeEach(() => {
  fake.reset();
  token = fake.seed.token('alice@example.com', { scopes: [`${G}drive.metadata.readonly`] }).accessToken;
  const owner = 'alice@example.com';
  fake.seed.spreadsheet({ owner, id: 'ss-old', title: 'Leads', modifiedTime: '2026-01-01T00:00:00Z' });
  fake.seed.spreadsheet({ owner, id: 'ss-new', title: 'Bookings', modifiedTime: '2026-02-01T00:00:00Z' });
  fake.seed.spreadsheet({ owner, id: 'ss-trash', title: 'Old stuff', trashed: true });
  fake.seed.spreadsheet({
    owner: 'bob@example.com',
    id: 'ss-shared',
    title: 'Bob shared',
    sharedWith: { [owner]: 'reader' },
    modifiedTime: '2025-12-01T00:00:00Z',
  });
  fake.seed.spreadsheet({ owner: 'bob@example.com', id: 'ss-private', title: 'Bob private' });
  fake.seed.driveFile({ owner, name: 'Notes', mimeType: 'application/vnd.google-apps.document' });
});

const list = (query: Record<string, string>) => call(base, '/drive/v3/files', { token, query });
const SHEETS_Q = `mimeType='${SPREADSHEET_MIME}' and trashed=false`;

describe('drive files.list', () => {
  it('lists the spreadsheets the caller can see, newest first, with the requested fields', async () => {
    const res = await list({ q: SHEETS_Q, fields: 'nextPageToken,files(id,name,mimeType,modifiedTime)' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      files: [
        {
          id: 'ss-new',
          name: 'Bookings',
          mimeType: SPREADSHEET_MIME,
          modifiedTime: '2026-02-01T00:00:00.000Z',
        },
        { id: 'ss-old', name: 'Leads', mimeType: SPREADSHEET_MIME, modifiedTime: '2026-01-01T00:00:00.000Z' },
        {
          id: 'ss-shared',
          name: 'Bob shared',
          mimeType: SPREADSHEET_MIME,
          modifiedTime: '2025-12-01T00:00:00.000Z',
        },
      ],
    });
  });

  it('pages with pageSize and pageToken', async () => {
    const fields = 'nextPageToken,files(id)';
    const first = await list({ q: SHEETS_Q, fields, pageSize: '2' });
    expect(first.body.files).toHaveLength(2);
    expect(first.body.nextPageToken).toEqual(expect.any(String));
    const second = await list({ q: SHEETS_Q, fields, pageSize: '2', pageToken: first.body.nextPageToken });
    expect(second.body).toEqual({ files: [{ id: 'ss-shared' }] });
  });

  it('answers Drive’s default shape without fields, trashed files and other types included', async () => {
    const res = await list({ orderBy: 'name' });
    expect(res.body).toMatchObject({ kind: 'drive#fileList', incompleteSearch: false });
    expect(res.body.files.map((f: any) => f.name)).toEqual([
      'Bob shared',
      'Bookings',
      'Leads',
      'Notes',
      'Old stuff',
    ]);
    expect(Object.keys(res.body.files[0])).toEqual(['kind', 'mimeType', 'id', 'name']);
  });

  it('supports name contains and owner clauses, and refuses what it cannot parse', async () => {
    const named = await list({ q: `${SHEETS_Q} and name contains 'book'` });
    expect(named.body.files.map((f: any) => f.id)).toEqual(['ss-new']);
    const mine = await list({ q: `${SHEETS_Q} and 'me' in owners` });
    expect(mine.body.files).toHaveLength(2);
    const bad = await list({ q: 'modifiedTime > yesterday' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({
      code: 400,
      message: 'Invalid Value',
      errors: [{ reason: 'invalid', location: 'q' }],
    });
  });

  it('refuses a token without a Drive scope', async () => {
    const calendarOnly = fake.seed.token('alice@example.com', {
      scopes: [`${G}calendar.events`],
    }).accessToken;
    const res = await call(base, '/drive/v3/files', { token: calendarOnly });
    expect(res.status).toBe(403);
    expect(res.body.error.errors[0].reason).toBe('insufficientPermissions');
  });
});
