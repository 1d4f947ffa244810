import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { call } from '../../../test/support/google-http-client.ts';
import { type GoogleFake, startGoogleFake } from './index.ts';

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
  fake.seed.account('alice@example.com', { timeZone: 'Europe/Paris' });
  token = fake.seed.token('alice@example.com', {
    scopes: [`${G}calendar.events`, `${G}calendar.readonly`],
  }).accessToken;
});

const events = '/calendar/v3/calendars/primary/events';
const api = (path: string, opts: Parameters<typeof call>[2] = {}) => call(base, path, { token, ...opts });
const slot = (day: string, from: string, to: string, extra: Record<string, unknown> = {}) => ({
  start: { dateTime: `${day}T${from}:00`, timeZone: 'Europe/Paris' },
  end: { dateTime: `${day}T${to}:00`, timeZone: 'Europe/Paris' },
  ...extra,
});

describe('calendars', () => {
  it('lists the primary calendar first-class and resolves the primary alias', async () => {
    const shared = fake.seed.calendar({
      owner: 'bob@example.com',
      summary: 'Bob',
      sharedWith: { 'alice@example.com': 'reader' },
    });
    const list = await api('/calendar/v3/users/me/calendarList');
    expect(list.body.kind).toBe('calendar#calendarList');
    expect(list.body.items).toHaveLength(2);
    expect(list.body.items[0]).toMatchObject({
      id: 'alice@example.com',
      primary: true,
      accessRole: 'owner',
      timeZone: 'Europe/Paris',
    });
    expect(list.body.items[1]).toMatchObject({ id: shared.id, accessRole: 'reader' });
    const cal = await api('/calendar/v3/calendars/primary');
    expect(cal.body).toMatchObject({
      kind: 'calendar#calendar',
      id: 'alice@example.com',
      timeZone: 'Europe/Paris',
    });
  });

  it('answers 404 notFound for a calendar the caller cannot see', async () => {
    const other = fake.seed.calendar({ owner: 'bob@example.com', summary: 'Private' });
    const res = await api(`/calendar/v3/calendars/${encodeURIComponent(other.id)}/events`);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      error: {
        code: 404,
        message: 'Not Found',
        errors: [{ message: 'Not Found', domain: 'global', reason: 'notFound' }],
      },
    });
  });
});

describe('events', () => {
  it('inserts an event with a client id and returns Google’s resource shape', async () => {
    const res = await api(events, {
      json: slot('2026-03-02', '09:00', '09:30', {
        id: 'booking0001',
        summary: 'Haircut',
        attendees: [{ email: 'sam@example.com', displayName: 'Sam' }],
        extendedProperties: { private: { flowyteKey: 'k1' } },
      }),
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      kind: 'calendar#event',
      id: 'booking0001',
      status: 'confirmed',
      summary: 'Haircut',
      start: { dateTime: '2026-03-02T09:00:00+01:00', timeZone: 'Europe/Paris' },
      end: { dateTime: '2026-03-02T09:30:00+01:00', timeZone: 'Europe/Paris' },
      iCalUID: 'booking0001@google.com',
      attendees: [{ email: 'sam@example.com', displayName: 'Sam', responseStatus: 'needsAction' }],
      extendedProperties: { private: { flowyteKey: 'k1' } },
      organizer: { email: 'alice@example.com', self: true },
    });
    expect(res.body.htmlLink).toMatch(/^https:\/\/www\.google\.com\/calendar\/event\?eid=/);
    expect(res.body.etag).toMatch(/^"\d+"$/);
    expect(Date.parse(res.body.created)).not.toBeNaN();
  });

  it('records the emails sendUpdates would send: invitation, update, cancellation; none by default', async () => {
    const attendees = [
      { email: 'sam@example.com', displayName: 'Sam' },
      { email: 'pat@elsewhere.test' },
      { email: 'alice@example.com' },
    ];
    const made = await api(events, {
      json: slot('2026-03-02', '09:00', '09:30', { attendees }),
      query: { sendUpdates: 'all' },
    });
    expect(made.status).toBe(200);
    const id = made.body.id;
    // Same domain as the organizer: externalOnly skips Sam; the organizer is never emailed.
    await api(`${events}/${id}`, {
      method: 'PATCH',
      json: { summary: 'Moved' },
      query: { sendUpdates: 'externalOnly' },
    });
    await api(`${events}/${id}`, { method: 'PATCH', json: { summary: 'Quiet' } });
    expect(
      (await api(`${events}/${id}`, { method: 'DELETE', query: { sendNotifications: 'true' } })).status,
    ).toBe(204);
    expect(fake.state.outbox.map(({ kind, eventId, to }) => ({ kind, eventId, to }))).toEqual([
      { kind: 'invitation', eventId: id, to: ['sam@example.com', 'pat@elsewhere.test'] },
      { kind: 'update', eventId: id, to: ['pat@elsewhere.test'] },
      { kind: 'cancellation', eventId: id, to: ['sam@example.com', 'pat@elsewhere.test'] },
    ]);
    const bad = await api(events, {
      json: slot('2026-03-03', '09:00', '09:30'),
      query: { sendUpdates: 'some' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.errors[0].reason).toBe('invalidParameter');
  });

  it('refuses a reused id with 409 duplicate, even after the event was deleted', async () => {
    await api(events, { json: slot('2026-03-02', '09:00', '10:00', { id: 'dup00001' }) });
    const again = await api(events, { json: slot('2026-03-02', '11:00', '12:00', { id: 'dup00001' }) });
    expect(again.status).toBe(409);
    expect(again.body).toEqual({
      error: {
        code: 409,
        message: 'The requested identifier already exists.',
        errors: [
          { message: 'The requested identifier already exists.', domain: 'global', reason: 'duplicate' },
        ],
      },
    });
    await api(`${events}/dup00001`, { method: 'DELETE' });
    expect(
      (await api(events, { json: slot('2026-03-02', '09:00', '10:00', { id: 'dup00001' }) })).status,
    ).toBe(409);
  });

  it.each([
    [{ id: 'Not-Base32' }, 'Invalid resource id value.'],
    [{ start: { dateTime: '2026-03-02T09:00:00' } }, 'Missing time zone definition for start time.'],
    [{ end: undefined }, 'Missing end time.'],
    [{ end: { dateTime: '2026-03-02T08:00:00+01:00' } }, 'The specified time range is empty.'],
  ])('refuses an invalid insert %o with 400', async (override, message) => {
    const res = await api(events, { json: { ...slot('2026-03-02', '09:00', '10:00'), ...override } });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(message);
  });

  it('lists by time window in start order, with filters and pages', async () => {
    await api(events, { json: slot('2026-03-02', '14:00', '15:00', { summary: 'Colour Ana' }) });
    await api(events, {
      json: slot('2026-03-02', '09:00', '10:00', {
        summary: 'Cut Sam',
        extendedProperties: { private: { k: 'a=b' } },
      }),
    });
    await api(events, { json: slot('2026-03-03', '09:00', '10:00', { summary: 'Next day' }) });
    const query = {
      timeMin: '2026-03-02T00:00:00+01:00',
      timeMax: '2026-03-03T00:00:00+01:00',
      singleEvents: 'true',
      orderBy: 'startTime',
    };
    const day = await api(events, { query });
    expect(day.body).toMatchObject({
      kind: 'calendar#events',
      timeZone: 'Europe/Paris',
      accessRole: 'owner',
    });
    expect(day.body.items.map((e: any) => e.summary)).toEqual(['Cut Sam', 'Colour Ana']);
    const filtered = await api(events, { query: { ...query, privateExtendedProperty: 'k=a=b' } });
    expect(filtered.body.items.map((e: any) => e.summary)).toEqual(['Cut Sam']);
    expect((await api(events, { query: { ...query, q: 'ana' } })).body.items).toHaveLength(1);
    const page1 = await api(events, { query: { ...query, maxResults: '1' } });
    expect(page1.body.items).toHaveLength(1);
    const page2 = await api(events, {
      query: { ...query, maxResults: '1', pageToken: page1.body.nextPageToken },
    });
    expect(page2.body.items[0].summary).toBe('Colour Ana');
    expect(page2.body.nextPageToken).toBeUndefined();
    const utc = await api(events, { query: { ...query, timeZone: 'UTC' } });
    expect(utc.body.items[0].start.dateTime).toBe('2026-03-02T08:00:00Z');
  });

  it('refuses orderBy=startTime without singleEvents and a timeMin without offset', async () => {
    expect((await api(events, { query: { orderBy: 'startTime' } })).body.error.errors[0].reason).toBe(
      'badRequest',
    );
    const res = await api(events, { query: { timeMin: '2026-03-02T00:00:00' } });
    expect(res).toMatchObject({ status: 400, body: { error: { message: 'Bad Request' } } });
  });

  it('patches with merge semantics and bumps the sequence when times move', async () => {
    const ev = (
      await api(events, {
        json: slot('2026-03-02', '09:00', '10:00', {
          summary: 'A',
          extendedProperties: { private: { a: '1' } },
        }),
      })
    ).body;
    const res = await api(`${events}/${ev.id}`, {
      method: 'PATCH',
      json: {
        start: { dateTime: '2026-03-02T11:00:00+01:00' },
        end: { dateTime: '2026-03-02T12:00:00+01:00' },
        extendedProperties: { private: { b: '2' } },
      },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      summary: 'A',
      sequence: 1,
      extendedProperties: { private: { a: '1', b: '2' } },
    });
    expect(res.body.start.dateTime).toBe('2026-03-02T11:00:00+01:00');
    expect((await api(`${events}/${ev.id}`)).body.start.dateTime).toBe('2026-03-02T11:00:00+01:00');
  });

  it('deletes with 204, keeps the event as cancelled, and answers 410 to a second delete', async () => {
    const ev = (await api(events, { json: slot('2026-03-02', '09:00', '10:00') })).body;
    // An empty body under a JSON content type is accepted, as at Google.
    const del = await api(`${events}/${ev.id}`, {
      method: 'DELETE',
      headers: { 'content-type': 'application/json' },
    });
    expect(del.status).toBe(204);
    expect((await api(`${events}/${ev.id}`)).body.status).toBe('cancelled');
    expect((await api(events)).body.items).toHaveLength(0);
    expect((await api(events, { query: { showDeleted: 'true' } })).body.items).toHaveLength(1);
    const again = await api(`${events}/${ev.id}`, { method: 'DELETE' });
    expect(again.status).toBe(410);
    expect(again.body.error.errors[0].reason).toBe('deleted');
    expect((await api(`${events}/nosuchevent`, { method: 'DELETE' })).status).toBe(404);
  });

  it('refuses writes on a calendar shared read-only', async () => {
    const cal = fake.seed.calendar({
      owner: 'bob@example.com',
      sharedWith: { 'alice@example.com': 'reader' },
    });
    const res = await api(`/calendar/v3/calendars/${encodeURIComponent(cal.id)}/events`, {
      json: slot('2026-03-02', '09:00', '10:00'),
    });
    expect(res.status).toBe(403);
    expect(res.body.error.errors[0].reason).toBe('requiredAccessLevel');
  });
});

describe('freeBusy', () => {
  it('returns merged busy intervals of opaque, live events, and notFound for unknown calendars', async () => {
    await api(events, { json: slot('2026-03-02', '09:00', '10:00') });
    await api(events, { json: slot('2026-03-02', '09:30', '11:00') });
    await api(events, { json: slot('2026-03-02', '13:00', '14:00', { transparency: 'transparent' }) });
    const gone = (await api(events, { json: slot('2026-03-02', '15:00', '16:00') })).body;
    await api(`${events}/${gone.id}`, { method: 'DELETE' });
    const res = await api('/calendar/v3/freeBusy', {
      json: {
        timeMin: '2026-03-02T00:00:00Z',
        timeMax: '2026-03-03T00:00:00Z',
        items: [{ id: 'primary' }, { id: 'nobody@example.com' }],
      },
    });
    expect(res.body).toEqual({
      kind: 'calendar#freeBusy',
      timeMin: '2026-03-02T00:00:00.000Z',
      timeMax: '2026-03-03T00:00:00.000Z',
      calendars: {
        primary: { busy: [{ start: '2026-03-02T08:00:00Z', end: '2026-03-02T10:00:00Z' }] },
        'nobody@example.com': { errors: [{ domain: 'global', reason: 'notFound' }], busy: [] },
      },
    });
  });
});

describe('authentication', () => {
  it('answers 401 required without a token and 401 authError with a bad one', async () => {
    const missing = await call(base, events);
    expect(missing.status).toBe(401);
    expect(missing.body.error).toMatchObject({ status: 'UNAUTHENTICATED', errors: [{ reason: 'required' }] });
    const bad = await call(base, events, { token: 'ya29.bogus' });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('www-authenticate')).toContain('invalid_token');
    expect(bad.body.error).toMatchObject({
      code: 401,
      status: 'UNAUTHENTICATED',
      errors: [{ domain: 'global', reason: 'authError' }],
    });
  });

  it('answers 403 insufficientPermissions to a write with a read-only token', async () => {
    const readOnly = fake.seed.token('alice@example.com', { scopes: [`${G}calendar.readonly`] }).accessToken;
    expect((await call(base, events, { token: readOnly })).status).toBe(200);
    const res = await call(base, events, { token: readOnly, json: slot('2026-03-02', '09:00', '10:00') });
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({
      status: 'PERMISSION_DENIED',
      errors: [{ reason: 'insufficientPermissions' }],
    });
  });
});
