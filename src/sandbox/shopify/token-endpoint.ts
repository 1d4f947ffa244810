/**
 * `POST [/:shop]/admin/oauth/access_token` with the client-credentials grant (form-encoded or
 * JSON). Success is `{ access_token, scope, expires_in }` as in shopify.dev's "Using the client
 * credentials grant" (tokens last 24 h: expires_in 86399). Error bodies follow RFC 6749 §5.2, which
 * Shopify's OAuth endpoint uses (`{ error, error_description }`); the exact descriptions are ours.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { entryOf, type FaultState, failureBody, type LoggedShopifyRequest, sleep } from './faults.ts';
import type { ShopifyWorld, TokenRecord } from './world.ts';

export interface TokenEndpointDeps {
  world: ShopifyWorld;
  faults: FaultState;
  counters: { tokenGrants: number };
  log(entry: LoggedShopifyRequest): void;
  tokenTtlSeconds: number;
}

/** Admin API access tokens look like `shpat_` + 32 hex characters. */
export function newAccessToken(): string {
  return `shpat_${randomBytes(16).toString('hex')}`;
}

const oauthError = (reply: FastifyReply, status: number, error: string, description: string) =>
  reply.code(status).send({ error, error_description: description });

export function registerTokenEndpoint(app: FastifyInstance, deps: TokenEndpointDeps): void {
  const handler = async (req: FastifyRequest<{ Params: { shop?: string } }>, reply: FastifyReply) => {
    const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
    const field = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : undefined);
    const pathShop = req.params.shop?.toLowerCase();
    const app = deps.world.apps.get(field('client_id') ?? '');
    const entry: LoggedShopifyRequest = {
      kind: 'token',
      shop: pathShop ?? app?.shop ?? null,
      path: req.url.split('?')[0],
      operationName: null,
      query: null,
      variables: null,
      tokenTail: null,
      at: Date.now(),
    };
    deps.log(entry);
    entryOf.set(req, entry);
    if (deps.faults.latencyMs > 0) await sleep(deps.faults.latencyMs);
    const failure = deps.faults.takeGrantFailure();
    if (failure) {
      if (failure === 429) reply.header('retry-after', String(deps.faults.retryAfterSeconds));
      return reply.code(failure).send(failureBody(failure));
    }
    if (pathShop && !deps.world.shops.has(pathShop)) return reply.code(404).send({ errors: 'Not Found' });

    const grantType = field('grant_type');
    if (!grantType || !field('client_id') || !field('client_secret')) {
      return oauthError(
        reply,
        400,
        'invalid_request',
        'grant_type, client_id and client_secret are required',
      );
    }
    if (grantType !== 'client_credentials') {
      return oauthError(
        reply,
        400,
        'unsupported_grant_type',
        `The grant type "${grantType}" is not supported`,
      );
    }
    if (!app || app.clientSecret !== field('client_secret')) {
      return oauthError(
        reply,
        401,
        'invalid_client',
        'Client authentication failed: unknown client or wrong secret',
      );
    }
    if (pathShop && app.shop !== pathShop) {
      return oauthError(reply, 400, 'shop_not_permitted', 'The app is not installed on this shop');
    }
    const record: TokenRecord = {
      token: newAccessToken(),
      shop: app.shop,
      scopes: [...app.scopes],
      expiresAt: Date.now() + deps.tokenTtlSeconds * 1000,
      revoked: false,
      granted: true,
    };
    deps.world.tokens.set(record.token, record);
    deps.counters.tokenGrants++;
    return reply.send({
      access_token: record.token,
      scope: record.scopes.join(','),
      expires_in: deps.tokenTtlSeconds,
    });
  };
  app.post('/:shop/admin/oauth/access_token', handler);
  app.post('/admin/oauth/access_token', handler);
}
