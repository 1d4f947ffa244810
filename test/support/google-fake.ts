/**
 * For tests of the Google providers: the Google fake on a real socket, an account with a token
 * minted without the consent dance, and a ProviderContext whose accessToken() hands it out (and a
 * fresh one on forceRefresh, counting the refreshes).
 */

import type { ProviderContext } from '../../src/providers/types.ts';
import { type GoogleFake, startGoogleFake } from '../../src/sandbox/google/index.ts';

export interface GoogleTestbed {
  url: string;
  fake: GoogleFake;
  email: string;
  /** A fresh account and token (after `fake.reset()`); returns the context to call providers with. */
  account(opts?: { timeZone?: string; scopes?: string[]; timeoutMs?: number }): ProviderContext;
  /** Forced refreshes asked for since the last `account()`. */
  refreshes(): number;
  close(): Promise<void>;
}

export async function startGoogleTestbed(
  defaultScopes: string[],
  email = 'owner@example.com',
): Promise<GoogleTestbed> {
  const { url, fake, close } = await startGoogleFake({
    clientId: 'test-client',
    clientSecret: 'test-secret',
  });
  let refreshes = 0;
  return {
    url,
    fake,
    email,
    account(opts = {}) {
      fake.reset();
      refreshes = 0;
      fake.seed.account(email, { timeZone: opts.timeZone ?? 'America/New_York' });
      const scopes = opts.scopes ?? defaultScopes;
      let token = fake.seed.token(email, { scopes }).accessToken;
      return {
        endpoints: { googleApiUrl: url, shopifyApiUrl: null, shopifyApiVersion: '2026-10' },
        accessToken: async (o) => {
          if (o?.forceRefresh) {
            refreshes++;
            token = fake.seed.token(email, { scopes }).accessToken;
          }
          return token;
        },
        resolveHost: async () => ({ address: '127.0.0.1', family: 4 }),
        allowPlaintextSql: false,
        timeoutMs: opts.timeoutMs ?? 5_000,
      };
    },
    refreshes: () => refreshes,
    close,
  };
}
