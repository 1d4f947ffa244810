/**
 * Turning a webhook's answer, or its failure to answer, into a result or a typed AppError an agent
 * can act on. Details never carry header values or long response bodies.
 */
import { AppError } from '../../errors.ts';
import { EgressError } from '../../security/egress.ts';
import { guardPoison } from '../../security/json-poison.ts';

const SNIPPET_CHARS = 200;
const MAX_RETRY_AFTER_SECONDS = 3600;

export function providerError(
  detail: string,
  retryable: boolean,
  extra: Record<string, unknown> = {},
): AppError {
  return new AppError('provider_error', detail, { extensions: { retryable, ...extra } });
}

export const tooLarge = (cap: number) =>
  providerError(`the webhook response is too large (limit ${cap} bytes)`, false, {
    reason: 'response_too_large',
  });

function headerOf(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function isJsonType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const mime = contentType.split(';')[0].trim().toLowerCase();
  return mime === 'application/json' || mime.endsWith('+json');
}

/** The body of a 2xx answer: JSON when declared so, else text; nothing at all is null. */
export function parseSuccessBody(bytes: Buffer, contentType: string | undefined): unknown {
  if (bytes.length === 0) return null;
  const text = bytes.toString('utf8');
  if (!isJsonType(contentType)) return text;
  try {
    // The result travels on to agents and records: strip prototype-poisoning keys once, here.
    return guardPoison(JSON.parse(text), text, 'remove');
  } catch {
    throw providerError('the webhook answered with invalid JSON', false);
  }
}

/** Seconds from a Retry-After header (delta-seconds or HTTP date), bounded; undefined if absent. */
export function parseRetryAfter(value: string | undefined, nowMs: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  let seconds: number;
  if (/^\d+$/.test(trimmed)) seconds = Number(trimmed);
  else {
    const at = Date.parse(trimmed);
    if (Number.isNaN(at)) return undefined;
    seconds = Math.ceil((at - nowMs) / 1000);
  }
  return Math.min(Math.max(seconds, 0), MAX_RETRY_AFTER_SECONDS);
}

/**
 * A parsed answer with every secret we sent blanked out, in keys and string values at any depth:
 * a receiver that echoes its request must not hand our header values to whoever invokes the tool.
 */
export function redactSecrets(value: unknown, secrets: string[]): unknown {
  const live = secrets.filter((secret) => secret.length >= 4);
  if (!live.length) return value;
  // Most answers hold no secret: a scan that allocates nothing decides whether to copy at all.
  if (!holdsSecret(value, live, 0)) return value;
  return scrubbed(value, live, 0);
}

function containsSecret(text: string, secrets: string[]): boolean {
  for (const secret of secrets) if (text.includes(secret)) return true;
  return false;
}

function holdsSecret(v: unknown, secrets: string[], depth: number): boolean {
  if (typeof v === 'string') return containsSecret(v, secrets);
  if (v === null || typeof v !== 'object' || depth > 64) return false;
  if (Array.isArray(v)) {
    for (const item of v) if (holdsSecret(item, secrets, depth + 1)) return true;
    return false;
  }
  for (const k of Object.keys(v)) {
    if (containsSecret(k, secrets) || holdsSecret((v as Record<string, unknown>)[k], secrets, depth + 1))
      return true;
  }
  return false;
}

function scrub(text: string, secrets: string[]): string {
  let out = text;
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join('[redacted]');
  return out;
}

function scrubbed(v: unknown, secrets: string[], depth: number): unknown {
  if (typeof v === 'string') return scrub(v, secrets);
  if (v === null || typeof v !== 'object' || depth > 64) return v;
  if (Array.isArray(v)) return v.map((item) => scrubbed(item, secrets, depth + 1));
  return Object.fromEntries(
    Object.entries(v).map(([k, item]) => [scrub(k, secrets), scrubbed(item, secrets, depth + 1)]),
  );
}

/**
 * A short, printable excerpt of an error body with every secret we sent blanked out: a receiver
 * that echoes its request (debug endpoints do) must not leak our headers into problem details.
 */
export function snippetOf(bytes: Buffer, secrets: string[]): string {
  let text = bytes.subarray(0, 4096).toString('utf8');
  for (const secret of secrets) if (secret.length >= 4) text = text.split(secret).join('[redacted]');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  text = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return text.length > SNIPPET_CHARS ? `${text.slice(0, SNIPPET_CHARS)}…` : text;
}

/** The AppError for a non-2xx, non-redirect answer. */
export function errorForStatus(
  status: number,
  headers: Record<string, string | string[] | undefined>,
  bytes: Buffer,
  secrets: string[],
): AppError {
  const snippet = snippetOf(bytes, secrets);
  const suffix = snippet ? `: ${snippet}` : '';
  if (status === 429) {
    const retryAfter = parseRetryAfter(headerOf(headers, 'retry-after'));
    return new AppError('rate_limited', 'the webhook is rate limiting calls', {
      retryAfter,
      extensions: { upstreamStatus: status },
    });
  }
  if (status >= 500)
    return providerError(`the webhook answered HTTP ${status}${suffix}`, true, { upstreamStatus: status });
  if (status >= 400)
    return providerError(`the webhook answered HTTP ${status}${suffix}`, false, { upstreamStatus: status });
  return providerError(`the webhook answered an unexpected HTTP ${status}`, false, {
    upstreamStatus: status,
  });
}

function findEgressError(err: unknown): EgressError | undefined {
  let cur: unknown = err;
  for (let depth = 0; cur && depth < 5; depth++) {
    if (cur instanceof EgressError) return cur;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

// Failures of the path to the endpoint that a later attempt may well not see.
const TRANSIENT = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** The AppError for a thrown transport error (never its message: it may name internal addresses). */
export function errorForFailure(err: unknown, afterRedirect: boolean): AppError {
  if (err instanceof AppError) return err;
  const egress = findEgressError(err);
  const where = afterRedirect ? 'the webhook redirect target' : 'the webhook host';
  if (egress) {
    if (egress.reason === 'unresolvable')
      return providerError(`${where} does not resolve`, false, { reason: 'unresolvable' });
    return providerError(`${where} is refused by the network policy`, false, { reason: 'egress_refused' });
  }
  const code = String((err as { code?: unknown })?.code ?? '');
  if (TRANSIENT.has(code)) {
    const what = code === 'ECONNREFUSED' ? 'refused the connection' : 'dropped the connection';
    return providerError(`the webhook endpoint ${what} (${code})`, true, { reason: 'connection_failed' });
  }
  if (code === 'UND_ERR_INVALID_ARG') {
    // A stored header value undici will not send (it predates validation): retrying cannot help.
    return providerError('the webhook request could not be built from the stored configuration', false);
  }
  if (/CERT|TLS|SSL|UNABLE_TO|SELF_SIGNED/.test(code)) {
    return providerError(`the webhook TLS handshake failed (${code})`, false, { reason: 'tls_failed' });
  }
  return providerError(`the webhook call failed${code ? ` (${code})` : ''}`, true);
}
