/**
 * Failures Fastify or Node's HTTP parser answer before our error handler runs (a malformed URL, an
 * over-long path parameter, a broken request line): rendered as problem+json like everything else.
 */
import type { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, asSentence, titleOf } from '../errors.ts';
import { sendProblem, toAppError } from './problem.ts';

export function frameworkErrors(
  err: Error & { code?: string },
  request: FastifyRequest,
  reply: FastifyReply,
) {
  if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    return sendProblem(request, reply, new AppError('validation_error', 'a path segment is too long'));
  }
  if (err.code === 'FST_ERR_BAD_URL') {
    return sendProblem(request, reply, new AppError('validation_error', 'the URL is not validly encoded'));
  }
  return sendProblem(request, reply, toAppError(err));
}

/** Node's `clientError`: there is no request object, so the problem is written to the socket directly. */
export function clientErrorHandler(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, reason, detail] =
    err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'Request Timeout', 'the request took too long to arrive']
      : err.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'Request Header Fields Too Large', 'the request headers are too large']
        : [400, 'Bad Request', 'the request is not valid HTTP'];
  const code = status === 400 ? 'validation_error' : status === 408 ? 'request_timeout' : 'headers_too_large';
  const body = JSON.stringify({
    // No request, so no server to name: the generic type (RFC 9457 §4.2.1).
    type: 'about:blank',
    title: titleOf(code),
    status,
    detail: asSentence(detail),
    instance: '',
    code,
    errors: [],
  });
  // Like Node's own handler: answer only if no response is in flight on this socket, else the peer
  // would read two answers to one request (e.g. a body arriving after we already refused the URL).
  const inFlight = (socket as Socket & { _httpMessage?: { _headerSent?: boolean } | null })._httpMessage;
  if (socket.writable && !inFlight?._headerSent) {
    socket.write(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/problem+json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}
