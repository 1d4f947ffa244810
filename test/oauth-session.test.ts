/**
 * An OAuth connection started from a dashboard session finishes only with that session's cookie;
 * one started with an API key keeps finishing with its single-use state alone (scripts, sandbox).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { Operators } from '../src/core/access/index.ts';
import { buildApp } from '../src/http/app.ts';
import { createLogger } from '../src/logger.ts';
import { createServices, type Services } from '../src/services.ts';
import { freePort } from './support/server-processes.ts';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'flowyte-oauth-session-'));
let services: Services;
let app: FastifyInstance;
let base = '';
const PW = 'oauth session pw';

beforeAll(async () => {
  const port = await freePort();
  // The sandbox's Google endpoints hang off the public URL: it must be where the server listens.
  const config = loadConfig({
    FLOWYTE_SANDBOX: '1',
    PORT: String(port),
    HOST: '127.0.0.1',
    FLOWYTE_DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
  });
  services = await createServices(config);
  app = await buildApp(services, { logger: createLogger('warn') });
  await app.listen({ host: '127.0.0.1', port });
  base = config.publicUrl;
  const ops = new Operators(services.store);
  await ops.createUser({ email: 'a@example.com', orgName: 'acme', role: 'owner', password: PW });
  await ops.createUser({ email: 'b@example.com', orgName: 'acme', role: 'owner', password: PW });
});
afterAll(async () => {
  await app?.close();
  await services?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function login(email: string) {
  const res = await fetch(`${base}/api/v1/session/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PW }),
  });
  const json = (await res.json()) as { data: { csrfToken: string } };
  return { cookie: res.headers.get('set-cookie')!.split(';')[0], csrf: json.data.csrfToken };
}

/** Starts the connect with the given headers; returns the callback URL the consent page sends the browser to. */
async function consentedCallback(headers: Record<string, string>): Promise<string> {
  const res = await fetch(`${base}/api/v1/integrations/google_calendar/connect`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: '{}',
  });
  const { data } = (await res.json()) as { data: { oauthUrl: string } };
  const consent = await fetch(`${data.oauthUrl}&decision=allow`, { redirect: 'manual' });
  return consent.headers.get('location')!;
}

const finish = (url: string, cookie?: string) =>
  fetch(url, { headers: { accept: 'application/json', ...(cookie ? { cookie } : {}) } });

test('started from a session: another browser or another session cannot finish it; the same session can', async () => {
  const a = await login('a@example.com');
  const b = await login('b@example.com');
  const callback = await consentedCallback({ cookie: a.cookie, 'x-csrf-token': a.csrf });
  const anonymous = await finish(callback);
  expect(anonymous.status).toBe(400);
  expect(((await anonymous.json()) as { code: string }).code).toBe('oauth_state_invalid');
  expect((await finish(callback, b.cookie)).status).toBe(400);
  const mine = await finish(callback, a.cookie);
  expect(mine.status, await mine.clone().text()).toBe(200);
  expect(((await mine.json()) as { data: { status: string } }).data.status).toBe('connected');
});

test('started with an API key: the state alone finishes it, as before', async () => {
  const { key } = await services.apiKeys.create({ orgName: 'keyed', scopes: ['integrations:write'] });
  const callback = await consentedCallback({ authorization: `Bearer ${key}` });
  expect((await finish(callback)).status).toBe(200);
});
