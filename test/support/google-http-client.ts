/** Test-side helpers for driving the fake with plain fetch (used by the *.test.ts files only). */
import { createHash, randomBytes } from 'node:crypto';

export interface CallOptions {
  method?: string;
  token?: string;
  /** Sent as JSON unless `form` is set. */
  json?: unknown;
  form?: Record<string, string>;
  headers?: Record<string, string>;
  query?: Record<string, string | string[]>;
}

export interface CallResult {
  status: number;
  headers: Headers;
  body: any;
}

/** Calls `base + path` and parses a JSON body when there is one. */
export async function call(base: string, path: string, opts: CallOptions = {}): Promise<CallResult> {
  const url = new URL(base + path);
  for (const [k, v] of Object.entries(opts.query ?? {})) {
    for (const item of Array.isArray(v) ? v : [v]) url.searchParams.append(k, item);
  }
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(opts.form).toString();
  } else if (opts.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.json);
  }
  const res = await fetch(url, {
    method: opts.method ?? (body ? 'POST' : 'GET'),
    headers,
    body,
    redirect: 'manual',
  });
  const text = await res.text();
  let parsed: unknown = text;
  if ((res.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
  return { status: res.status, headers: res.headers, body: parsed };
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}
