/**
 * One HTTP exchange with a shop, through the network policy's dispatcher, time-capped; transport
 * failures become the AppError an agent can act on. Tokens are sent in headers and never echoed.
 */
import { request } from 'undici';
import { AppError } from '../../errors.ts';
import { EgressError } from '../../security/egress.ts';
import type { ProviderContext } from '../types.ts';

export interface ShopResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON, or undefined for an empty or non-JSON body (a proxy's HTML page). */
  body: unknown;
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);
/** Larger answers than this are not something a tool call should carry. */
const MAX_BODY_BYTES = 20 * 1024 * 1024;

export async function shopRequest(
  ctx: ProviderContext,
  url: string,
  init: { method: 'POST'; headers: Record<string, string>; body: string },
): Promise<ShopResponse> {
  // The network policy is not optional: without its dispatcher undici would connect anywhere.
  if (!ctx.dispatcher)
    throw new AppError(
      'unavailable',
      'this server has no outbound network policy for Shopify requests; it is a server setup fault, not the credentials',
    );
  // undici's timers bound each wait; the deadline bounds the body as a whole, so a slow drip of
  // bytes cannot hold a live call (checked per chunk: a timer and signal per call cost more).
  const deadlineAt = Date.now() + ctx.timeoutMs;
  try {
    const res = await request(url, {
      ...init,
      dispatcher: ctx.dispatcher,
      signal: ctx.signal,
      headersTimeout: ctx.timeoutMs,
      bodyTimeout: ctx.timeoutMs,
    });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      if (Date.now() > deadlineAt) {
        res.body.destroy();
        throw new AppError('provider_timeout', `Shopify did not finish answering within ${ctx.timeoutMs} ms`);
      }
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        res.body.destroy();
        throw new AppError('provider_error', 'Shopify answered more than this server accepts', {
          extensions: { retryable: false },
        });
      }
      chunks.push(chunk);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
    }
    return { status: res.statusCode, headers: res.headers, body };
  } catch (e) {
    if (e instanceof AppError) throw e;
    const cause = (e as { cause?: unknown }).cause ?? e;
    if (cause instanceof EgressError || e instanceof EgressError) {
      throw new AppError(
        'provider_error',
        `the shop's address is refused by the network policy: ${(cause as Error).message}`,
        {
          extensions: { retryable: false },
        },
      );
    }
    if (TIMEOUT_CODES.has((e as { code?: string }).code ?? '')) {
      throw new AppError('provider_timeout', `Shopify did not answer within ${ctx.timeoutMs} ms`);
    }
    if (ctx.signal?.aborted) throw e;
    throw new AppError('provider_error', 'Shopify could not be reached', { extensions: { retryable: true } });
  }
}
