/** Google's authorization server as data, shared by the Google providers (one app, one account). */
import type { OAuthSpec } from '../types.ts';

const G = 'https://www.googleapis.com/auth/';

export const GOOGLE_ISSUER = 'https://accounts.google.com';

/** The OAuth spec of a Google provider with its own minimal scopes. */
export function googleOAuth(scopes: string[]): OAuthSpec {
  return {
    app: 'google',
    authorizeUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
    tokenUrl: 'https://oauth2.googleapis.com/token',
    revokeUrl: 'https://oauth2.googleapis.com/revoke',
    userinfoUrl: 'https://www.googleapis.com/oauth2/v3/userinfo',
    issuer: GOOGLE_ISSUER,
    scopes,
    // The account's email labels the connection.
    identityScopes: [`${G}userinfo.email`],
    // Short forms Google accepts and sometimes answers with.
    scopeAliases: { email: `${G}userinfo.email`, profile: `${G}userinfo.profile` },
    pkce: 'S256',
    // A refresh token every time, also when the account granted this app before.
    extraAuthorizeParams: { access_type: 'offline', prompt: 'consent' },
    accountLabelClaim: 'email',
    requireRefreshToken: true,
    // Google revokes an app's whole grant for the account, not one token.
    revokesWholeGrant: true,
    defaultTokenTtlSeconds: 3_600,
  };
}
