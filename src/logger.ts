/** Structured JSON logs. Requests are logged by method, path and status — never headers or bodies. */
import pino, { type DestinationStream, type Logger } from 'pino';

/** Paths redacted wherever they show up, as a second line of defence behind "never log secrets". */
const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  '*.password',
  '*.access_token',
  '*.refresh_token',
  '*.client_secret',
  '*.credentials',
  '*.secret',
  '*.headers.authorization',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT, censor: '[redacted]' },
      base: { service: 'flowyte' },
      timestamp: pino.stdTimeFunctions.isoTime,
      serializers: {
        // The path only: a query string can carry user data.
        req: (req: { method: string; url: string; id: string }) => ({ method: req.method, path: req.url.split('?')[0], id: req.id }),
      },
    },
    destination,
  );
}
