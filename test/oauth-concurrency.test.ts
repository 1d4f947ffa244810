/**
 * One refresh per connection at a time, also across instances: two Services on one store (SQLite
 * file, and PostgreSQL when it is there) share a connection whose token just expired; twenty
 * concurrent accessToken() calls — as twenty invokes would make, split across both — cause exactly
 * one refresh at Google. Also after a 401 (forceRefresh), and past a lock a crashed instance left.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { iso } from '../src/core/connections/index.ts';
import { type GoogleFake, startGoogleFake } from '../src/sandbox/google/index.ts';
import { createServices, type Services } from '../src/services.ts';
import { claimRefreshLock } from '../src/store/oauth-tokens.ts';
import { testClock } from './support/oauth-dance.ts';
import { OAUTH_TEST_KIND, OAUTH_TEST_SCOPE, oauthTestProvider } from './support/oauth-test-provider.ts';
import { type ScratchDatabase, scratchPostgres } from './support/scratch-db.ts';
import { postgresServer } from './support/services.ts';

const pgSkip = await postgresServer();

let google: { url: string; fake: GoogleFake; close(): Promise<void> };
beforeAll(async () => {
  google = await startGoogleFake({ clientId: 'cid', clientSecret: 'csecret' });
});
afterAll(() => google?.close());

describe.each([
  ['SQLite', false],
  ['PostgreSQL', true],
] as const)('two instances on one %s store', (_name, postgres) => {
  const skip = postgres && pgSkip;
  const clock = testClock();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'flowyte-oauth-'));
  let db: ScratchDatabase | undefined;
  let a: Services;
  let b: Services;
  let fake: GoogleFake;
  let orgId: string;
  let n = 0;

  beforeAll(async () => {
    if (skip) return;
    fake = google.fake;
    db = postgres ? await scratchPostgres('oauth') : undefined;
    const env = {
      FLOWYTE_DATA_DIR: dataDir,
      FLOWYTE_MASTER_KEY: randomBytes(32).toString('base64'),
      GOOGLE_CLIENT_ID: 'cid',
      GOOGLE_CLIENT_SECRET: 'csecret',
      FLOWYTE_GOOGLE_TOKEN_URL: `${google.url}/token`,
      FLOWYTE_GOOGLE_REVOKE_URL: `${google.url}/revoke`,
      FLOWYTE_GOOGLE_API_URL: google.url,
      ...(db ? { DATABASE_URL: db.url } : {}),
    };
    a = await createServices(loadConfig(env), { providers: [oauthTestProvider], clock });
    b = await createServices(loadConfig(env), { providers: [oauthTestProvider], clock });
    orgId = (await a.apiKeys.create({ orgName: 'race', scopes: ['integrations:read'] })).orgId;
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** A fresh grant at the fake, stored as the org's connection (as a finished OAuth flow would). */
  async function connected(): Promise<string> {
    const issued = fake.seed.token(`race${++n}@example.com`, { scopes: [OAUTH_TEST_SCOPE] });
    await a.integrations.saveOAuthConnection(
      orgId,
      OAUTH_TEST_KIND,
      {
        access_token: issued.accessToken,
        refresh_token: issued.refreshToken,
        expires_at: iso(clock.now() + issued.expiresIn * 1000),
        scope: OAUTH_TEST_SCOPE,
        token_type: 'Bearer',
        email: issued.grant.email,
      },
      issued.grant.email,
    );
    return issued.accessToken;
  }

  /** A context per call, half on each instance, as twenty separate invokes would get. */
  async function contexts(count: number) {
    return Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const s = i % 2 ? b : a;
        const { connection, credentials } = await s.integrations.credentials(orgId, OAUTH_TEST_KIND);
        return s.integrations.contextFor(orgId, connection, credentials);
      }),
    );
  }

  test.skipIf(skip)(
    'twenty concurrent accessToken() calls on a just-expired token: one refresh',
    async () => {
      const old = await connected();
      clock.offset += 3_600_000;
      fake.expireAccessTokens();
      const slow = fake.faults.slow(200, { path: '/token' });
      const before = fake.counters.refreshGrants;
      try {
        const ctxs = await contexts(20);
        const tokens = await Promise.all(ctxs.map((c) => c.accessToken!()));
        expect(new Set(tokens).size).toBe(1);
        expect(tokens[0]).not.toBe(old);
      } finally {
        slow.remove();
      }
      expect(fake.counters.refreshGrants).toBe(before + 1);
      // The new token is stored for everyone: nothing more to refresh.
      const again = await Promise.all((await contexts(4)).map((c) => c.accessToken!()));
      expect(fake.counters.refreshGrants).toBe(before + 1);
      expect(new Set(again).size).toBe(1);
    },
  );

  test.skipIf(skip)(
    'twenty concurrent forced refreshes after a 401 on the same token: one refresh',
    async () => {
      const old = await connected();
      const ctxs = await contexts(20);
      // Each context hands out the stored token first, as a provider would before its call…
      expect(new Set(await Promise.all(ctxs.map((c) => c.accessToken!())))).toEqual(new Set([old]));
      // …Google then refuses it (401), and every caller asks for a new one at once.
      fake.expireAccessTokens();
      const slow = fake.faults.slow(200, { path: '/token' });
      const before = fake.counters.refreshGrants;
      try {
        const fresh = await Promise.all(ctxs.map((c) => c.accessToken!({ forceRefresh: true })));
        expect(new Set(fresh).size).toBe(1);
        expect(fresh[0]).not.toBe(old);
      } finally {
        slow.remove();
      }
      expect(fake.counters.refreshGrants).toBe(before + 1);
    },
  );

  test.skipIf(skip)('a lock left by a crashed instance is taken over once it expires', async () => {
    await connected();
    const { connection } = await a.integrations.credentials(orgId, OAUTH_TEST_KIND);
    clock.offset += 3_600_000;
    const claimed = await claimRefreshLock(
      a.store,
      connection.id,
      'ghost',
      iso(clock.now()),
      iso(clock.now() + 30_000),
    );
    expect(claimed).toBe(true);
    const before = fake.counters.refreshGrants;
    const [ctx] = await contexts(1);
    const pending = ctx.accessToken!();
    await new Promise((r) => setTimeout(r, 100));
    expect(fake.counters.refreshGrants).toBe(before);
    clock.offset += 31_000;
    await pending;
    expect(fake.counters.refreshGrants).toBe(before + 1);
  });
});
