/**
 * A Google OAuth provider that exists only in tests: one read action listing the account's
 * calendars through ctx.accessToken(), with the one forced refresh after a 401 that real Google
 * providers do. It lets the OAuth suites run without the real Calendar/Sheets modules.
 */
import { AppError } from '../../src/errors.ts';
import { googleOAuth } from '../../src/providers/google/oauth.ts';
import type { ProviderModule } from '../../src/providers/types.ts';

export const OAUTH_TEST_KIND = 'test_google';
export const OAUTH_TEST_SCOPE = 'https://www.googleapis.com/auth/calendar.readonly';

export const oauthTestProvider: ProviderModule = {
  kind: OAUTH_TEST_KIND,
  name: 'Test Google',
  category: 'Testing',
  blurb: 'A Google OAuth provider registered only by tests.',
  logo: 'google',
  auth: { type: 'oauth2', oauth: googleOAuth([OAUTH_TEST_SCOPE]) },
  actions: [
    {
      slug: 'list_calendars',
      name: 'List calendars',
      description: 'The calendars of the connected account',
      important: true,
      isWrite: false,
      parameters: { type: 'object', properties: {}, required: [], additionalProperties: false },
      config: [],
    },
  ],
  async execute(_credentials, _request, ctx) {
    const call = async (token: string) =>
      fetch(`${ctx.endpoints.googleApiUrl}/calendar/v3/users/me/calendarList`, {
        headers: { authorization: `Bearer ${token}` },
      });
    let res = await call(await ctx.accessToken!());
    if (res.status === 401) res = await call(await ctx.accessToken!({ forceRefresh: true }));
    if (!res.ok)
      throw new AppError('provider_error', `calendarList answered ${res.status}`, {
        extensions: { retryable: res.status >= 500 },
      });
    const body = (await res.json()) as { items: { id: string }[] };
    return { calendars: body.items.map((c) => c.id) };
  },
};

/** A second Google kind, to show two connections of one org sharing an account. */
export const OAUTH_TEST_KIND_B = 'test_google_b';
export const oauthTestProviderB: ProviderModule = {
  ...oauthTestProvider,
  kind: OAUTH_TEST_KIND_B,
  name: 'Test Google B',
};
