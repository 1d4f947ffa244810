/** Renders every failure as RFC 9457 problem+json; nothing else in the app formats an error. */

import type { ErrorObject } from 'ajv';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { readableErrors } from '../core/shared/index.ts';
import { AppError, asSentence, type FieldError, isAppError, titleOf } from '../errors.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Where this server serves its error pages: `<public URL>/errors/`, each problem's `type` prefix. */
    problemBase: string;
  }
}

/** The `type` of a problem: this server's page for its code (`/errors/<code>`), or about:blank. */
export const problemType = (base: string | undefined, code: string) =>
  base ? `${base}${code}` : 'about:blank';

export function sendProblem(request: FastifyRequest, reply: FastifyReply, err: AppError): FastifyReply {
  const body: Record<string, unknown> = {
    type: problemType(request.server.problemBase, err.code),
    title: titleOf(err.code),
    status: err.status,
    detail: asSentence(err.message),
    instance: request.url.split('?')[0],
    code: err.code,
  };
  if (err.extras.errors?.length) body.errors = err.extras.errors;
  // Clients may always read errors[] on a validation_error, even where no single field is to blame.
  else if (err.code === 'validation_error') body.errors = [{ field: 'request', message: err.message }];
  // Every problem carries errors[] (Flowyte's shape), empty where no field is to blame.
  else body.errors = [];
  for (const [k, v] of Object.entries(err.extras.extensions ?? {})) if (!(k in body)) body[k] = v;
  body.requestId = request.id;
  if (err.extras.retryAfter !== undefined)
    reply.header('retry-after', String(Math.max(1, Math.ceil(err.extras.retryAfter))));
  return reply.status(err.status).type('application/problem+json; charset=utf-8').send(body);
}

/** `body/credentials/host` style validation paths → `credentials.host`. */
function fieldErrors(err: FastifyError): FieldError[] {
  const part = err.validationContext ?? 'body';
  return readableErrors((err.validation ?? []) as ErrorObject[]).map((v) => {
    const path = v.instancePath.replace(/^\//, '').replace(/\//g, '.');
    let field = path;
    const params = v.params as Record<string, unknown>;
    if (v.keyword === 'required' && typeof params.missingProperty === 'string') {
      field = path ? `${path}.${params.missingProperty}` : params.missingProperty;
      return { field, message: 'is required' };
    }
    if (v.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
      field = path ? `${path}.${params.additionalProperty}` : params.additionalProperty;
      return { field: field || part, message: 'is not an allowed field' };
    }
    return { field: field || part, message: v.message ?? 'is invalid' };
  });
}

/** Maps framework errors (validation, parsing, limits) onto our codes; anything unknown is a 500 without details. */
export function toAppError(err: unknown): AppError {
  if (isAppError(err)) return err;
  const e = err as FastifyError;
  if (e?.validation) {
    const where = e.validationContext === 'querystring' ? 'query' : (e.validationContext ?? 'request');
    const errors = fieldErrors(e);
    // The first problem in the detail too, so a client that prints only `detail` still learns what to fix.
    const first = errors[0] ? `: ${errors[0].field} ${errors[0].message}` : '';
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more in errors[])` : '';
    return new AppError('validation_error', `the ${where} is not valid${first}${more}`, { errors });
  }
  switch (e?.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('payload_too_large', 'the request body is larger than the server accepts');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('unsupported_media_type', 'send the body as application/json');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('validation_error', 'the body is empty; send a JSON object');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AppError('validation_error', 'the body is not valid JSON');
  }
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    if (e.statusCode === 404) return new AppError('not_found', 'there is no such resource; check the path');
    if (e.statusCode === 405)
      return new AppError(
        'method_not_allowed',
        'this method is not allowed on this path; the API reference at /docs lists the methods of each path',
      );
    if (e.statusCode === 406) return new AppError('not_acceptable', 'the requested media type is not served');
    if (e.statusCode === 413) return new AppError('payload_too_large', 'the request body is too large');
    if (e.statusCode === 415)
      return new AppError('unsupported_media_type', 'send the body as application/json');
    return new AppError(
      'validation_error',
      'the request is not valid; compare it with the operation in the API reference at /docs',
    );
  }
  return new AppError(
    'internal_error',
    'an unexpected error occurred; the request id identifies it in the logs',
  );
}
