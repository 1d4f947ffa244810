/** check_availability: free slots within business hours, minus busy time (freeBusy) and the buffer. */
import { AppError } from '../../errors.ts';
import type { ProviderContext } from '../types.ts';
import { describeHours } from './business-hours.ts';
import { freeBusy } from './calendar-api.ts';
import { type CalendarSettings, durationArg } from './settings.ts';
import { freeSlots, type Span } from './slots.ts';
import {
  addDays,
  humanLocal,
  isoWithOffset,
  parseDateParam,
  parseTimeParam,
  wallToUtc,
} from './zoned-time.ts';

const DAY = 86_400_000;
/** Without a date or window: look this far ahead for the next openings. */
const LOOKAHEAD_DAYS = 14;
const MAX_WINDOW_DAYS = 31;
const MAX_SLOTS = 20;
const NEXT_OPENINGS = 8;

export interface SlotView {
  start: string;
  end: string;
  local: string;
}

export const slotView = ([s, e]: Span, tz: string): SlotView => ({
  start: isoWithOffset(s, tz),
  end: isoWithOffset(e, tz),
  local: humanLocal(s, tz),
});

const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

/** The window the caller asked about, as instants: a date, a window, or "the next two weeks". */
function window(
  args: Record<string, unknown>,
  s: CalendarSettings,
  nowMs: number,
): { from: number; to: number; limit: number } {
  const date = str(args.date);
  const ws = str(args.window_start);
  const we = str(args.window_end);
  if (ws || we) {
    const from = ws ? parseTimeParam(ws, 'window_start', s.timeZone).ms : nowMs;
    const to = we ? parseTimeParam(we, 'window_end', s.timeZone).ms : from + DAY;
    if (to <= from) {
      throw new AppError('validation_error', 'window_end must be after window_start', {
        errors: [{ field: 'window_end', message: 'must be after window_start' }],
      });
    }
    if (to - from > MAX_WINDOW_DAYS * DAY) {
      throw new AppError('validation_error', `the window may span at most ${MAX_WINDOW_DAYS} days`, {
        errors: [{ field: 'window_end', message: `must be within ${MAX_WINDOW_DAYS} days of window_start` }],
      });
    }
    return { from, to, limit: MAX_SLOTS };
  }
  if (date) {
    const d = parseDateParam(date, 'date');
    return {
      from: wallToUtc(d, 0, 0, s.timeZone),
      to: wallToUtc(addDays(d, 1), 0, 0, s.timeZone),
      limit: MAX_SLOTS,
    };
  }
  return { from: nowMs, to: nowMs + LOOKAHEAD_DAYS * DAY, limit: NEXT_OPENINGS };
}

/** Free slots of `durationMin` in [from, to), never in the past. */
export async function findSlots(
  ctx: ProviderContext,
  s: CalendarSettings,
  range: { from: number; to: number; limit: number },
  durationMin: number,
  nowMs: number,
) {
  const from = Math.max(range.from, nowMs);
  if (range.to <= from) return { slots: [] as Span[], more: false };
  const pad = s.bufferMin * 60_000;
  const busy = await freeBusy(ctx, s.calendarId, from - pad, range.to + pad);
  return freeSlots({
    fromMs: from,
    toMs: range.to,
    durationMin,
    bufferMin: s.bufferMin,
    hours: s.hours,
    timeZone: s.timeZone,
    busy,
    limit: range.limit,
  });
}

export async function checkAvailability(
  args: Record<string, unknown>,
  s: CalendarSettings,
  ctx: ProviderContext,
  nowMs = Date.now(),
) {
  const durationMin = durationArg(args.duration_minutes, s.durationMin);
  const range = window(args, s, nowMs);
  const { slots, more } = await findSlots(ctx, s, range, durationMin, nowMs);
  const out: Record<string, unknown> = {
    time_zone: s.timeZone,
    duration_minutes: durationMin,
    window: {
      start: isoWithOffset(Math.max(range.from, nowMs), s.timeZone),
      end: isoWithOffset(range.to, s.timeZone),
    },
    slots: slots.map((span) => slotView(span, s.timeZone)),
    more,
  };
  if (slots.length === 0) {
    out.message =
      range.to <= nowMs
        ? 'That time has already passed.'
        : `No free ${durationMin}-minute slots in that window. Business hours: ${describeHours(s.hours)} (${s.timeZone}).`;
  }
  return out;
}
