/**
 * Google benchmark (issue 4): invoke of a published check_availability skill against the Google
 * fake, versus calling the fake's freeBusy directly with the same question. Server, fake and load
 * generator are three processes; the connection is made through the real OAuth dance.
 * Target: added p50 ≤ 1 ms.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadConfig } from '../src/config.ts';
import { startGoogleFake } from '../src/sandbox/google/index.ts';
import { createServices } from '../src/services.ts';
import { fmt, runLoad } from './support/load.ts';
import { apiCaller, startServerProcess } from './support/server-process.ts';

const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 5000);
const EMAIL = 'bench@example.com';
const TZ = 'America/New_York';
const DAY = '2030-03-11';
const SCOPES = [
  'https://www.googleapis.com/auth/calendar.events',
  'https://www.googleapis.com/auth/calendar.calendarlist.readonly',
];

/** Child mode: the fake alone in its process, with a booked day, answering with its URL and a token. */
async function serveFake(): Promise<void> {
  const { url, fake } = await startGoogleFake({ clientId: 'bench-client', clientSecret: 'bench-secret' });
  fake.seed.account(EMAIL, { timeZone: TZ });
  for (const [from, to] of [
    ['10:00', '11:00'],
    ['13:00', '13:30'],
    ['15:00', '16:00'],
  ]) {
    fake.seed.event(EMAIL, {
      summary: 'Booked',
      start: { dateTime: `${DAY}T${from}:00`, timeZone: TZ },
      end: { dateTime: `${DAY}T${to}:00`, timeZone: TZ },
    });
  }
  fake.log.maxEntries = 100;
  const token = fake.seed.token(EMAIL, { scopes: SCOPES }).accessToken;
  process.send!({ url, token });
}

export async function startFakeProcess(): Promise<{ url: string; token: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
    env: { ...process.env, BENCH_GOOGLE_FAKE: '1' },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const info = await new Promise<{ url: string; token: string }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as { url: string; token: string }));
    child.once('exit', (code) => reject(new Error(`google fake exited with ${code}`)));
  });
  return { ...info, child };
}

export async function run(): Promise<void> {
  console.log('\n## google (issue 4): check_availability invoke vs the fake directly');
  const fake = await startFakeProcess();
  const server = await startServerProcess({
    // The consent redirect is followed by hand below, so the public URL only has to be consistent.
    FLOWYTE_PUBLIC_URL: 'https://flowyte.bench.example',
    GOOGLE_CLIENT_ID: 'bench-client',
    GOOGLE_CLIENT_SECRET: 'bench-secret',
    FLOWYTE_GOOGLE_AUTH_URL: `${fake.url}/o/oauth2/v2/auth`,
    FLOWYTE_GOOGLE_TOKEN_URL: `${fake.url}/token`,
    FLOWYTE_GOOGLE_REVOKE_URL: `${fake.url}/revoke`,
    FLOWYTE_GOOGLE_API_URL: fake.url,
  });
  try {
    const services = await createServices(loadConfig({ FLOWYTE_DATA_DIR: server.dataDir }));
    const scopes = ['integrations:write', 'agents:write', 'skills:write', 'skills:invoke'];
    const { key } = await services.apiKeys.create({ orgName: 'bench', scopes });
    await services.close();
    const auth = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    const call = apiCaller(server.url, auth);

    // connect → the fake's consent (answered at once) → our callback
    const { oauthUrl } = await call('POST', '/api/v1/integrations/google_calendar/connect', {});
    const consent = new URL(oauthUrl);
    consent.searchParams.set('decision', 'allow');
    consent.searchParams.set('account', EMAIL);
    const back = (await fetch(consent, { redirect: 'manual' })).headers.get('location')!;
    const done = await fetch(back.replace(new URL(back).origin, server.url));
    if (!done.ok) throw new Error(`OAuth callback answered ${done.status}`);

    const agent = (await call('POST', '/api/v1/agents', { name: 'bench' })).id;
    const [{ skill }] = await call('POST', `/api/v1/agents/${agent}/integrations/google_calendar/provision`, {
      actions: ['check_availability'],
    });
    await call('PATCH', `/api/v1/agents/${agent}/skills/${skill.id}`, {
      executionConfig: { time_zone: TZ, business_hours: 'Mon-Fri 09:00-17:00' },
    });
    await call('POST', `/api/v1/agents/${agent}/publish`, {});

    const args = { date: DAY, window_start: null, window_end: null, duration_minutes: null };
    const check = await call('POST', `/api/v1/agents/${agent}/tools/check_availability/invoke`, {
      arguments: args,
    });
    console.log(`  sanity: ${check.result.slots.length} free slots, first ${check.result.slots[0]?.start}`);

    // The same question straight to the fake: the day's freeBusy, as the provider asks it.
    const direct = {
      method: 'POST',
      path: '/calendar/v3/freeBusy',
      headers: { authorization: `Bearer ${fake.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        timeMin: '2030-03-11T04:00:00.000Z',
        timeMax: '2030-03-12T04:00:00.000Z',
        items: [{ id: 'primary' }],
      }),
    };
    const invoke = {
      method: 'POST',
      path: `/api/v1/agents/${agent}/tools/check_availability/invoke`,
      headers: auth,
      body: JSON.stringify({ arguments: args }),
    };
    for (const concurrency of [1, 10]) {
      const d = await runLoad(fake.url, { ...direct, concurrency, durationMs: DURATION_MS });
      const i = await runLoad(server.url, { ...invoke, concurrency, durationMs: DURATION_MS });
      console.log(`check_availability, ${concurrency} concurrent caller(s):`);
      console.log(
        `  direct   p50 ${fmt(d.p50)} ms  p99 ${fmt(d.p99)} ms  ${fmt(d.rps, 0)} req/s  errors ${d.errors}`,
      );
      console.log(
        `  invoke   p50 ${fmt(i.p50)} ms  p99 ${fmt(i.p99)} ms  ${fmt(i.rps, 0)} req/s  errors ${i.errors}`,
      );
      // The target is a phone call's latency (one caller); under concurrency the server's throughput dominates.
      const target = concurrency === 1 ? ' (target ≤ 1)' : ' (reference)';
      console.log(`  added    p50 ${fmt(i.p50 - d.p50)} ms${target}  p99 ${fmt(i.p99 - d.p99)} ms`);
    }
  } finally {
    await server.stop();
    fake.child.kill('SIGTERM');
  }
}

if (process.env.BENCH_GOOGLE_FAKE === '1') await serveFake();
else if (import.meta.url === pathToFileURL(process.argv[1]).href) await run();
