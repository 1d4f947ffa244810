/** Scopes Flowyte asks Google for, and how a granted list is compared with a requested one. */

const G = 'https://www.googleapis.com/auth/';

/** Added to every Google provider's own scopes: the account's email labels the connection. */
export const GOOGLE_IDENTITY_SCOPES = [`${G}userinfo.email`];

/** Short forms Google accepts and sometimes answers with. */
const ALIASES: Record<string, string> = { email: `${G}userinfo.email`, profile: `${G}userinfo.profile` };

const normalize = (scope: string) => ALIASES[scope] ?? scope;

export function splitScopes(value: string): string[] {
  return [...new Set(value.split(/\s+/).filter(Boolean).map(normalize))];
}

/** The requested scopes for a provider: identity first, then its own, without duplicates. */
export function requestedScopes(providerScopes: string[]): string[] {
  return [...new Set([...GOOGLE_IDENTITY_SCOPES, ...providerScopes].map(normalize))];
}

/** Requested scopes the grant lacks. An absent `scope` in the token response means all were granted. */
export function missingScopes(requested: string[], granted: string | undefined): string[] {
  if (granted === undefined) return [];
  const have = new Set(splitScopes(granted));
  return requested.map(normalize).filter((s) => !have.has(s));
}
