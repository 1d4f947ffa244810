/** Structured JSON logs. Requests are logged by method, path and status — never headers or bodies. */
import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Keys whose values are replaced wherever they appear in a log object (up to four levels deep), as a
 * second line of defence behind "never log secrets".
 */
const SECRET_KEYS = new Set([
  'authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'password',
  'access_token',
  'refresh_token',
  'client_secret',
  'credentials',
  'secret',
  'api_key',
  'apikey',
  // Dashboard sessions: the cookie value and the CSRF token derived from it.
  'csrftoken',
  'x-csrf-token',
  'sessiontoken',
]);
const CENSOR = '[redacted]';
const MAX_DEPTH = 4;

const isPlain = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' &&
  v !== null &&
  (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);

/**
 * A copy of `obj` with secret-named members censored, or `obj` itself when it holds none (the common
 * case allocates nothing). pino's path-based redaction cost about 12 µs per line, a quarter of a
 * cheap request; this scan costs well under one.
 */
export function redactSecrets<T>(obj: T, depth = 0): T {
  if (depth >= MAX_DEPTH || (!isPlain(obj) && !Array.isArray(obj))) return obj;
  let out: any = null;
  const entries = Array.isArray(obj) ? obj.entries() : Object.entries(obj as object);
  for (const [k, v] of entries) {
    const next =
      typeof k === 'string' && SECRET_KEYS.has(k.toLowerCase()) ? CENSOR : redactSecrets(v, depth + 1);
    if (next !== v) {
      out ??= Array.isArray(obj) ? [...obj] : { ...(obj as object) };
      out[k] = next;
    }
  }
  return out ?? obj;
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'flowyte' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { log: (obj) => redactSecrets(obj) },
      serializers: {
        // The path only: a query string can carry user data.
        req: (req: { method: string; url: string; id: string }) => ({
          method: req.method,
          path: req.url.split('?')[0],
          id: req.id,
        }),
      },
    },
    // Buffered, asynchronous writes to stdout, flushed at least every 200 ms so a line still shows at
    // once to a person watching: a write per line costs a fifth of a cheap request. pino flushes on exit.
    destination ?? pino.destination({ dest: 1, sync: false, minLength: 8192, periodicFlush: 200 }),
  );
}
