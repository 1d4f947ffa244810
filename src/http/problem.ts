/** Renders every failure as RFC 9457 problem+json; nothing else in the app formats an error. */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type FieldError, isAppError, titleOf } from '../errors.ts';

export const PROBLEM_BASE = 'https://flowyte.dev/problems/';

export function sendProblem(request: FastifyRequest, reply: FastifyReply, err: AppError): FastifyReply {
  const body: Record<string, unknown> = {
    type: PROBLEM_BASE + err.code.replace(/_/g, '-'),
    title: titleOf(err.code),
    status: err.status,
    detail: err.message,
    instance: request.url.split('?')[0],
    code: err.code,
  };
  if (err.extras.errors?.length) body.errors = err.extras.errors;
  // Clients may always read errors[] on a validation_error, even where no single field is to blame.
  else if (err.code === 'validation_error') body.errors = [{ field: 'request', message: err.message }];
  for (const [k, v] of Object.entries(err.extras.extensions ?? {})) if (!(k in body)) body[k] = v;
  body.requestId = request.id;
  if (err.extras.retryAfter !== undefined)
    reply.header('retry-after', String(Math.max(1, Math.ceil(err.extras.retryAfter))));
  return reply.status(err.status).type('application/problem+json; charset=utf-8').send(body);
}

/** `body/credentials/host` style validation paths → `credentials.host`. */
function fieldErrors(err: FastifyError): FieldError[] {
  const part = err.validationContext ?? 'body';
  return (err.validation ?? []).map((v) => {
    const path = v.instancePath.replace(/^\//, '').replace(/\//g, '.');
    let field = path;
    const params = v.params as Record<string, unknown>;
    if (v.keyword === 'required' && typeof params.missingProperty === 'string') {
      field = path ? `${path}.${params.missingProperty}` : params.missingProperty;
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
    return new AppError('validation_error', `the ${where} is not valid`, { errors: fieldErrors(e) });
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
    if (e.statusCode === 404) return new AppError('not_found', 'no such resource');
    if (e.statusCode === 405) return new AppError('method_not_allowed', 'method not allowed');
    if (e.statusCode === 413) return new AppError('payload_too_large', 'the request body is too large');
    if (e.statusCode === 415)
      return new AppError('unsupported_media_type', 'send the body as application/json');
    return new AppError('validation_error', 'the request is not valid');
  }
  return new AppError(
    'internal_error',
    'an unexpected error occurred; the request id identifies it in the logs',
  );
}
