/**
 * One door to Google's REST APIs for the Google providers: a Bearer token from ctx.accessToken(),
 * one forced refresh after a 401, a short bounded wait on 429 honouring Retry-After, and every other
 * failure turned into the AppError an agent can act on. Tokens are never logged or echoed.
 */
import { request } from 'undici';
import { AppError } from '../../errors.ts';
import type { ProviderContext } from '../types.ts';
import {
  GoogleApiError,
  type GoogleService,
  isRateLimit,
  isScopeMissing,
  parseGoogleError,
  SERVICE_NAME,
} from './errors.ts';

export type QueryValue = string | number | boolean | string[] | undefined | null;

export interface GoogleCall {
  service: GoogleService;
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path below the API root, e.g. `/calendar/v3/freeBusy`; the caller encodes path segments. */
  path: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
}

export interface RetryPolicy {
  /** Retries after a 429 before giving up with rate_limited. */
  maxRateLimitRetries: number;
  /** Total time spent waiting on 429s within one call; a longer Retry-After fails at once. */
  maxWaitMs: number;
  /** Wait when Google sends no Retry-After (doubled per retry). */
  fallbackWaitMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxRateLimitRetries: 2, maxWaitMs: 2_000, fallbackWaitMs: 250 };

const REAL_WWW = /^https:\/\/www\.googleapis\.com$/;

/** Sheets lives on its own host at Google; a configured fake or proxy serves every API from one root. */
export function apiRoot(ctx: ProviderContext, service: GoogleService): string {
  const root = ctx.endpoints.googleApiUrl.replace(/\/+$/, '');
  return service === 'sheets' && REAL_WWW.test(root) ? 'https://sheets.googleapis.com' : root;
}

function buildUrl(ctx: ProviderContext, call: GoogleCall): string {
  let url = apiRoot(ctx, call.service) + call.path;
  if (call.query) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(call.query)) {
      if (v === undefined || v === null) continue;
      if (Array.isArray(v)) for (const item of v) params.append(k, item);
      else params.append(k, String(v));
    }
    const qs = params.toString();
    if (qs) url += `?${qs}`;
  }
  return url;
}

/** Seconds from a Retry-After header (delta-seconds or an HTTP date); undefined when absent or unreadable. */
export function retryAfterSeconds(
  header: string | string[] | undefined,
  nowMs = Date.now(),
): number | undefined {
  const raw = Array.isArray(header) ? header[0] : header;
  if (!raw) return undefined;
  if (/^\d+$/.test(raw.trim())) return Number(raw.trim());
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - nowMs) / 1000));
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (ms <= 0) return resolve();
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

async function send(ctx: ProviderContext, call: GoogleCall, token: string): Promise<RawResponse> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' };
  let payload: string | undefined;
  if (call.body !== undefined) {
    payload = JSON.stringify(call.body);
    headers['content-type'] = 'application/json';
  }
  try {
    // undici's own header/body timers rather than an AbortSignal per call: this sits on the hot path.
    const res = await request(buildUrl(ctx, call), {
      method: call.method ?? 'GET',
      headers,
      body: payload,
      signal: ctx.signal,
      headersTimeout: ctx.timeoutMs,
      bodyTimeout: ctx.timeoutMs,
    });
    const text = await res.body.text();
    let body: unknown;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        // A truncated or non-JSON body (a proxy's HTML page): keep the status, drop the body.
        body = undefined;
      }
    }
    return { status: res.statusCode, headers: res.headers, body };
  } catch (e) {
    if (TIMEOUT_CODES.has((e as { code?: string }).code ?? '')) {
      throw new AppError(
        'provider_timeout',
        `${SERVICE_NAME[call.service]} did not answer within ${ctx.timeoutMs} ms`,
      );
    }
    if (ctx.signal?.aborted) throw e;
    throw new AppError('provider_error', `${SERVICE_NAME[call.service]} could not be reached`, {
      extensions: { retryable: true },
    });
  }
}

async function token(ctx: ProviderContext, forceRefresh: boolean): Promise<string> {
  if (!ctx.accessToken) {
    throw new AppError('needs_reconnect', 'this Google connection has no OAuth grant; connect it again');
  }
  return ctx.accessToken(forceRefresh ? { forceRefresh: true } : undefined);
}

/** Calls a Google API and returns its parsed JSON body (undefined for 204). */
export async function googleCall<T = any>(
  ctx: ProviderContext,
  call: GoogleCall,
  policy: RetryPolicy = DEFAULT_RETRY,
): Promise<T> {
  const name = SERVICE_NAME[call.service];
  let refreshed = false;
  let rateRetries = 0;
  let waitedMs = 0;
  let bearer = await token(ctx, false);
  for (;;) {
    const res = await send(ctx, call, bearer);
    if (res.status < 300) return res.body as T;
    const info = parseGoogleError(res.body);

    if (res.status === 401) {
      // One forced refresh: the token may have expired between the check and the call.
      if (!refreshed) {
        refreshed = true;
        bearer = await token(ctx, true);
        continue;
      }
      throw new AppError(
        'needs_reconnect',
        `${name} refused a freshly refreshed token; reconnect the account`,
      );
    }
    if (isScopeMissing(res.status, info)) {
      throw new AppError(
        'needs_reconnect',
        `the ${name} grant lacks a permission this action needs; reconnect and allow it`,
      );
    }
    if (isRateLimit(res.status, info)) {
      const after = retryAfterSeconds(res.headers['retry-after']);
      const waitMs = after !== undefined ? after * 1000 : policy.fallbackWaitMs * 2 ** rateRetries;
      if (rateRetries < policy.maxRateLimitRetries && waitedMs + waitMs <= policy.maxWaitMs) {
        rateRetries++;
        waitedMs += waitMs;
        await sleep(Math.max(waitMs, 20), ctx.signal);
        continue;
      }
      throw new AppError('rate_limited', `${name} is rate limiting this account; try again shortly`, {
        retryAfter: Math.max(1, after ?? Math.ceil(waitMs / 1000)),
      });
    }
    if (res.status >= 500) {
      const detail = info.message ? `: ${info.message}` : '';
      throw new AppError('provider_error', `${name} failed (${res.status})${detail}`, {
        extensions: { retryable: true, providerStatus: res.status },
      });
    }
    throw new GoogleApiError(call.service, res.status, info);
  }
}
