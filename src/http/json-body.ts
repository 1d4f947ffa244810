/** The JSON body parser: any malformed, poisoned or absurdly nested body is a 400, never a 500. */
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.ts';
import { guardPoison } from '../security/json-poison.ts';

/** Deeper than any body this API takes; deeper ones would overflow the stack of recursive code downstream. */
export const MAX_JSON_DEPTH = 64;

/** The deepest nesting of arrays/objects in JSON text, found without parsing (brackets inside strings skipped). */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > max) max = depth;
    } else if (c === 125 /* } */ || c === 93 /* ] */) depth--;
  }
  return max;
}

const bodyError = (message: string): AppError =>
  new AppError('validation_error', message, { errors: [{ field: 'body', message }] });

export function registerJsonBodyParser(app: FastifyInstance): void {
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = body as string;
    if (text === '') return done(null, undefined);
    if (jsonDepth(text) > MAX_JSON_DEPTH) {
      return done(bodyError(`the body is nested deeper than ${MAX_JSON_DEPTH} levels`), undefined);
    }
    let parsed: unknown;
    try {
      // A leading byte-order mark is tolerated, as secure-json-parse (Fastify's default) does.
      parsed = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    } catch {
      return done(bodyError('the body is not valid JSON'), undefined);
    }
    // Refused rather than stripped: silently dropping a key the caller sent would lose their data.
    try {
      guardPoison(parsed, text, 'error');
    } catch {
      return done(bodyError('a key named "__proto__" or "constructor.prototype" is not accepted'), undefined);
    }
    done(null, parsed);
  });
}
