/**
 * The `executionConfig` of an http_webhook skill: schema, validation into field errors, and the
 * masking of header values (they are secrets: stored encrypted, never shown back).
 */
import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { FieldError } from '../../errors.ts';
import type { EgressPolicy } from '../../security/egress.ts';

export const WEBHOOK_METHODS = ['POST', 'PUT', 'PATCH', 'GET', 'DELETE'] as const;
export type WebhookMethod = (typeof WEBHOOK_METHODS)[number];

export const MAX_URL_LENGTH = 2048;
export const MAX_HEADERS = 20;
export const MAX_HEADER_VALUE_LENGTH = 4096;
export const DEFAULT_TIMEOUT_MS = 10_000;

/** What a masked header value looks like in responses; sent back unchanged, it means "keep it". */
export const MASKED_VALUE = '********';

export const WebhookExecutionConfigSchema = Type.Object(
  {
    url: Type.String({
      minLength: 1,
      maxLength: MAX_URL_LENGTH,
      description: 'http(s) URL called with the arguments',
    }),
    method: Type.Optional(
      Type.Union(
        WEBHOOK_METHODS.map((m) => Type.Literal(m)),
        { default: 'POST', description: 'GET and DELETE carry the arguments as ?arguments=<json>' },
      ),
    ),
    headers: Type.Optional(
      Type.Record(Type.String(), Type.String({ maxLength: MAX_HEADER_VALUE_LENGTH }), {
        maxProperties: MAX_HEADERS,
        description: 'extra request headers; the values are secrets and are shown masked',
      }),
    ),
    timeout_ms: Type.Optional(Type.Integer({ minimum: 100, maximum: 30_000, default: DEFAULT_TIMEOUT_MS })),
  },
  { additionalProperties: false },
);

/** A validated config with its defaults applied. */
export interface WebhookConfig {
  url: string;
  method: WebhookMethod;
  headers: Record<string, string>;
  timeout_ms: number;
}

export type WebhookConfigInput = Static<typeof WebhookExecutionConfigSchema>;

export type WebhookConfigResult = { ok: true; config: WebhookConfig } | { ok: false; errors: FieldError[] };

// RFC 9110 token characters.
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// Visible ASCII, space and tab: no CR/LF/NUL (header injection) and nothing undici would re-encode.
const HEADER_VALUE = /^[\t\x20-\x7e]*$/;

// Hop-by-hop headers belong to one connection, Host/Content-* are computed by us, and our own
// signing/identity headers must not be forged or overridden by an operator's configuration.
const REFUSED_HEADERS = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'expect',
  'host',
  'content-length',
  'content-type',
  'content-encoding',
  'idempotency-key',
  'user-agent',
]);

/** Whether an operator may set this header (checked at configuration time and again per call). */
export function isAllowedHeaderName(name: string): boolean {
  if (!TOKEN.test(name)) return false;
  const lower = name.toLowerCase();
  // flowyte-*: ours (request id); webhook-*: the Standard Webhooks signature headers.
  return !REFUSED_HEADERS.has(lower) && !lower.startsWith('flowyte-') && !lower.startsWith('webhook-');
}

function checkUrl(raw: string, field: string, egress: EgressPolicy | undefined, errors: FieldError[]): void {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    errors.push({ field, message: 'is not a valid absolute URL' });
    return;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    errors.push({ field, message: 'must use http or https' });
  }
  if (url.username || url.password) {
    // Credentials in a URL leak into logs and the shown config; headers are the secret store.
    errors.push({ field, message: 'must not contain credentials; put them in a header instead' });
  }
  if (!url.hostname) errors.push({ field, message: 'must have a host' });
  // Only literal addresses can be judged without DNS; names are checked on every call.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (egress && host && /^[0-9.]+$|:/.test(host) && !egress.isAllowedAddress(host)) {
    errors.push({ field, message: 'points at an address the network policy refuses' });
  }
}

function checkHeaders(headers: Record<string, string>, field: string, errors: FieldError[]): void {
  const seen = new Set<string>();
  for (const [name, value] of Object.entries(headers)) {
    const at = `${field}.${name}`;
    const lower = name.toLowerCase();
    if (!TOKEN.test(name) || name.length > 128)
      errors.push({ field: at, message: 'is not a valid header name' });
    else if (!isAllowedHeaderName(name))
      errors.push({ field: at, message: 'is set by Flowyte and cannot be configured' });
    if (seen.has(lower)) errors.push({ field: at, message: 'is given twice (header names ignore case)' });
    seen.add(lower);
    if (value === MASKED_VALUE) {
      errors.push({ field: at, message: 'is masked but no value is stored for it; send the real value' });
    } else if (!HEADER_VALUE.test(value)) {
      errors.push({ field: at, message: 'must be printable ASCII without line breaks' });
    }
  }
}

/**
 * Validates an `executionConfig` and applies defaults. Never throws: the caller turns the field
 * errors into a 400. With `egress`, a URL on a literal refused address is caught here already.
 */
export function validateWebhookConfig(
  input: unknown,
  opts: { prefix?: string; egress?: EgressPolicy } = {},
): WebhookConfigResult {
  const prefix = opts.prefix ?? 'executionConfig';
  if (!Value.Check(WebhookExecutionConfigSchema, input)) {
    const errors = [...Value.Errors(WebhookExecutionConfigSchema, input)].slice(0, 20).map((e) => ({
      field: [prefix, ...e.path.split('/').filter(Boolean)].join('.'),
      message: e.message,
    }));
    return { ok: false, errors };
  }
  const errors: FieldError[] = [];
  checkUrl(input.url, `${prefix}.url`, opts.egress, errors);
  const headers = input.headers ?? {};
  checkHeaders(headers, `${prefix}.headers`, errors);
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    config: {
      url: input.url,
      method: input.method ?? 'POST',
      headers: { ...headers },
      timeout_ms: input.timeout_ms ?? DEFAULT_TIMEOUT_MS,
    },
  };
}

/** Same header names, every value replaced by MASKED_VALUE: what responses show. */
export function maskHeaders(headers: Record<string, string> | undefined): Record<string, string> {
  // fromEntries defines own properties, so even a header named __proto__ stays a plain entry.
  return Object.fromEntries(Object.keys(headers ?? {}).map((name) => [name, MASKED_VALUE]));
}

/**
 * Applies the headers of an update to the stored (decrypted) ones. A value sent back as
 * MASKED_VALUE keeps the stored value of that name (matched ignoring case); a name left out is
 * removed; `incoming` undefined keeps everything. A masked value with nothing stored stays masked,
 * and validateWebhookConfig then reports it.
 */
export function mergeHeaders(
  previousSecrets: Record<string, string> | undefined,
  incoming: Record<string, string> | undefined,
): Record<string, string> {
  const previous = previousSecrets ?? {};
  if (incoming === undefined) return { ...previous };
  const byLower = new Map(Object.entries(previous).map(([k, v]) => [k.toLowerCase(), v]));
  return Object.fromEntries(
    Object.entries(incoming).map(([name, value]) => [
      name,
      value === MASKED_VALUE ? (byLower.get(name.toLowerCase()) ?? value) : value,
    ]),
  );
}
