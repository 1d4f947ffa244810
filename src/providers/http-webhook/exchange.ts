/**
 * One HTTP exchange on undici's dispatch API, the answer's body gathered into a Buffer up to a cap.
 *
 * Why not `dispatcher.request()`: it wraps every answer in a Readable stream, read back through an
 * async iterator, and tracks its signal with listeners — on loopback that bookkeeping cost more
 * CPU than the exchange itself (a bare Fastify route forwarding with request() served about half
 * the calls per second of the same route on dispatch). A webhook answer is small and capped, so a
 * handler that appends chunks to an array is all that is needed.
 */
import type { Dispatcher } from 'undici';

export type ResponseHeaders = Record<string, string | string[] | undefined>;

export interface ExchangeAnswer {
  statusCode: number;
  headers: ResponseHeaders;
  bytes: Buffer;
  /** The body went past its cap: what is in `bytes` is its first `cap` bytes, the rest was dropped. */
  truncated: boolean;
}

export interface ExchangeLimits {
  /** The most body bytes kept; past it the connection is dropped and the answer marked truncated. */
  cap: (statusCode: number, headers: ResponseHeaders) => number;
  /** Refuses an answer from its head alone (a declared length over the cap): thrown by the exchange. */
  refuse?: (statusCode: number, headers: ResponseHeaders) => Error | undefined;
}

export interface Exchange {
  answer: Promise<ExchangeAnswer>;
  /** Gives up: the answer rejects with `reason` now, and the request is cut wherever it is. */
  abort(reason: Error): void;
}

type Controller = Dispatcher.DispatchController;

export function exchange(
  dispatcher: Dispatcher,
  request: Dispatcher.DispatchOptions,
  limits: ExchangeLimits,
): Exchange {
  let controller: Controller | null = null;
  let settled = false;
  let resolveAnswer: (a: ExchangeAnswer) => void = () => {};
  let rejectAnswer: (e: Error) => void = () => {};
  const answer = new Promise<ExchangeAnswer>((resolve, reject) => {
    resolveAnswer = resolve;
    rejectAnswer = reject;
  });
  const fail = (e: Error) => {
    if (settled) return;
    settled = true;
    rejectAnswer(e);
  };

  let statusCode = 0;
  let headers: ResponseHeaders = {};
  let cap = 0;
  let size = 0;
  let truncated = false;
  const chunks: Buffer[] = [];
  const done = () => {
    if (settled) return;
    settled = true;
    const bytes = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
    resolveAnswer({ statusCode, headers, bytes, truncated });
  };

  const handler: Dispatcher.DispatchHandler = {
    onRequestStart(c) {
      controller = c;
      // Given up while connecting: cut it as soon as there is something to cut.
      if (settled) c.abort(new Error('aborted'));
    },
    onResponseStart(c, code, head) {
      if (code < 200) return; // 1xx informational: the real answer follows
      statusCode = code;
      headers = head;
      const refusal = limits.refuse?.(code, head);
      if (refusal) {
        fail(refusal);
        c.abort(refusal);
        return;
      }
      cap = limits.cap(code, head);
    },
    onResponseData(c, chunk) {
      if (settled) return;
      size += chunk.length;
      if (size > cap) {
        chunks.push(chunk.subarray(0, chunk.length - (size - cap)));
        truncated = true;
        done();
        // Dropping the rest of a body means dropping its connection.
        c.abort(new Error('response body over its cap'));
        return;
      }
      chunks.push(chunk);
    },
    onResponseEnd() {
      done();
    },
    onResponseError(_c, error) {
      fail(error);
    },
  };

  try {
    dispatcher.dispatch(request, handler);
  } catch (e) {
    fail(e as Error);
  }
  return {
    answer,
    abort(reason) {
      fail(reason);
      controller?.abort(reason);
    },
  };
}
