/** Free-slot arithmetic, pure: business hours in a zone, minus busy intervals widened by the buffer. */
import type { WeeklyHours } from './business-hours.ts';
import { addDays, compareDates, type LocalDate, localParts, wallToUtc } from './zoned-time.ts';

export type Span = [number, number];

export interface SlotQuery {
  fromMs: number;
  toMs: number;
  durationMin: number;
  bufferMin: number;
  hours: WeeklyHours;
  timeZone: string;
  /** Sorted by start. */
  busy: Span[];
  limit: number;
}

/** Candidate starts step by the appointment length, but at least every 30 minutes. */
export const stepMinutes = (durationMin: number) => Math.min(durationMin, 30);

/** Whether [startMs, endMs) widened by the buffer touches any busy span. */
export function overlapsBusy(busy: Span[], startMs: number, endMs: number, bufferMin: number): boolean {
  const lo = startMs - bufferMin * 60_000;
  const hi = endMs + bufferMin * 60_000;
  for (const [s, e] of busy) {
    if (s >= hi) break;
    if (e > lo) return true;
  }
  return false;
}

const dateOf = (ms: number, tz: string): LocalDate => {
  const p = localParts(ms, tz);
  return { year: p.year, month: p.month, day: p.day };
};

/** Open ranges of one local date as instants (DST-aware: a 9-17 day is 8 hours either side of a change). */
export function openSpans(date: LocalDate, hours: WeeklyHours, timeZone: string): Span[] {
  const weekday = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
  return hours[weekday].map(([a, b]) => [
    wallToUtc(date, Math.floor(a / 60), a % 60, timeZone),
    wallToUtc(date, Math.floor(b / 60), b % 60, timeZone),
  ]);
}

/** Free slots in [fromMs, toMs), earliest first, at most `limit`; `more` says whether others exist. */
export function freeSlots(q: SlotQuery): { slots: Span[]; more: boolean } {
  const slots: Span[] = [];
  const dur = q.durationMin * 60_000;
  const step = stepMinutes(q.durationMin) * 60_000;
  const last = dateOf(q.toMs, q.timeZone);
  for (let date = dateOf(q.fromMs, q.timeZone); compareDates(date, last) <= 0; date = addDays(date, 1)) {
    for (const [open, close] of openSpans(date, q.hours, q.timeZone)) {
      for (let t = open; t + dur <= close; t += step) {
        if (t < q.fromMs) continue;
        if (t + dur > q.toMs) break;
        if (overlapsBusy(q.busy, t, t + dur, q.bufferMin)) continue;
        if (slots.length === q.limit) return { slots, more: true };
        slots.push([t, t + dur]);
      }
    }
  }
  return { slots, more: false };
}

/** Whether [startMs, endMs) lies inside one open range of its local day. */
export function withinHours(startMs: number, endMs: number, hours: WeeklyHours, timeZone: string): boolean {
  return openSpans(dateOf(startMs, timeZone), hours, timeZone).some(([o, c]) => startMs >= o && endMs <= c);
}
