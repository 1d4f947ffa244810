/**
 * Differential test: zoned-time.ts (Intl, offsets cached per quarter hour — much faster) against
 * temporal-polyfill, on seeded random instants and wall-clock times in every zone this Node knows.
 */
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, test } from 'vitest';
import { isoWithOffset, localParts, offsetMinutes, wallToUtc } from './zoned-time.ts';

const ZONES = Intl.supportedValuesOf('timeZone');
const SEED = 20_261_206;
const RUNS = 2_000;
// 1975–2040: every zone's offset is whole minutes there (Africa/Monrovia kept -0:44:30 until 1972,
// which zoned-time.ts, counting in minutes, renders as -0:44; no calendar booking reaches that far back).
const FROM = Date.UTC(1975, 0, 1);
const TO = Date.UTC(2040, 0, 1);

const instant = fc.integer({ min: FROM / 1000, max: TO / 1000 }).map((s) => s * 1000);
const zone = fc.constantFrom(...ZONES);

describe('zoned-time agrees with Temporal', () => {
  test('zones to draw from', () => expect(ZONES.length).toBeGreaterThan(300));

  test('offset, local parts and RFC 3339 rendering of an instant', () => {
    fc.assert(
      fc.property(instant, zone, (ms, tz) => {
        const zdt = Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(tz);
        expect(offsetMinutes(ms, tz)).toBe(zdt.offsetNanoseconds / 60e9);
        expect(localParts(ms, tz)).toEqual({
          year: zdt.year,
          month: zdt.month,
          day: zdt.day,
          hour: zdt.hour,
          minute: zdt.minute,
          second: zdt.second,
          weekday: zdt.dayOfWeek % 7,
        });
        expect(isoWithOffset(ms, tz)).toBe(zdt.toString({ timeZoneName: 'never', smallestUnit: 'second' }));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  test('the instant of a wall-clock time, across DST gaps and overlaps ("compatible")', () => {
    const wall = fc.record({
      year: fc.integer({ min: 1976, max: 2039 }),
      month: fc.integer({ min: 1, max: 12 }),
      day: fc.integer({ min: 1, max: 28 }),
      hour: fc.integer({ min: 0, max: 23 }),
      minute: fc.integer({ min: 0, max: 59 }),
    });
    fc.assert(
      fc.property(wall, zone, (w, tz) => {
        const expected = Temporal.PlainDateTime.from(w).toZonedDateTime(tz, {
          disambiguation: 'compatible',
        }).epochMilliseconds;
        expect(wallToUtc(w, w.hour, w.minute, tz)).toBe(expected);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  test('around the DST transitions themselves, where a shortcut would break', () => {
    const transitions: [string, number][] = [];
    for (const tz of [
      'America/New_York',
      'Europe/Berlin',
      'Australia/Lord_Howe',
      'America/Santiago',
      'Asia/Tehran',
    ]) {
      let zdt = Temporal.Instant.fromEpochMilliseconds(Date.UTC(2020, 0, 1)).toZonedDateTimeISO(tz);
      for (let i = 0; i < 6; i++) {
        const next = zdt.getTimeZoneTransition('next');
        if (!next) break;
        transitions.push([tz, next.epochMilliseconds]);
        zdt = next;
      }
    }
    expect(transitions.length).toBeGreaterThan(20);
    for (const [tz, t] of transitions) {
      for (const delta of [-60_000, -1_000, 0, 1_000, 60_000]) {
        const ms = t + delta;
        const zdt = Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(tz);
        expect(offsetMinutes(ms, tz), `${tz} at ${new Date(ms).toISOString()}`).toBe(
          zdt.offsetNanoseconds / 60e9,
        );
      }
    }
  });
});
