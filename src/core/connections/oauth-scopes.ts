/** How the scopes of a flow are requested, and how a granted list is compared with the requested one. */
import type { OAuthSpec } from '../../providers/types.ts';

const normalizer = (spec: Pick<OAuthSpec, 'scopeAliases'>) => (scope: string) =>
  spec.scopeAliases?.[scope] ?? scope;

export function splitScopes(spec: Pick<OAuthSpec, 'scopeAliases'>, value: string): string[] {
  return [...new Set(value.split(/\s+/).filter(Boolean).map(normalizer(spec)))];
}

/** The requested scopes for a provider: its app's identity scopes first, then its own, without duplicates. */
export function requestedScopes(spec: OAuthSpec): string[] {
  return [...new Set([...(spec.identityScopes ?? []), ...spec.scopes].map(normalizer(spec)))];
}

/** Requested scopes the grant lacks. An absent `scope` in the token response means all were granted. */
export function missingScopes(
  spec: Pick<OAuthSpec, 'scopeAliases'>,
  requested: string[],
  granted: string | undefined,
): string[] {
  if (granted === undefined) return [];
  const have = new Set(splitScopes(spec, granted));
  return requested.map(normalizer(spec)).filter((s) => !have.has(s));
}
