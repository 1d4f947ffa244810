/**
 * Google Calendar availability and booking called directly (provider.execute) against the Google
 * fake: time zones around DST changes, business hours and buffers, double-booking refused,
 * idempotent and race-safe bookings.
 */
import { describe, expect, test } from 'vitest';
import type { AppError } from '../src/errors.ts';
import { availability, calendarSuite, failure, TZ } from './google-calendar-support.ts';

const { run, book, events, seedBusy } = calendarSuite();

describe('check_availability', () => {
  test('slots carry explicit offsets either side of the spring-forward change', async () => {
    const before = await run('check_availability', { ...availability, date: '2030-03-08' });
    const after = await run('check_availability', { ...availability, date: '2030-03-11' });
    expect(before.slots[0]).toEqual({
      start: '2030-03-08T09:00:00-05:00',
      end: '2030-03-08T09:30:00-05:00',
      local: expect.stringContaining('9:00'),
    });
    expect(before.slots[0].local).toMatch(/Friday, March 8, 2030.*9:00.AM EST/);
    expect(after.slots[0]).toMatchObject({ start: '2030-03-11T09:00:00-04:00' });
    expect(after.slots[0].local).toMatch(/EDT/);
    expect(after.slots).toHaveLength(16);
    expect(after.time_zone).toBe(TZ);
  });

  test('the night the clocks skip an hour has no 2 AM slots and keeps its true length', async () => {
    const res = await run(
      'check_availability',
      { ...availability, date: '2030-03-10', duration_minutes: 60 },
      { config: { business_hours: 'Sun 00:00-06:00' } },
    );
    const starts = res.slots.map((s: any) => s.start.slice(11, 25));
    expect(starts).toEqual([
      '00:00:00-05:00',
      '00:30:00-05:00',
      '01:00:00-05:00',
      '01:30:00-05:00',
      '03:00:00-04:00',
      '03:30:00-04:00',
      '04:00:00-04:00',
      '04:30:00-04:00',
      '05:00:00-04:00',
    ]);
    // 01:30 EST + 60 minutes is 03:30 EDT: the slot is an hour long in real time.
    expect(res.slots[3].end).toBe('2030-03-10T03:30:00-04:00');
  });

  test('busy time and the buffer around it are left out', async () => {
    seedBusy('2030-03-11T10:00:00', '2030-03-11T11:00:00');
    const res = await run(
      'check_availability',
      { ...availability, window_start: '2030-03-11T09:00:00', window_end: '2030-03-11T12:30:00' },
      { config: { buffer_minutes: 15 } },
    );
    expect(res.slots.map((s: any) => s.start.slice(11, 16))).toEqual(['09:00', '11:30', '12:00']);
  });

  test('a window given in UTC is answered in the business zone', async () => {
    const res = await run('check_availability', {
      ...availability,
      window_start: '2030-11-04T14:00:00Z',
      window_end: '2030-11-04T15:00:00Z',
    });
    expect(res.slots.map((s: any) => s.start)).toEqual([
      '2030-11-04T09:00:00-05:00',
      '2030-11-04T09:30:00-05:00',
    ]);
  });

  test('a closed day says so instead of offering nothing silently', async () => {
    const res = await run('check_availability', { ...availability, date: '2030-03-09' });
    expect(res.slots).toEqual([]);
    expect(res.message).toMatch(/Mon 09:00-17:00/);
  });

  test('bad input is a validation_error naming the parameter', async () => {
    const e = await failure(run('check_availability', { ...availability, date: '2030-02-30' }));
    expect(e.code).toBe('validation_error');
    expect(e.extras.errors?.[0].field).toBe('date');
    const tz = await failure(
      run('check_availability', availability, { config: { time_zone: 'Mars/Olympus' } }),
    );
    expect(tz.extras.errors?.[0].field).toBe('executionConfig.time_zone');
  });

  test("without a configured zone the calendar's own zone is used", async () => {
    const res = await run(
      'check_availability',
      { ...availability, date: '2030-07-01' },
      { config: { time_zone: null } },
    );
    expect(res.time_zone).toBe(TZ);
    expect(res.slots[0].start).toBe('2030-07-01T09:00:00-04:00');
  });
});

describe('book_appointment', () => {
  test('a time without offset is read in the business zone and echoed back in local time', async () => {
    const res = await book('2030-03-11T10:00');
    expect(res).toMatchObject({
      booked: true,
      start: '2030-03-11T10:00:00-04:00',
      end: '2030-03-11T10:30:00-04:00',
      time_zone: TZ,
      already_booked: false,
    });
    expect(res.local).toMatch(/Monday, March 11, 2030.*10:00.AM EDT/);
    expect(res.note).toMatch(/America\/New_York/);
    const [ev] = events();
    expect(ev.startMs).toBe(Date.UTC(2030, 2, 11, 14, 0));
    expect(ev.extendedProperties?.private).toMatchObject({
      flowyte: 'appointment',
      caller_name: 'Sam Lee',
      caller_phone: '+1 212 555 0101',
      phone_key: '2125550101',
    });
  });

  test('a time with an offset is that instant, shown in local time', async () => {
    const res = await book('2030-11-04T15:00:00Z');
    expect(res.start).toBe('2030-11-04T10:00:00-05:00');
    expect(res.note).toBeUndefined();
  });

  test('double-booking an occupied slot is refused with alternatives', async () => {
    seedBusy('2030-03-11T10:00:00', '2030-03-11T11:00:00', 'Dentist');
    const e = await failure(book('2030-03-11T10:30:00-04:00', { caller_phone: '+1 646 555 0199' }));
    expect(e.code).toBe('slot_unavailable');
    expect(e.status).toBe(409);
    const alternatives = e.extras.extensions?.alternatives as any[];
    expect(alternatives.map((a) => a.start)).toEqual([
      '2030-03-11T09:00:00-04:00',
      '2030-03-11T09:30:00-04:00',
      '2030-03-11T11:00:00-04:00',
    ]);
    expect(events()).toHaveLength(1);
  });

  test('outside business hours and in the past are refused', async () => {
    expect((await failure(book('2030-03-09T10:00:00'))).code).toBe('slot_unavailable');
    expect((await failure(book('2030-03-11T16:45:00'))).code).toBe('slot_unavailable');
    const past = await failure(book('2020-01-06T10:00:00'));
    expect(past.code).toBe('validation_error');
    expect(events()).toHaveLength(0);
  });

  test('the same Idempotency-Key twice makes one event', async () => {
    const first = await book('2030-03-12T11:00:00', {}, 'key-123');
    const second = await book('2030-03-12T11:00:00', {}, 'key-123');
    expect(events()).toHaveLength(1);
    expect(second.appointment_id).toBe(first.appointment_id);
    expect(second.already_booked).toBe(true);
    expect(first.appointment_id).toMatch(/^[a-v0-9]{5,1024}$/);
  });

  test('concurrent retries with one key still make one event', async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, () => book('2030-03-12T14:00:00', {}, 'key-race')),
    );
    expect(new Set(results.map((r) => r.appointment_id)).size).toBe(1);
    expect(events()).toHaveLength(1);
  });

  test('two callers racing for one slot: exactly one gets it', async () => {
    const outcomes = await Promise.allSettled([
      book('2030-03-12T15:00:00', { caller_phone: '+1 212 555 0001' }, 'a'),
      book('2030-03-12T15:00:00', { caller_phone: '+1 212 555 0002' }, 'b'),
      book('2030-03-12T15:00:00', { caller_phone: '+1 212 555 0003' }, 'c'),
    ]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const o of outcomes)
      if (o.status === 'rejected') expect((o.reason as AppError).code).toBe('slot_unavailable');
    expect(events()).toHaveLength(1);
  });

  test('the same caller asking again for their own slot is told it is already theirs', async () => {
    const first = await book('2030-03-13T09:00:00');
    const again = await book('2030-03-13T09:00:00', { caller_phone: '(212) 555-0101' });
    expect(again).toMatchObject({ appointment_id: first.appointment_id, already_booked: true });
    expect(events()).toHaveLength(1);
  });

  test('a name and a phone or email are required', async () => {
    expect((await failure(book('2030-03-13T09:00:00', { caller_name: '' }))).extras.errors?.[0].field).toBe(
      'caller_name',
    );
    expect((await failure(book('2030-03-13T09:00:00', { caller_phone: null }))).code).toBe(
      'validation_error',
    );
  });
});
