import { describe, expect, test } from 'vitest';
import { describeHours, parseBusinessHours } from './business-hours.ts';
import { bookingEventId } from './caller.ts';
import { humanLocal, isoWithOffset, parseTimeParam, wallToUtc } from './zoned-time.ts';

const NY = 'America/New_York';

describe('zoned time', () => {
  test('local wall time becomes the right instant across both DST changes', () => {
    expect(wallToUtc({ year: 2030, month: 3, day: 10 }, 1, 30, NY)).toBe(Date.UTC(2030, 2, 10, 6, 30));
    expect(wallToUtc({ year: 2030, month: 3, day: 10 }, 3, 0, NY)).toBe(Date.UTC(2030, 2, 10, 7, 0));
    // 02:30 does not exist that night: it moves forward by the gap, to 03:30 EDT.
    expect(wallToUtc({ year: 2030, month: 3, day: 10 }, 2, 30, NY)).toBe(Date.UTC(2030, 2, 10, 7, 30));
    // 01:30 happens twice on the fall-back night: the first (EDT) wins.
    expect(wallToUtc({ year: 2030, month: 11, day: 3 }, 1, 30, NY)).toBe(Date.UTC(2030, 10, 3, 5, 30));
    expect(wallToUtc({ year: 2030, month: 7, day: 1 }, 9, 0, 'Asia/Kolkata')).toBe(
      Date.UTC(2030, 6, 1, 3, 30),
    );
  });

  test('instants render with their offset, never Z, and in words', () => {
    expect(isoWithOffset(Date.UTC(2030, 10, 3, 5, 30), NY)).toBe('2030-11-03T01:30:00-04:00');
    expect(isoWithOffset(Date.UTC(2030, 10, 3, 6, 30), NY)).toBe('2030-11-03T01:30:00-05:00');
    expect(isoWithOffset(Date.UTC(2030, 0, 1), 'UTC')).toBe('2030-01-01T00:00:00+00:00');
    expect(humanLocal(Date.UTC(2030, 10, 3, 6, 30), NY)).toMatch(/Sunday, November 3, 2030.*1:30.AM EST/);
  });

  test('caller times: with offset as given, without in the business zone, nonsense refused', () => {
    expect(parseTimeParam('2030-03-11T15:00:00+01:00', 'at', NY)).toEqual({
      ms: Date.UTC(2030, 2, 11, 14),
      hadOffset: true,
    });
    expect(parseTimeParam('2030-03-11 10:00', 'at', NY)).toEqual({
      ms: Date.UTC(2030, 2, 11, 14),
      hadOffset: false,
    });
    expect(parseTimeParam('2030-03-11T10:00:00.000Z', 'at', NY).ms).toBe(Date.UTC(2030, 2, 11, 10));
    for (const bad of ['tomorrow 3pm', '2030-02-30T10:00', '2030-03-11T25:00', '2030-03-11T10:00+19:00']) {
      expect(() => parseTimeParam(bad, 'at', NY)).toThrow(/at /);
    }
  });
});

describe('business hours', () => {
  test('text with day ranges, several ranges, am/pm and closed days', () => {
    const week = parseBusinessHours('Mon-Fri 9am-12pm 1pm-5:30pm; Sat 10:00-14:00; Sun closed');
    expect(week[1]).toEqual([
      [540, 720],
      [780, 1050],
    ]);
    expect(week[6]).toEqual([[600, 840]]);
    expect(week[0]).toEqual([]);
    expect(describeHours(parseBusinessHours('Fri-Mon 08:00-10:00'))).toBe(
      'Sun 08:00-10:00; Mon 08:00-10:00; Fri 08:00-10:00; Sat 08:00-10:00',
    );
  });

  test('JSON objects and JSON text; unset means Mon-Fri 9-5', () => {
    const week = parseBusinessHours({
      monday: ['09:00-12:00', ['13:00', '17:00']],
      sat: '10:00-12:00',
      sun: null,
    });
    expect(week[1]).toEqual([
      [540, 720],
      [780, 1020],
    ]);
    expect(parseBusinessHours('{"tue": "08:00-09:00"}')[2]).toEqual([[480, 540]]);
    expect(describeHours(parseBusinessHours(undefined))).toBe(
      'Mon 09:00-17:00; Tue 09:00-17:00; Wed 09:00-17:00; Thu 09:00-17:00; Fri 09:00-17:00',
    );
  });

  test('unreadable hours name the setting', () => {
    for (const bad of ['Funday 9-5', 'Mon 17:00-09:00', 'Mon 25:00-26:00', '{nope', 42]) {
      expect(() => parseBusinessHours(bad)).toThrow(/business_hours/);
    }
  });
});

test('booking event ids are deterministic base32hex, distinct per key and calendar', () => {
  const a = bookingEventId('primary', 'k1');
  expect(a).toMatch(/^[a-v0-9]{32}$/);
  expect(bookingEventId('primary', 'k1')).toBe(a);
  expect(bookingEventId('primary', 'k2')).not.toBe(a);
  expect(bookingEventId('other', 'k1')).not.toBe(a);
});
