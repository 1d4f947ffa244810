/**
 * Fault switches and the request log. Both hang off the plugin's own hooks, so they only ever touch
 * the fake's routes, never the host server's.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  familyOf,
  INVALID_TOKEN_CHALLENGE,
  legacyError,
  rateLimitBody,
  rpcError,
  serverErrorBody,
  unauthenticatedBody,
} from './errors.ts';

export interface FaultScope {
  /** Path prefix relative to the fake's mount point, e.g. '/calendar/v3' or '/token'; omitted: all. */
  path?: string;
  /** HTTP method to match; omitted: all. */
  method?: string;
  /** One-shot count; omitted: stays until removed or cleared. */
  times?: number;
}

export interface FaultSpec extends FaultScope {
  /** Answer with this status and Google's body for it (401, 429, 500, 503, ...). */
  status?: number;
  /** Retry-After header in seconds (429/503). */
  retryAfter?: number;
  /** Wait this long first; with no status the request then proceeds normally. */
  delayMs?: number;
  /** Replace Google's body for `status`, e.g. to send a truncated one. */
  body?: unknown;
}

export interface FaultHandle {
  readonly spec: FaultSpec;
  /** Requests this fault has affected so far. */
  readonly hits: number;
  remove(): void;
}

interface Rule extends FaultHandle {
  spec: FaultSpec;
  hits: number;
  remaining: number;
}

export class FaultSwitches {
  private rules: Rule[] = [];
  private invalidGrants = 0;

  add(spec: FaultSpec): FaultHandle {
    const rule: Rule = {
      spec,
      hits: 0,
      remaining: spec.times ?? Number.POSITIVE_INFINITY,
      remove: () => {
        this.rules = this.rules.filter((r) => r !== rule);
      },
    };
    this.rules.push(rule);
    return rule;
  }

  /** 401 with Google's UNAUTHENTICATED body, as for a token Google no longer accepts. */
  unauthorized(scope: FaultScope = {}): FaultHandle {
    return this.add({ ...scope, status: 401 });
  }

  /** 429 RESOURCE_EXHAUSTED with `Retry-After` (seconds, default 1). */
  rateLimit(opts: FaultScope & { retryAfter?: number } = {}): FaultHandle {
    return this.add({ retryAfter: 1, ...opts, status: 429 });
  }

  /** 500 INTERNAL or 503 UNAVAILABLE (default 503). */
  serverError(opts: FaultScope & { status?: 500 | 502 | 503 | 504; retryAfter?: number } = {}): FaultHandle {
    return this.add({ ...opts, status: opts.status ?? 503 });
  }

  /** Delays matching requests by `delayMs` before answering normally. */
  slow(delayMs: number, scope: FaultScope = {}): FaultHandle {
    return this.add({ ...scope, delayMs });
  }

  /** The next `times` refresh_token grants fail with invalid_grant (the refresh token itself survives). */
  invalidGrant(times = 1): void {
    this.invalidGrants += times;
  }

  /** Consumes one pending invalid_grant, if any. */
  takeInvalidGrant(): boolean {
    if (this.invalidGrants <= 0) return false;
    this.invalidGrants--;
    return true;
  }

  list(): FaultHandle[] {
    return [...this.rules];
  }

  clear(): void {
    this.rules = [];
    this.invalidGrants = 0;
  }

  /** Rules that apply to this request, each charged one use. */
  take(method: string, path: string): FaultSpec[] {
    const hit: FaultSpec[] = [];
    for (const rule of [...this.rules]) {
      const { spec } = rule;
      if (spec.method && spec.method.toUpperCase() !== method) continue;
      if (spec.path && !path.startsWith(spec.path)) continue;
      rule.hits++;
      if (--rule.remaining <= 0) rule.remove();
      hit.push(spec);
    }
    return hit;
  }
}

export interface LoggedRequest {
  method: string;
  /** Decoded path relative to the fake's mount point, without the query. */
  path: string;
  query: Record<string, unknown>;
  /** Lower-cased headers without authorization or cookie. */
  headers: Record<string, string | string[] | undefined>;
  /** Parsed body with OAuth secrets masked. */
  body?: unknown;
  /** Response status once sent. */
  status?: number;
  at: number;
}

const SECRET_FIELDS = new Set([
  'client_secret',
  'code_verifier',
  'code',
  'refresh_token',
  'token',
  'access_token',
]);

export class RequestLog {
  readonly entries: LoggedRequest[] = [];
  /** Oldest entries are dropped past this, so a long demo session does not grow without bound. */
  maxEntries = 5000;

  clear(): void {
    this.entries.length = 0;
  }

  /** Entries whose path starts with `pathPrefix` (and whose method matches, if given). */
  matching(pathPrefix: string, method?: string): LoggedRequest[] {
    return this.entries.filter((e) => e.path.startsWith(pathPrefix) && (!method || e.method === method));
  }
}

export function relativePath(instance: FastifyInstance, url: string): string {
  const raw = url.split('?')[0];
  const rel = instance.prefix && raw.startsWith(instance.prefix) ? raw.slice(instance.prefix.length) : raw;
  try {
    return decodeURIComponent(rel) || '/';
  } catch {
    return rel || '/';
  }
}

function maskBody(body: unknown): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) out[k] = SECRET_FIELDS.has(k) ? '[redacted]' : v;
  return out;
}

const entryOf = new WeakMap<FastifyRequest, LoggedRequest>();

function faultBody(spec: FaultSpec, path: string): unknown {
  if (spec.body !== undefined) return spec.body;
  const family = familyOf(path);
  const status = spec.status ?? 500;
  if (status === 429) return rateLimitBody(family);
  if (status >= 500) return serverErrorBody(family, status);
  if (status === 401 && family === 'oauth')
    return { error: 'invalid_client', error_description: 'Unauthorized' };
  if (status === 401) return unauthenticatedBody(family);
  return family === 'sheets'
    ? rpcError(status, 'Fault injected.')
    : legacyError(status, 'Fault injected.', { reason: 'backendError' });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Installs logging and fault injection on the fake's encapsulated instance. */
export function installHooks(instance: FastifyInstance, faults: FaultSwitches, log: RequestLog): void {
  instance.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const path = relativePath(instance, request.url);
    const { authorization: _a, cookie: _c, ...headers } = request.headers;
    const entry: LoggedRequest = {
      method: request.method,
      path,
      query: { ...(request.query as Record<string, unknown>) },
      headers,
      at: Date.now(),
    };
    log.entries.push(entry);
    if (log.entries.length > log.maxEntries) log.entries.splice(0, log.entries.length - log.maxEntries);
    entryOf.set(request, entry);
    for (const spec of faults.take(request.method, path)) {
      if (spec.delayMs) await sleep(spec.delayMs);
      if (spec.status) {
        if (spec.retryAfter !== undefined) reply.header('retry-after', String(spec.retryAfter));
        if (spec.status === 401 && familyOf(path) !== 'oauth') {
          reply.header('www-authenticate', INVALID_TOKEN_CHALLENGE);
        }
        return reply.code(spec.status).send(faultBody(spec, path));
      }
    }
  });
  instance.addHook('preHandler', async (request: FastifyRequest) => {
    const entry = entryOf.get(request);
    if (entry && request.body !== undefined) entry.body = maskBody(request.body);
  });
  instance.addHook('onResponse', async (request: FastifyRequest, reply: FastifyReply) => {
    const entry = entryOf.get(request);
    if (entry) entry.status = reply.statusCode;
  });
}
