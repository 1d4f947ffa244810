import type { Migration, MigrationProvider } from 'kysely';
import * as foundation from './001-foundation.ts';
import * as agents from './002-agents.ts';
import * as oauth from './003-oauth.ts';
import * as schemas from './004-schemas.ts';
import * as leases from './005-leases.ts';
import * as rateCounters from './006-rate-counters.ts';
import * as executionsByConversation from './007-executions-by-conversation.ts';
import * as operators from './008-operators.ts';
import * as flowyteFields from './009-flowyte-fields.ts';
import * as grantedScopes from './010-granted-scopes.ts';
import * as skillReviewAndConfirmations from './011-skill-review-and-confirmations.ts';
import * as apiKeysRevokedAt from './012-api-keys-revoked-at.ts';

/** Migrations live in code (not a folder scan) so the same list runs from sources, a build, or tests. */
const migrations: Record<string, Migration> = {
  '001-foundation': foundation,
  '002-agents': agents,
  '003-oauth': oauth,
  '004-schemas': schemas,
  '005-leases': leases,
  '006-rate-counters': rateCounters,
  '007-executions-by-conversation': executionsByConversation,
  '008-operators': operators,
  '009-flowyte-fields': flowyteFields,
  '010-granted-scopes': grantedScopes,
  '011-skill-review-and-confirmations': skillReviewAndConfirmations,
  '012-api-keys-revoked-at': apiKeysRevokedAt,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
