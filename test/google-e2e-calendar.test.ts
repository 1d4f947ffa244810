/**
 * Google Calendar end to end over HTTP against the Google fake: OAuth connect, the Appointment
 * booking pack installed, published and every tool invoked with its gating, Idempotency-Key,
 * double-booking refused, provider faults as typed problems, and discovery.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { strictSchemaErrors } from '../src/core/skills/index.ts';
import { googleCalendar } from '../src/providers/google-calendar/index.ts';
import { googleSheets } from '../src/providers/google-sheets/index.ts';
import {
  connectedOrg,
  type GoogleE2e,
  invoker,
  newAgent,
  publish,
  startGoogleE2e,
} from './google-e2e-support.ts';

const EMAIL = 'clinic@example.com';
const TZ = 'America/New_York';
let e: GoogleE2e;
let key: string;
let agentId: string;
let invoke: ReturnType<typeof invoker>;

beforeAll(async () => {
  e = await startGoogleE2e();
  e.fake.seed.account(EMAIL, { timeZone: TZ });
  key = await connectedOrg(e, 'clinic', 'google_calendar', EMAIL);
  agentId = await newAgent(e.s, key);
  invoke = invoker(e.s, key, agentId);
});
afterAll(() => e.close());

const events = () =>
  [...e.fake.state.calendars.get(EMAIL)!.events.values()].filter((ev) => ev.status !== 'cancelled');
const caller = { caller_name: 'Sam Lee', caller_phone: '+1 212 555 0101', caller_email: null };

test('every Google action schema passes OpenAI strict mode, and the catalog lists both kinds', async () => {
  for (const action of [...googleCalendar.actions, ...googleSheets.actions]) {
    expect(strictSchemaErrors(action.parameters), action.slug).toEqual([]);
  }
  const catalog = (await e.s.call('GET', '/api/v1/integrations/catalog', { key })).json.data;
  expect(catalog.find((p: any) => p.kind === 'google_calendar')).toMatchObject({
    name: 'Google Calendar',
    category: 'Scheduling',
    authType: 'oauth2',
    actionCount: 5,
    hasPack: true,
    connected: true,
  });
  expect(catalog.find((p: any) => p.kind === 'google_sheets')).toMatchObject({
    category: 'Spreadsheets',
    hasPack: false,
    connected: false,
  });
  const connection = (await e.s.call('GET', '/api/v1/integrations', { key })).json.data[0];
  expect(connection).toMatchObject({ kind: 'google_calendar', status: 'connected', accountLabel: EMAIL });
});

test('provision and pack install make one skill per action, in either order', async () => {
  const agent = await newAgent(e.s, key);
  const base = `/api/v1/agents/${agent}/integrations/google_calendar`;
  const provisioned = await e.s.call('POST', `${base}/provision`, {
    key,
    body: { actions: ['check_availability'] },
  });
  expect(provisioned.json.data.map((r: any) => [r.skill.name, r.created])).toEqual([
    ['check_availability', true],
  ]);
  const pack = await e.s.call('GET', `${base}/pack`, { key });
  expect(pack.json.data.presets.find((p: any) => p.action === 'check_availability').installed).toBe(true);
  const installed = await e.s.call('POST', `${base}/pack/install`, { key, body: {} });
  expect(installed.status, installed.text).toBe(200);
  const first = installed.json.data[0];
  expect([first.skill.name, first.created]).toEqual(['check_availability', false]);
  expect(installed.json.data.slice(1).every((r: any) => r.created)).toBe(true);
  const again = await e.s.call('POST', `${base}/provision`, { key, body: {} });
  expect(again.json.data.every((r: any) => r.created === false)).toBe(true);
  const skills = await e.s.call('GET', `/api/v1/agents/${agent}/skills`, { key });
  expect(skills.json.data).toHaveLength(5);
});

describe('the Appointment booking pack, published and invoked', () => {
  beforeAll(async () => {
    const pack = await e.s.call('GET', `/api/v1/agents/${agentId}/integrations/google_calendar/pack`, {
      key,
    });
    expect(pack.json.data).toMatchObject({ name: 'Appointment booking' });
    expect(pack.json.data.presets.every((p: any) => !p.installed)).toBe(true);
    const installed = await e.s.call(
      'POST',
      `/api/v1/agents/${agentId}/integrations/google_calendar/pack/install`,
      { key, body: {} },
    );
    expect(installed.status, installed.text).toBe(200);
    expect(installed.json.data.map((r: any) => [r.skill.name, r.created, r.skill.isEnabled])).toEqual([
      ['get_available_times', true, true],
      ['book_caller_appointment', true, true],
      ['find_caller_appointment', true, true],
      ['move_caller_appointment', true, true],
      ['cancel_caller_appointment', true, true],
    ]);
    const book = installed.json.data[1].skill;
    expect(book).toMatchObject({
      skillType: 'calendar',
      isWrite: true,
      requiresConfirmation: true,
      requiredParams: ['appointment_time', 'caller_name'],
    });
    expect(installed.json.data[3].skill.requiresVerifiedIdentity).toBe(true);
    const again = await e.s.call(
      'POST',
      `/api/v1/agents/${agentId}/integrations/google_calendar/pack/install`,
      { key, body: {} },
    );
    expect(again.json.data.every((r: any) => r.created === false)).toBe(true);
    await publish(e.s, key, agentId);
  });

  test('check → book (confirmed, keyed, retried) → find → move (verified) → cancel', async () => {
    const times = await invoke('get_available_times', {
      date: '2030-03-11',
      window_start: null,
      window_end: null,
      duration_minutes: null,
    });
    expect(times.status, times.text).toBe(200);
    const slot = times.json.data.result.slots[2];
    expect(slot).toMatchObject({ start: '2030-03-11T10:00:00-04:00' });
    expect(times.json.data.result.time_zone).toBe(TZ);

    const args = { appointment_time: slot.start, ...caller, duration_minutes: null, notes: 'First visit' };
    const unconfirmed = await invoke('book_caller_appointment', args);
    expect(unconfirmed.status).toBe(409);
    expect(unconfirmed.json.code).toBe('confirmation_required');
    const booked = await invoke('book_caller_appointment', args, {
      confirmed: true,
      idempotencyKey: 'call-42-book',
    });
    expect(booked.status, booked.text).toBe(200);
    expect(booked.json.data.result).toMatchObject({
      booked: true,
      start: slot.start,
      local: expect.stringMatching(/10:00.AM EDT/),
    });
    const retried = await invoke('book_caller_appointment', args, {
      confirmed: true,
      idempotencyKey: 'call-42-book',
    });
    expect(retried.json.data.result.appointment_id).toBe(booked.json.data.result.appointment_id);
    expect(events()).toHaveLength(1);

    const taken = await invoke(
      'book_caller_appointment',
      { ...args, caller_name: 'Ana Ruiz', caller_phone: '+1 646 555 0102' },
      { confirmed: true },
    );
    expect(taken.status).toBe(409);
    expect(taken.json).toMatchObject({ code: 'slot_unavailable', alternatives: expect.any(Array) });
    expect(taken.json.alternatives[0].start).toBe('2030-03-11T09:00:00-04:00');

    const found = await invoke('find_caller_appointment', {
      caller_phone: '(212) 555-0101',
      caller_email: null,
      window_start: '2030-03-01T00:00:00Z',
      window_end: null,
    });
    const [appointment] = found.json.data.result.appointments;
    expect(appointment).toMatchObject({
      appointment_id: booked.json.data.result.appointment_id,
      caller_name: 'Sam Lee',
    });

    const move = {
      appointment_id: appointment.appointment_id,
      new_appointment_time: '2030-03-11T14:00:00',
      caller_phone: '2125550101',
      caller_email: null,
      duration_minutes: null,
    };
    const unverified = await invoke('move_caller_appointment', move, { confirmed: true });
    expect(unverified.status).toBe(403);
    expect(unverified.json.code).toBe('verification_required');
    const moved = await invoke('move_caller_appointment', move, { confirmed: true, callerVerified: true });
    expect(moved.json.data.result).toMatchObject({ rescheduled: true, start: '2030-03-11T14:00:00-04:00' });

    const cancel = { appointment_id: appointment.appointment_id, caller_phone: null, caller_email: null };
    const noIdentity = await invoke('cancel_caller_appointment', cancel, {
      confirmed: true,
      callerVerified: true,
    });
    expect(noIdentity.status).toBe(400);
    const cancelled = await invoke(
      'cancel_caller_appointment',
      { ...cancel, caller_phone: '+12125550101' },
      { confirmed: true, callerVerified: true },
    );
    expect(cancelled.json.data.result).toMatchObject({ cancelled: true });
    expect(events()).toHaveLength(0);
  });

  test('429 with Retry-After: a bounded retry, then rate_limited with Retry-After', async () => {
    const check = () =>
      invoke('get_available_times', {
        date: '2030-03-12',
        window_start: null,
        window_end: null,
        duration_minutes: null,
      });
    e.fake.faults.rateLimit({ path: '/calendar/v3/freeBusy', retryAfter: 1, times: 1 });
    expect((await check()).status).toBe(200);
    const persistent = e.fake.faults.rateLimit({ path: '/calendar/v3/freeBusy', retryAfter: 0 });
    const limited = await check();
    persistent.remove();
    expect(limited.status).toBe(429);
    expect(limited.json.code).toBe('rate_limited');
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(persistent.hits).toBe(3);
  });

  test('5xx is provider_error with retryable: true', async () => {
    const fault = e.fake.faults.serverError({ path: '/calendar/v3/freeBusy', status: 503 });
    const res = await invoke('get_available_times', {
      date: '2030-03-12',
      window_start: null,
      window_end: null,
      duration_minutes: null,
    });
    fault.remove();
    expect(res.status).toBe(502);
    expect(res.json).toMatchObject({ code: 'provider_error', retryable: true });
  });

  test('bad arguments are a 400 naming the field, and no free/busy query is made', async () => {
    const before = e.fake.log.entries.length;
    const res = await invoke('get_available_times', {
      date: 'next tuesday',
      window_start: null,
      window_end: null,
      duration_minutes: null,
    });
    expect(res.status).toBe(400);
    expect(res.json.errors[0].field).toBe('date');
    expect(e.fake.log.entries.slice(before).some((x) => x.path === '/calendar/v3/freeBusy')).toBe(false);
  });
});

describe('provisioning and discovery', () => {
  test('provision adds the important actions; discovery lists the calendars and their operations', async () => {
    const agent = await newAgent(e.s, key);
    const prov = await e.s.call('POST', `/api/v1/agents/${agent}/integrations/google_calendar/provision`, {
      key,
      body: {},
    });
    expect(prov.json.data.map((r: any) => r.skill.name)).toEqual(['check_availability', 'book_appointment']);

    e.fake.seed.calendar({
      owner: 'staff@example.com',
      summary: 'Dr. Kim',
      sharedWith: { [EMAIL]: 'writer' },
    });
    const summary = await e.s.call('POST', '/api/v1/integrations/google_calendar/discover', {
      key,
      body: {},
    });
    expect(summary.status, summary.text).toBe(200);
    expect(summary.json.data).toMatchObject({ objectCount: 2 });
    const schema = (await e.s.call('GET', '/api/v1/integrations/google_calendar/schema', { key })).json.data;
    expect(schema.objects.map((o: any) => o.name)).toEqual(['primary', 'dr_kim']);
    expect(schema.operations.map((o: any) => o.name)).toContain('dr_kim.book_appointment');
  });
});
