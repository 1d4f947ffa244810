/**
 * Calling an http_webhook skill: the arguments as signed JSON, through the egress policy's pinned
 * dispatcher, redirects followed by hand and re-checked, time and size capped.
 *
 * POST/PUT/PATCH send the arguments as the JSON body. GET and DELETE send no body (many servers
 * and proxies drop or refuse one): the same JSON travels as the single query parameter
 * `?arguments=<json>` (added to any query the URL already has), and that JSON is what is signed.
 */
import type { Dispatcher } from 'undici';
import { AppError } from '../../errors.ts';
import type { EgressPolicy } from '../../security/egress.ts';
import { isAllowedHeaderName, type WebhookConfig } from './config.ts';
import { type Exchange, type ExchangeLimits, exchange, type ResponseHeaders } from './exchange.ts';
import {
  errorForFailure,
  errorForStatus,
  parseSuccessBody,
  providerError,
  redactSecrets,
  tooLarge,
} from './response.ts';
import { SIGNATURE_HEADERS, signWebhookPayload } from './signing.ts';

export const USER_AGENT = 'flowyte-webhook/1';
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;
export const MAX_REDIRECTS = 3;
// Past this, a GET/DELETE URL risks a 414 from servers and proxies; POST has no such limit.
const MAX_QUERY_URL_LENGTH = 8192;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const REDIRECT_BODY_BYTES = 64 * 1024;

const isRedirect = (status: number, head: ResponseHeaders) =>
  REDIRECT_STATUSES.has(status) && typeof head.location === 'string';

export interface WebhookSecrets {
  /** The decrypted header values (the config only shows them masked). */
  headers: Record<string, string>;
  signingSecret: string;
}

export interface WebhookCallContext {
  egress: EgressPolicy;
  idempotencyKey?: string;
  requestId?: string;
  /** Default 1 MiB. */
  maxResponseBytes?: number;
  /** The caller giving up (client gone): the call is aborted and the signal's reason is thrown. */
  signal?: AbortSignal;
}

export interface WebhookResult {
  status: number;
  body: unknown;
}

// One pooled dispatcher per policy: keep-alive connections are what keeps a call's overhead low.
const dispatchers = new WeakMap<EgressPolicy, Dispatcher>();

export function webhookDispatcher(egress: EgressPolicy): Dispatcher {
  let d = dispatchers.get(egress);
  if (!d) {
    d = egress.dispatcher();
    dispatchers.set(egress, d);
  }
  return d;
}

/** A skill's URL, parsed once per decoded config (a tool table keeps its configs). Never mutated. */
const targets = new WeakMap<WebhookConfig, URL>();

function targetOf(config: WebhookConfig): URL {
  let url = targets.get(config);
  if (!url) {
    url = new URL(config.url);
    targets.set(config, url);
  }
  return url;
}

interface OperatorPart {
  /** The operator's headers that may be sent, by lower-case name. */
  headers: Record<string, string>;
  names: string[];
  /** Every secret value a call sends, to be blanked out of whatever comes back. */
  secrets: string[];
}

/** What a skill's opened secrets add to each of its calls, worked out once per opened secrets. */
const operatorParts = new WeakMap<WebhookSecrets, OperatorPart>();

function operatorPartOf(secrets: WebhookSecrets): OperatorPart {
  let part = operatorParts.get(secrets);
  if (part) return part;
  part = { headers: {}, names: [], secrets: [secrets.signingSecret, ...Object.values(secrets.headers)] };
  for (const [name, value] of Object.entries(secrets.headers)) {
    // Checked by the code that sends them, not once at save time: a stored config from before a
    // rule change must not forge our headers.
    if (!isAllowedHeaderName(name)) continue;
    const lower = name.toLowerCase();
    part.headers[lower] = value;
    part.names.push(lower);
  }
  operatorParts.set(secrets, part);
  return part;
}

/** Where a redirect goes, or a refusal when it leaves http(s) or smuggles credentials. */
function redirectTarget(location: string, current: URL): URL {
  let next: URL;
  try {
    next = new URL(location, current);
  } catch {
    throw providerError('the webhook redirected to an invalid URL', false, { reason: 'bad_redirect' });
  }
  if (next.protocol !== 'http:' && next.protocol !== 'https:') {
    throw providerError('the webhook redirected to a non-HTTP(S) URL, which is refused', false, {
      reason: 'bad_redirect',
    });
  }
  if (next.username || next.password) {
    throw providerError('the webhook redirected to a URL with credentials, which is refused', false, {
      reason: 'bad_redirect',
    });
  }
  return next;
}

/** Calls the webhook of a skill with already-validated arguments. Throws AppError on failure. */
export async function callWebhook(
  config: WebhookConfig,
  secrets: WebhookSecrets,
  args: unknown,
  ctx: WebhookCallContext,
): Promise<WebhookResult> {
  const payload = JSON.stringify(args === undefined ? {} : args);
  let method: string = config.method ?? 'POST';
  const inQuery = method === 'GET' || method === 'DELETE';
  let url = inQuery ? new URL(config.url) : targetOf(config);
  let body: string | undefined;
  if (inQuery) {
    url.searchParams.set('arguments', payload);
    if (url.href.length > MAX_QUERY_URL_LENGTH) {
      throw providerError(`the arguments are too large for a ${method} query string; configure POST`, false);
    }
  } else {
    body = payload;
  }

  const operator = operatorPartOf(secrets);
  const operatorHeaders = operator.names;
  const sentSecrets = operator.secrets;
  const headers: Record<string, string> = { ...operator.headers };
  Object.assign(headers, signWebhookPayload(secrets.signingSecret, payload));
  headers['user-agent'] = USER_AGENT;
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (ctx.idempotencyKey) headers['idempotency-key'] = ctx.idempotencyKey;
  if (ctx.requestId) headers['flowyte-request-id'] = ctx.requestId;

  if (ctx.signal?.aborted) throw ctx.signal.reason;
  // One deadline for the whole exchange — connecting, redirects and body included: giving up
  // rejects the exchange in flight at once, wherever it is.
  let current: Exchange | null = null;
  let timedOut = false;
  let aborted = false;
  const abort = () => {
    if (aborted) return;
    aborted = true;
    current?.abort(new Error('aborted'));
  };
  const timer = setTimeout(() => {
    timedOut = true;
    abort();
  }, config.timeout_ms);
  ctx.signal?.addEventListener('abort', abort, { once: true });

  const dispatcher = webhookDispatcher(ctx.egress);
  const cap = ctx.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const origin = url.origin;
  const limits: ExchangeLimits = {
    // A redirect's own body is drained (so its connection can be reused) up to a little, never used.
    cap: (status, head) => (isRedirect(status, head) ? REDIRECT_BODY_BYTES : cap),
    refuse: (status, head) =>
      status >= 200 && status < 300 && Number(head['content-length']) > cap ? tooLarge(cap) : undefined,
  };
  let hops = 0;
  try {
    for (;;) {
      if (aborted) throw new Error('aborted');
      current = exchange(
        dispatcher,
        {
          origin: url.origin,
          path: url.pathname + url.search,
          method: method as Dispatcher.HttpMethod,
          headers,
          body,
        },
        limits,
      );
      const res = await current.answer;
      const location = res.headers.location;
      if (isRedirect(res.statusCode, res.headers) && typeof location === 'string') {
        if (hops >= MAX_REDIRECTS) {
          throw providerError(`the webhook redirected more than ${MAX_REDIRECTS} times`, false, {
            reason: 'too_many_redirects',
          });
        }
        hops++;
        const next = redirectTarget(location, url);
        if (next.origin !== origin) {
          // Another origin gets neither the operator's secrets nor a signature made for this skill.
          for (const name of [...operatorHeaders, ...SIGNATURE_HEADERS]) delete headers[name];
        }
        const toGet =
          (res.statusCode === 303 && method !== 'GET') ||
          ((res.statusCode === 301 || res.statusCode === 302) && method === 'POST');
        if (toGet) {
          // Fetch semantics: the body is dropped, and with it the signature that covered it.
          method = 'GET';
          body = undefined;
          for (const name of ['content-type', ...SIGNATURE_HEADERS]) delete headers[name];
        }
        url = next;
        continue;
      }

      const ok = res.statusCode >= 200 && res.statusCode < 300;
      if (!ok) throw errorForStatus(res.statusCode, res.headers, res.bytes, sentSecrets);
      if (res.truncated) throw tooLarge(cap);
      const contentType = res.headers['content-type'];
      const parsed = parseSuccessBody(res.bytes, Array.isArray(contentType) ? contentType[0] : contentType);
      return { status: res.statusCode, body: redactSecrets(parsed, sentSecrets) };
    }
  } catch (err) {
    if (timedOut) {
      throw new AppError('provider_timeout', `the webhook did not answer within ${config.timeout_ms} ms`, {
        extensions: { retryable: true, timeoutMs: config.timeout_ms },
      });
    }
    if (ctx.signal?.aborted) throw ctx.signal.reason;
    throw errorForFailure(err, hops > 0);
  } finally {
    clearTimeout(timer);
    ctx.signal?.removeEventListener('abort', abort);
  }
}
