/**
 * The Admin GraphQL client: one POST per document through the network policy, the connection's
 * token (a stored Admin API token, or a client-credentials token core renews before expiry and once
 * more after a 401), Shopify's cost-based throttling honoured (wait what the restore rate says,
 * within a bounded budget, then 429 rate_limited with Retry-After), bounded jittered retries on
 * HTTP 429/5xx, and every other failure turned into the AppError an agent can act on.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../../errors.ts';
import type { ProviderContext } from '../types.ts';
import { shopRequest } from './http.ts';
import { graphqlUrl } from './shop.ts';

export interface RetryBudget {
  /** Retries after THROTTLED, HTTP 429 or 5xx before giving up. */
  maxRetries: number;
  /** Total time spent waiting within one call; a longer wait fails at once with its Retry-After. */
  maxWaitMs: number;
  /** First backoff of an HTTP 429/5xx without Retry-After (doubled per retry, jittered). */
  baseBackoffMs: number;
}

export const DEFAULT_BUDGET: RetryBudget = { maxRetries: 3, maxWaitMs: 3_000, baseBackoffMs: 200 };

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

interface GraphqlError {
  message?: string;
  extensions?: { code?: string; requiredAccess?: string };
  path?: unknown[];
}

interface GraphqlBody {
  data?: Record<string, unknown> | null;
  errors?: GraphqlError[] | string;
  extensions?: { cost?: { requestedQueryCost?: number; throttleStatus?: ThrottleStatus } };
}

export interface ShopifyAuth {
  shop: string;
  /** The token to send; `fresh` asks for a renewed one after a 401 (client-credentials apps only). */
  token(opts?: { fresh?: boolean }): Promise<string>;
  renewable: boolean;
}

/** The auth of a stored connection: its static token, or the renewing one core manages. */
export function connectionAuth(credentials: Record<string, unknown>, ctx: ProviderContext): ShopifyAuth {
  const shop = String(credentials.shop);
  if (typeof credentials.client_id === 'string' && ctx.accessToken) {
    const get = ctx.accessToken;
    return { shop, renewable: true, token: (o) => get(o?.fresh ? { forceRefresh: true } : undefined) };
  }
  const token = String(credentials.access_token ?? '');
  return { shop, renewable: false, token: async () => token };
}

/** Seconds from a Retry-After header; undefined when absent or unreadable. */
function retryAfter(header: string | string[] | undefined): number | undefined {
  const raw = Array.isArray(header) ? header[0] : header;
  if (!raw) return undefined;
  const n = Number(raw.trim());
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

const jitter = (ms: number) => Math.round(ms * (0.75 + Math.random() * 0.5));

/** Wait until the bucket holds the query's cost again, from the throttle status Shopify reported. */
export function throttleWaitMs(requested: number, status: ThrottleStatus | undefined): number {
  if (!status || status.restoreRate <= 0) return 1_000;
  const missing = Math.max(0, Math.min(requested, status.maximumAvailable) - status.currentlyAvailable);
  return Math.max(50, Math.ceil((missing / status.restoreRate) * 1000));
}

const errorList = (body: GraphqlBody): GraphqlError[] =>
  Array.isArray(body.errors)
    ? body.errors
    : typeof body.errors === 'string'
      ? [{ message: body.errors }]
      : [];

/**
 * Runs one document and returns its `data`. GraphQL errors on a partial answer are refused as a
 * whole: a tool must never read a half-answered question as "not found".
 */
export async function shopifyGraphql(
  ctx: ProviderContext,
  auth: ShopifyAuth,
  doc: { query: string; variables?: Record<string, unknown> },
  budget: RetryBudget = DEFAULT_BUDGET,
): Promise<Record<string, unknown>> {
  const url = graphqlUrl(ctx, auth.shop);
  // A mutation Shopify answered 5xx may have been applied: never send it again (429 and THROTTLED ran nothing).
  const isMutation = /^\s*mutation\b/.test(doc.query);
  const payload = JSON.stringify({ query: doc.query, variables: doc.variables ?? {} });
  let token = await auth.token();
  let renewed = false;
  let retries = 0;
  let waited = 0;
  const wait = async (ms: number, reason: AppError) => {
    if (retries >= budget.maxRetries || waited + ms > budget.maxWaitMs) throw reason;
    retries++;
    waited += ms;
    await sleep(ms, undefined, { signal: ctx.signal });
  };
  for (;;) {
    const res = await shopRequest(ctx, url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        'x-shopify-access-token': token,
      },
      body: payload,
    });
    if (res.status === 401) {
      if (auth.renewable && !renewed) {
        renewed = true;
        token = await auth.token({ fresh: true });
        continue;
      }
      throw new AppError('needs_reconnect', 'Shopify refused the stored access token; reconnect the shop');
    }
    if (res.status === 402 || res.status === 423) {
      throw new AppError(
        'provider_error',
        `the shop is ${res.status === 402 ? 'frozen (unpaid)' : 'locked'} at Shopify`,
        {
          extensions: { retryable: false, providerStatus: res.status },
        },
      );
    }
    if (res.status === 404) {
      throw new AppError(
        'provider_error',
        `Shopify has no shop ${auth.shop} (or no Admin API version ${ctx.endpoints.shopifyApiVersion})`,
        {
          extensions: { retryable: false, providerStatus: 404 },
        },
      );
    }
    if (res.status >= 500 && isMutation) {
      throw new AppError(
        'provider_error',
        `Shopify failed (${res.status}) during a change; it may have been applied`,
        {
          extensions: { retryable: false, mayHaveApplied: true, providerStatus: res.status },
        },
      );
    }
    if (res.status === 429 || res.status >= 500) {
      const after = retryAfter(res.headers['retry-after']);
      const ms = after !== undefined ? after * 1000 : jitter(budget.baseBackoffMs * 2 ** retries);
      const failure =
        res.status === 429
          ? new AppError('rate_limited', 'Shopify is rate limiting this shop; try again shortly', {
              retryAfter: Math.max(1, Math.ceil(ms / 1000)),
            })
          : new AppError('provider_error', `Shopify failed (${res.status})`, {
              extensions: { retryable: true, providerStatus: res.status },
            });
      await wait(ms, failure);
      continue;
    }
    const body = (res.body ?? {}) as GraphqlBody;
    if (res.status >= 400 || typeof res.body !== 'object') {
      throw new AppError('provider_error', `Shopify answered ${res.status} to the GraphQL request`, {
        extensions: { retryable: false, providerStatus: res.status },
      });
    }
    const errors = errorList(body);
    if (errors.some((e) => e.extensions?.code === 'THROTTLED')) {
      const cost = body.extensions?.cost;
      const ms = throttleWaitMs(cost?.requestedQueryCost ?? 50, cost?.throttleStatus);
      await wait(
        ms,
        new AppError('rate_limited', "the shop's Admin API query budget is spent; try again shortly", {
          retryAfter: Math.max(1, Math.ceil(ms / 1000)),
        }),
      );
      continue;
    }
    if (errors.length) throw graphqlFailure(errors);
    return body.data ?? {};
  }
}

function graphqlFailure(errors: GraphqlError[]): AppError {
  const denied = errors.find((e) => e.extensions?.code === 'ACCESS_DENIED');
  if (denied) {
    const scope = /`?([a-z_]+)`? access scope/.exec(
      denied.extensions?.requiredAccess ?? denied.message ?? '',
    )?.[1];
    return new AppError(
      'provider_error',
      `the Shopify app lacks an access scope this skill needs${scope ? ` (${scope})` : ''}; grant it in the app's configuration and reinstall`,
      { extensions: { retryable: false, ...(scope ? { missingScope: scope } : {}) } },
    );
  }
  const first = errors[0]?.message?.slice(0, 300) ?? 'unknown error';
  return new AppError('provider_error', `Shopify refused the query: ${first}`, {
    extensions: { retryable: false },
  });
}
