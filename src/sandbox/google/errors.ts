/**
 * Google's error bodies. Calendar and Drive still answer in the legacy JSON-API shape (an `errors[]`
 * array with domain/reason); Sheets v4 answers in the newer google.rpc shape (status + details);
 * the OAuth endpoints answer RFC 6749 `{error, error_description}`. Clients parse each differently,
 * so the fake keeps them apart.
 */
import type { FastifyReply } from 'fastify';

export type ApiFamily = 'calendar' | 'drive' | 'sheets' | 'oauth';

export function familyOf(path: string): ApiFamily {
  if (path.startsWith('/calendar/')) return 'calendar';
  if (path.startsWith('/drive/')) return 'drive';
  if (path.startsWith('/v4/')) return 'sheets';
  return 'oauth';
}

const SERVICE: Record<ApiFamily, string> = {
  calendar: 'calendar-json.googleapis.com',
  drive: 'drive.googleapis.com',
  sheets: 'sheets.googleapis.com',
  oauth: 'oauth2.googleapis.com',
};

const STATUS_TEXT: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

export interface LegacyErrorItem {
  message?: string;
  domain?: string;
  reason: string;
  location?: string;
  locationType?: string;
}

/** Calendar/Drive shape. `status` is present only on the codes where Google sends it. */
export function legacyError(code: number, message: string, item: LegacyErrorItem, withStatus = false) {
  const error: Record<string, unknown> = {
    code,
    message,
    errors: [{ message: item.message ?? message, domain: item.domain ?? 'global', ...stripDomain(item) }],
  };
  if (withStatus) error.status = STATUS_TEXT[code] ?? 'UNKNOWN';
  return { error };
}

function stripDomain(item: LegacyErrorItem) {
  const { message: _m, domain: _d, ...rest } = item;
  return rest;
}

/** Sheets v4 shape. */
export function rpcError(code: number, message: string, details?: unknown[]) {
  const error: Record<string, unknown> = { code, message, status: STATUS_TEXT[code] ?? 'UNKNOWN' };
  if (details) error.details = details;
  return { error };
}

function errorInfo(family: ApiFamily, reason: string, metadata: Record<string, string> = {}) {
  return {
    '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
    reason,
    domain: 'googleapis.com',
    metadata: { service: SERVICE[family], ...metadata },
  };
}

const INVALID_CREDENTIALS =
  'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.';
const MISSING_CREDENTIALS =
  'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.';

/** Google's 401 body for a missing or dead bearer token. */
export function unauthenticatedBody(family: ApiFamily, missing = false) {
  if (family === 'oauth') return { error: 'invalid_request', error_description: 'Invalid Credentials' };
  const message = missing ? MISSING_CREDENTIALS : INVALID_CREDENTIALS;
  if (family === 'sheets') {
    return rpcError(401, message, [
      errorInfo(family, missing ? 'CREDENTIALS_MISSING' : 'ACCESS_TOKEN_EXPIRED'),
    ]);
  }
  const item = missing
    ? { message: 'Login Required.', reason: 'required', location: 'Authorization', locationType: 'header' }
    : {
        message: 'Invalid Credentials',
        reason: 'authError',
        location: 'Authorization',
        locationType: 'header',
      };
  return legacyError(401, message, item, true);
}

export const INVALID_TOKEN_CHALLENGE = 'Bearer realm="https://accounts.google.com/", error="invalid_token"';

/** 401 for a missing, unknown, revoked or expired bearer token. */
export function sendUnauthenticated(reply: FastifyReply, family: ApiFamily, missing = false) {
  reply.header('www-authenticate', INVALID_TOKEN_CHALLENGE);
  return reply.code(401).send(unauthenticatedBody(family, missing));
}

/** 403 when the token is valid but lacks every scope the method accepts. */
export function sendInsufficientScope(reply: FastifyReply, family: ApiFamily, method: string) {
  reply.header(
    'www-authenticate',
    'Bearer realm="https://accounts.google.com/", error="insufficient_scope", scope="https://www.googleapis.com/auth/cloud-platform"',
  );
  const message = 'Request had insufficient authentication scopes.';
  const details = [errorInfo(family, 'ACCESS_TOKEN_SCOPE_INSUFFICIENT', { method })];
  if (family === 'sheets') return reply.code(403).send(rpcError(403, message, details));
  const body = legacyError(
    403,
    message,
    { message: 'Insufficient Permission', reason: 'insufficientPermissions' },
    true,
  );
  (body.error as Record<string, unknown>).details = details;
  return reply.code(403).send(body);
}

/** 429 as Google sends it when a per-user quota is spent. */
export function rateLimitBody(family: ApiFamily) {
  if (family === 'oauth') return { error: 'rate_limit_exceeded', error_description: 'Rate Limit Exceeded' };
  if (family === 'sheets') {
    const message =
      "Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute per user' of service 'sheets.googleapis.com' for consumer 'project_number:000000000000'.";
    return rpcError(429, message, [
      errorInfo(family, 'RATE_LIMIT_EXCEEDED', { quota_metric: 'sheets.googleapis.com/read_requests' }),
    ]);
  }
  return legacyError(
    429,
    'Rate Limit Exceeded',
    { domain: 'usageLimits', reason: 'rateLimitExceeded' },
    true,
  );
}

export function serverErrorBody(family: ApiFamily, code: number) {
  const unavailable = code === 503;
  if (family === 'oauth') {
    return {
      error: unavailable ? 'temporarily_unavailable' : 'internal_failure',
      error_description: 'Backend Error',
    };
  }
  const message = unavailable ? 'The service is currently unavailable.' : 'Internal error encountered.';
  if (family === 'sheets') return rpcError(code, message);
  return legacyError(code, message, { reason: 'backendError' }, true);
}

/** Legacy-shape 4xx used across Calendar and Drive for validation and lookup failures. */
export function sendLegacy(
  reply: FastifyReply,
  code: number,
  message: string,
  reason: string,
  extra: Partial<LegacyErrorItem> = {},
) {
  return reply.code(code).send(legacyError(code, message, { reason, ...extra }));
}

export function sendRpc(reply: FastifyReply, code: number, message: string) {
  return reply.code(code).send(rpcError(code, message));
}

/** Thrown by the fake's domain code; the plugin's error handler renders it in the path's family. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    message: string,
    /** Legacy `errors[].reason` (Calendar/Drive); Sheets ignores it. */
    readonly reason = 'invalid',
    readonly extra: Partial<LegacyErrorItem> = {},
  ) {
    super(message);
  }
}

export function renderApiError(family: ApiFamily, err: ApiError) {
  if (family === 'sheets') return rpcError(err.code, err.message);
  return legacyError(err.code, err.message, { reason: err.reason, ...err.extra });
}
