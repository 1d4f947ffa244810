/**
 * Google's error bodies, read into one shape. Calendar and Drive answer in the legacy JSON-API shape
 * (`errors[].reason`), Sheets v4 in the google.rpc shape (`status`, `details[].reason`).
 */
import { AppError } from '../../errors.ts';

export type GoogleService = 'calendar' | 'sheets' | 'drive';

export const SERVICE_NAME: Record<GoogleService, string> = {
  calendar: 'Google Calendar',
  sheets: 'Google Sheets',
  drive: 'Google Drive',
};

export interface GoogleErrorInfo {
  message: string;
  /** Legacy `errors[0].reason`, or the rpc ErrorInfo reason, or the rpc status. */
  reasons: string[];
}

const MAX_DETAIL = 300;

export function parseGoogleError(body: unknown): GoogleErrorInfo {
  const error = (body as { error?: unknown } | null)?.error;
  if (!error || typeof error !== 'object') return { message: '', reasons: [] };
  const e = error as { message?: unknown; status?: unknown; errors?: unknown; details?: unknown };
  const reasons: string[] = [];
  if (Array.isArray(e.errors))
    for (const item of e.errors) if (typeof item?.reason === 'string') reasons.push(item.reason);
  if (Array.isArray(e.details))
    for (const item of e.details) if (typeof item?.reason === 'string') reasons.push(item.reason);
  if (typeof e.status === 'string') reasons.push(e.status);
  const message = typeof e.message === 'string' ? e.message.slice(0, MAX_DETAIL) : '';
  return { message, reasons };
}

const RATE_REASONS = new Set([
  'rateLimitExceeded',
  'userRateLimitExceeded',
  'RATE_LIMIT_EXCEEDED',
  'quotaExceeded',
]);
const SCOPE_REASONS = new Set(['ACCESS_TOKEN_SCOPE_INSUFFICIENT', 'insufficientPermissions']);

/** Calendar reports per-user rate limits as 403 as well as 429. */
export const isRateLimit = (status: number, info: GoogleErrorInfo) =>
  status === 429 || (status === 403 && info.reasons.some((r) => RATE_REASONS.has(r)));

export const isScopeMissing = (status: number, info: GoogleErrorInfo) =>
  status === 403 && info.reasons.some((r) => SCOPE_REASONS.has(r));

/**
 * A 4xx Google answered that the action itself may want to handle (404, 409 duplicate, 410 gone…).
 * Left unhandled it renders as a non-retryable provider_error naming Google's reason.
 */
export class GoogleApiError extends AppError {
  constructor(
    readonly service: GoogleService,
    readonly httpStatus: number,
    readonly info: GoogleErrorInfo,
  ) {
    const detail = info.message ? `: ${info.message}` : '';
    super('provider_error', `${SERVICE_NAME[service]} refused the request (${httpStatus})${detail}`, {
      extensions: { retryable: false, providerStatus: httpStatus },
    });
  }

  hasReason(reason: string): boolean {
    return this.info.reasons.includes(reason);
  }
}

export const isGoogleStatus = (e: unknown, ...statuses: number[]): e is GoogleApiError =>
  e instanceof GoogleApiError && statuses.includes(e.httpStatus);
