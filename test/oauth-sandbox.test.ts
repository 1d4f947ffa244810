/**
 * FLOWYTE_SANDBOX=1 (what `npm run demo` sets): one process serves the API and the Google fake
 * under /sandbox/google, seeded with the demo world, and the Google endpoints point at it. The
 * README's walk — catalog → connect → consent → provision → publish → invoke — runs here as a
 * script would (`decision=allow`) and as a browser would (submitting the consent form).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { buildApp } from '../src/http/app.ts';
import { createLogger } from '../src/logger.ts';
import { defaultProviders } from '../src/providers/catalog.ts';
import { sandboxOf } from '../src/sandbox/index.ts';
import { createServices, type Services } from '../src/services.ts';
import { ALL_SCOPES, CALLBACK } from './support/oauth-dance.ts';
import { OAUTH_TEST_KIND, oauthTestProvider } from './support/oauth-test-provider.ts';

const freePort = () =>
  new Promise<number>((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'flowyte-sandbox-'));
let services: Services;
let app: FastifyInstance;
let base: string;
let key: string;

beforeAll(async () => {
  const port = await freePort();
  // The public URL must be where the server really listens: the sandbox's endpoints hang off it.
  const config = loadConfig({
    FLOWYTE_SANDBOX: '1',
    PORT: String(port),
    HOST: '127.0.0.1',
    FLOWYTE_DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
  });
  services = await createServices(config, { providers: [...defaultProviders(), oauthTestProvider] });
  app = await buildApp(services, { logger: createLogger('warn') });
  await app.listen({ host: '127.0.0.1', port });
  base = config.publicUrl;
  key = (await services.apiKeys.create({ orgName: 'demo', scopes: ALL_SCOPES })).key;
});

afterAll(async () => {
  await app?.close();
  await services?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const api = async (method: string, p: string, body?: unknown) => {
  const res = await fetch(base + p, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as any };
};

/** Follows the fake's redirect back to our callback, as the browser would. */
async function followToCallback(url: string, accept = 'application/json') {
  const res = await fetch(url, { redirect: 'manual' });
  expect(res.status).toBe(302);
  const location = res.headers.get('location')!;
  expect(location.startsWith(base + CALLBACK)).toBe(true);
  return fetch(location, { headers: { accept } });
}

test('the Google fake is served under /sandbox/google without an API key, and is not part of the API document', async () => {
  expect((await fetch(`${base}/sandbox/google/oauth2/v3/certs`)).status).toBe(200);
  const calendar = await fetch(`${base}/sandbox/google/calendar/v3/users/me/calendarList`);
  // Google's own answer to a missing token, not ours.
  expect(calendar.status).toBe(401);
  expect(((await calendar.json()) as any).error.status).toBe('UNAUTHENTICATED');
  expect((await fetch(`${base}/api/v1/integrations`)).status).toBe(401);
  const doc = JSON.stringify(await (await fetch(`${base}/api/v1/openapi.json`)).json());
  expect(doc).not.toContain('/sandbox/');
  expect(sandboxOf(app)?.demo.email).toBe('demo@example.com');
});

test('a script walks catalog → connect → decision=allow → provision → publish → invoke', async () => {
  const catalog = await api('GET', '/api/v1/integrations/catalog');
  expect(catalog.json.data.find((e: any) => e.kind === OAUTH_TEST_KIND).authType).toBe('oauth2');
  const { oauthUrl } = (await api('POST', `/api/v1/integrations/${OAUTH_TEST_KIND}/connect`)).json.data;
  expect(oauthUrl.startsWith(`${base}/sandbox/google/o/oauth2/v2/auth?`)).toBe(true);
  const done = await followToCallback(`${oauthUrl}&decision=allow`);
  expect(await done.json()).toMatchObject({
    data: { status: 'connected', accountLabel: 'demo@example.com' },
  });

  const agent = (await api('POST', '/api/v1/agents', { name: 'Front desk' })).json.data.id;
  expect(
    (await api('POST', `/api/v1/agents/${agent}/integrations/${OAUTH_TEST_KIND}/provision`, {})).status,
  ).toBe(200);
  expect((await api('POST', `/api/v1/agents/${agent}/publish`, {})).status).toBe(201);
  const invoked = await api('POST', `/api/v1/agents/${agent}/tools/list_calendars/invoke`, { arguments: {} });
  expect(invoked.status).toBe(200);
  expect(invoked.json.data.result.calendars).toContain('demo@example.com');
});

test('a browser gets the consent page, submits its Allow form, and lands on the "connected" page', async () => {
  const { oauthUrl } = (await api('POST', `/api/v1/integrations/${OAUTH_TEST_KIND}/connect`)).json.data;
  const page = await (await fetch(oauthUrl, { headers: { accept: 'text/html' } })).text();
  // Submit the Allow form as a browser would: its action, hidden fields, the ticked scopes, the button.
  const form = /<form id="allow" method="get" action="([^"]+)">([\s\S]*?)<\/form>/.exec(page)!;
  const submit = new URL(form[1].replace(/&amp;/g, '&'), base);
  for (const m of form[2].matchAll(/<input type="(?:hidden|email)" name="([^"]+)" value="([^"]*)"/g)) {
    submit.searchParams.append(m[1], m[2].replace(/&amp;/g, '&').replace(/&quot;/g, '"'));
  }
  for (const m of page.matchAll(/name="grant_scopes" value="([^"]+)" form="allow" checked/g))
    submit.searchParams.append('grant_scopes', m[1]);
  submit.searchParams.set('decision', 'allow');
  const done = await followToCallback(submit.toString(), 'text/html');
  expect(done.status).toBe(200);
  const html = await done.text();
  expect(html).toContain('is connected');
  expect(html).toContain('demo@example.com');
});
