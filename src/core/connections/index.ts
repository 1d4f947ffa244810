/**
 * The catalog, connections and their lifecycle, schema discovery, and the OAuth flows and tokens behind
 * them. The folder's only entrance: code outside it imports from here.
 */
export * from './discovery.ts';
export * from './integrations.ts';
export * from './oauth.ts';
export * from './oauth-client.ts';
export * from './oauth-clients.ts';
export * from './oauth-flow.ts';
export * from './oauth-scopes.ts';
export * from './oauth-tokens.ts';
export * from './schema-diff.ts';
export * from './schema-search.ts';
