/**
 * The one error type of the application. Core and providers throw AppError(code, detail); only the
 * HTTP layer turns it into problem+json, using the status table below.
 */

export const ERROR_STATUS = {
  validation_error: 400,
  organization_header_not_allowed: 400,
  credentials_conflict: 400,
  oauth_state_invalid: 400,
  oauth_exchange_failed: 400,
  unauthorized: 401,
  insufficient_scope: 403,
  csrf_token_invalid: 403,
  host_not_allowed: 403,
  provider_reserved: 403,
  verification_required: 403,
  oauth_denied: 403,
  oauth_scope_missing: 403,
  reserved: 403,
  not_found: 404,
  provider_not_found: 404,
  not_discovered: 404,
  no_pack: 404,
  sheet_not_accessible: 404,
  method_not_allowed: 405,
  not_acceptable: 406,
  conflict: 409,
  integration_not_connected: 409,
  no_published_version: 409,
  idempotency_key_reused: 409,
  idempotency_in_progress: 409,
  needs_reconnect: 409,
  confirmation_required: 409,
  confirmation_invalid: 409,
  slot_unavailable: 409,
  revision_mismatch: 409,
  skill_name_taken: 409,
  invocation_in_progress: 409,
  skill_needs_review: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  credentials_rejected: 422,
  binding_invalid: 422,
  goal_not_mappable: 422,
  unknown_action: 422,
  unsupported_skill_type: 422,
  write_not_applied: 422,
  rate_limited: 429,
  internal_error: 500,
  provider_error: 502,
  unavailable: 503,
  provider_timeout: 504,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface FieldError {
  field: string;
  message: string;
}

export interface AppErrorExtras {
  errors?: FieldError[];
  /** Extra members of the problem document (ids, `retryable`, `scope`…): never a secret. */
  extensions?: Record<string, unknown>;
  /** Seconds a client should wait (429/503), rendered as Retry-After. */
  retryAfter?: number;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly extras: AppErrorExtras;

  constructor(code: ErrorCode, detail: string, extras: AppErrorExtras = {}) {
    super(detail);
    this.name = 'AppError';
    this.code = code;
    this.status = ERROR_STATUS[code];
    this.extras = extras;
  }
}

export function titleOf(code: string): string {
  const words = code.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * The one wording style of every problem's `detail`: a sentence — capital first letter, final
 * period. Details are written as lower-case clauses (so they compose: `${what}: ${why}`) and are
 * put in this form once, where problems are rendered. A detail opening with an identifier
 * (`http_webhook`, `arguments.date`, `expiresIn`, `sku`) keeps its spelling.
 */
export function asSentence(detail: string): string {
  let out = detail.trim();
  const first = /^[a-z]+(?=[^A-Za-z0-9_./-]|$)/.exec(out)?.[0];
  if (first && !IDENTIFIER_WORDS.has(first)) out = out.charAt(0).toUpperCase() + out.slice(1);
  if (out && !/[.!?…]$/.test(out)) out += '.';
  return out;
}

/** Lower-case field names a detail may open with: kept as spelled. */
const IDENTIFIER_WORDS = new Set(['sku', 'note', 'query', 'email', 'role', 'arguments', 'kind', 'scopes']);

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;
