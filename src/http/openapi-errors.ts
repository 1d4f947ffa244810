/**
 * The error codes each operation can answer, for the OpenAPI document: the ones every authenticated
 * route shares, the ones its path implies ({kind}, {id}), and the ones particular to it (SPEC §1–§8).
 * Each links to its page in the error catalogue (`/errors/<code>`).
 */
import { ERROR_STATUS, type ErrorCode } from '../errors.ts';

/** `METHOD /api/v1/path` (OpenAPI path syntax) → codes only that operation answers. */
const SPECIFIC: Record<string, ErrorCode[]> = {
  'POST /api/v1/integrations/{kind}/connect': [
    'credentials_rejected',
    'provider_error',
    'provider_timeout',
    'unavailable',
  ],
  'DELETE /api/v1/integrations/{kind}': ['integration_not_connected'],
  'POST /api/v1/integrations/{kind}/discover': [
    'integration_not_connected',
    'needs_reconnect',
    'provider_error',
    'provider_timeout',
  ],
  'GET /api/v1/integrations/{kind}/schema': ['integration_not_connected', 'not_discovered'],
  'GET /api/v1/integrations/{kind}/objects': ['integration_not_connected', 'not_discovered'],
  'GET /api/v1/integrations/{kind}/operations': ['integration_not_connected', 'not_discovered'],
  'PATCH /api/v1/integrations/{kind}/scoping': ['integration_not_connected', 'not_discovered'],
  'GET /api/v1/integrations/google_sheets/spreadsheet': [
    'integration_not_connected',
    'sheet_not_accessible',
    'needs_reconnect',
    'provider_error',
  ],
  'GET /api/v1/integrations/{kind}/pack': ['no_pack'],
  'GET /api/v1/agents/{id}/integrations/{kind}/pack': ['no_pack'],
  'POST /api/v1/agents/{id}/integrations/{kind}/pack/install': ['no_pack', 'integration_not_connected'],
  'POST /api/v1/agents/{id}/integrations/{kind}/provision': ['integration_not_connected', 'unknown_action'],
  'POST /api/v1/agents/{id}/integrations/{kind}/bindings': [
    'binding_invalid',
    'integration_not_connected',
    'not_discovered',
    'skill_name_taken',
  ],
  'POST /api/v1/agents/{id}/integrations/{kind}/bindings/auto': [
    'goal_not_mappable',
    'binding_invalid',
    'integration_not_connected',
    'not_discovered',
  ],
  'POST /api/v1/agents/{id}/skills': ['unsupported_skill_type', 'reserved', 'skill_name_taken'],
  'PATCH /api/v1/agents/{id}/skills/{skillId}': ['skill_name_taken'],
  'GET /api/v1/agents/{id}/tools': ['no_published_version'],
  'POST /api/v1/agents/{id}/tools/{name}/invoke': [
    'no_published_version',
    'confirmation_required',
    'verification_required',
    'invocation_in_progress',
    'needs_reconnect',
    'integration_not_connected',
    'slot_unavailable',
    'write_not_applied',
    'provider_error',
    'provider_timeout',
  ],
  'POST /api/v1/agents/{id}/mcp': ['no_published_version'],
  'POST /api/v1/agents/{id}/publish': ['conflict'],
  'PATCH /api/v1/agents/{id}': ['revision_mismatch'],
  'GET /api/v1/integrations/oauth/callback': [
    'oauth_state_invalid',
    'oauth_denied',
    'oauth_exchange_failed',
    'oauth_scope_missing',
    'provider_error',
    'provider_timeout',
  ],
  'POST /api/v1/session/login': ['unauthorized', 'rate_limited', 'host_not_allowed'],
  'POST /api/v1/session/logout': ['unauthorized', 'csrf_token_invalid', 'host_not_allowed'],
  'GET /api/v1/session': ['unauthorized', 'host_not_allowed'],
  'GET /readyz': ['unavailable'],
};

/** The codes an operation can answer, most specific first, each known to the status table. */
export function errorCodesOf(
  method: string,
  path: string,
  authenticated: boolean,
  takesInput: boolean,
): ErrorCode[] {
  const codes: ErrorCode[] = [...(SPECIFIC[`${method} ${path}`] ?? [])];
  if (path.includes('{kind}')) codes.push('provider_not_found', 'provider_reserved');
  if (/\{(id|skillId|versionId|keyId|name)\}/.test(path)) codes.push('not_found');
  if (takesInput) codes.push('validation_error');
  if (method === 'POST' && authenticated) codes.push('idempotency_key_reused');
  if (authenticated) codes.push('unauthorized', 'insufficient_scope', 'rate_limited');
  codes.push('internal_error');
  return [...new Set(codes)].filter((c) => c in ERROR_STATUS);
}
