/**
 * Google Calendar find / reschedule / cancel, guarded by the caller's identity, and discovery,
 * called directly (provider.execute) against the Google fake.
 */
import { describe, expect, test } from 'vitest';
import { googleCalendar } from '../src/providers/google-calendar/index.ts';
import { calendarSuite, failure } from './google-calendar-support.ts';

const { run, book, events, seedBusy, bed, ctx } = calendarSuite();

describe('find, reschedule, cancel', () => {
  test('find by phone in any formatting, or by email; never the owner’s own events', async () => {
    seedBusy('2030-03-14T09:00:00', '2030-03-14T10:00:00', 'Sam Lee 212 555 0101 personal');
    await book('2030-03-14T11:00:00', { caller_email: 'Sam@Example.com' });
    await book('2030-03-15T11:00:00');
    const now = Date.UTC(2030, 2, 1);
    const window = { window_start: new Date(now).toISOString(), window_end: '2030-04-01T00:00:00Z' };
    const byPhone = await run('find_appointment', {
      caller_phone: '212.555.0101',
      caller_email: null,
      ...window,
    });
    expect(byPhone.appointments.map((a: any) => a.start)).toEqual([
      '2030-03-14T11:00:00-04:00',
      '2030-03-15T11:00:00-04:00',
    ]);
    const byEmail = await run('find_appointment', {
      caller_phone: null,
      caller_email: 'sam@example.com',
      ...window,
    });
    expect(byEmail.appointments).toHaveLength(1);
    const nobody = await run('find_appointment', {
      caller_phone: '+44 20 7946 0000',
      caller_email: null,
      ...window,
    });
    expect(nobody).toMatchObject({ found: false, appointments: [] });
  });

  test('reschedule to a free time; refused into a busy one or for another caller', async () => {
    const { appointment_id } = await book('2030-03-18T10:00:00');
    seedBusy('2030-03-18T14:00:00', '2030-03-18T15:00:00');
    const busy = await failure(
      run('reschedule_appointment', {
        appointment_id,
        new_appointment_time: '2030-03-18T14:00:00',
        caller_phone: '2125550101',
        caller_email: null,
        duration_minutes: null,
      }),
    );
    expect(busy.code).toBe('slot_unavailable');
    const stranger = await failure(
      run('reschedule_appointment', {
        appointment_id,
        new_appointment_time: '2030-03-18T16:00:00',
        caller_phone: '+1 917 555 0000',
        caller_email: null,
        duration_minutes: null,
      }),
    );
    expect(stranger.code).toBe('not_found');
    const moved = await run('reschedule_appointment', {
      appointment_id,
      new_appointment_time: '2030-03-18T10:15:00',
      caller_phone: '2125550101',
      caller_email: null,
      duration_minutes: null,
    });
    expect(moved).toMatchObject({
      rescheduled: true,
      start: '2030-03-18T10:15:00-04:00',
      previous: { start: '2030-03-18T10:00:00-04:00' },
    });
    expect(events()[0].startMs).toBe(Date.UTC(2030, 2, 18, 14, 15));
  });

  test('cancel, then cancel again; an unknown or foreign id is not_found', async () => {
    const { appointment_id } = await book('2030-03-19T10:00:00');
    const owners = seedBusy('2030-03-19T12:00:00', '2030-03-19T13:00:00', 'Owner lunch');
    const args = { appointment_id, caller_phone: '+1 212 555 0101', caller_email: null };
    expect(await run('cancel_appointment', args)).toMatchObject({
      cancelled: true,
      already_cancelled: false,
    });
    expect(await run('cancel_appointment', args)).toMatchObject({ cancelled: true, already_cancelled: true });
    expect(events().map((e) => e.summary)).toEqual(['Owner lunch']);
    expect((await failure(run('cancel_appointment', { ...args, appointment_id: owners.id }))).code).toBe(
      'not_found',
    );
    expect((await failure(run('cancel_appointment', { ...args, appointment_id: 'nosuchevent' }))).code).toBe(
      'not_found',
    );
  });
});

describe('inviting the caller', () => {
  const booking = {
    appointment_time: '2030-03-20T10:00:00',
    caller_name: 'Sam Lee',
    caller_phone: '+1 212 555 0101',
    duration_minutes: null,
    notes: null,
  };
  const outbox = () => bed().fake.state.outbox.map(({ kind, to }) => ({ kind, to }));

  test('with invite_caller, a caller with an email is a guest and hears of the booking, move and cancel', async () => {
    const invite = { config: { invite_caller: true } };
    const made = await run('book_appointment', { ...booking, caller_email: 'sam@example.org' }, invite);
    expect(made).toMatchObject({ booked: true, invitation_sent_to: ['sam@example.org'] });
    expect(events()[0].attendees).toEqual([
      { email: 'sam@example.org', displayName: 'Sam Lee', responseStatus: 'needsAction' },
    ]);
    const who = { appointment_id: made.appointment_id, caller_phone: null, caller_email: 'sam@example.org' };
    // Moving and cancelling follow the event's guests, whatever the setting says now.
    await run('reschedule_appointment', {
      ...who,
      new_appointment_time: '2030-03-20T11:00:00',
      duration_minutes: null,
    });
    await run('cancel_appointment', who);
    expect(outbox()).toEqual([
      { kind: 'invitation', to: ['sam@example.org'] },
      { kind: 'update', to: ['sam@example.org'] },
      { kind: 'cancellation', to: ['sam@example.org'] },
    ]);
  });

  test('without the setting, or without an email, nobody is invited or emailed', async () => {
    const silent = await run('book_appointment', { ...booking, caller_email: 'sam@example.org' });
    expect(silent.invitation_sent_to).toBeUndefined();
    const noEmail = await run(
      'book_appointment',
      { ...booking, appointment_time: '2030-03-21T10:00:00', caller_email: null },
      { config: { invite_caller: true } },
    );
    expect(noEmail.invitation_sent_to).toBeUndefined();
    await run('cancel_appointment', {
      appointment_id: silent.appointment_id,
      caller_phone: '2125550101',
      caller_email: null,
    });
    expect(events().every((e) => !e.attendees?.length)).toBe(true);
    expect(outbox()).toEqual([]);
  });
});

describe('discovery', () => {
  test('calendars become objects with event fields; writes only where the account may write', async () => {
    bed().fake.seed.calendar({
      owner: 'team@example.com',
      summary: 'Team holidays',
      sharedWith: { [bed().email]: 'reader' },
    });
    const schema = await googleCalendar.discover!({}, ctx());
    expect(schema.objects.map((o) => o.name)).toEqual(['primary', 'team_holidays']);
    const [primary, team] = schema.objects;
    expect(primary).toMatchObject({
      kind: 'resource',
      capabilities: ['read', 'search', 'create', 'update'],
      source: { calendarId: bed().email },
    });
    expect(primary.fields.find((f) => f.name === 'caller_phone')).toMatchObject({ pii: 'phone' });
    expect(team.capabilities).toEqual(['read', 'search']);
    const ops = schema.operations.map((o) => o.name);
    expect(ops).toEqual(
      expect.arrayContaining([
        'primary.check_availability',
        'primary.book_appointment',
        'primary.cancel_appointment',
        'team_holidays.find_appointment',
      ]),
    );
    expect(ops).not.toContain('team_holidays.book_appointment');
    expect(schema.operations.find((o) => o.name === 'primary.book_appointment')).toMatchObject({
      kind: 'write',
      verb: 'insert',
    });
  });
});
