/**
 * `POST [/:shop]/admin/api/:version/graphql.json`: authentication by `X-Shopify-Access-Token`, then
 * parse, validate, cost and throttle, execute over the real schema. Answers carry
 * `extensions.cost` like Shopify's. Shapes checked against shopify.dev and Shopify community
 * threads: 401 `{"errors":"[API] Invalid API key or access token (unrecognized login or wrong
 * password)"}`, THROTTLED `{ errors: [{ message: "Throttled", extensions: { code, documentation } }] }`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type DocumentNode, execute, GraphQLError, getOperationAST, parse, validate } from 'graphql';
import { actualCost, requestedCost } from './cost.ts';
import {
  entryOf,
  type FaultState,
  failureBody,
  type LoggedShopifyRequest,
  sleep,
  tokenTail,
} from './faults.ts';
import { mutationRoot } from './mutations.ts';
import { queryRoot } from './query-root.ts';
import { type ExecutionContext, fieldResolver, typeResolver } from './resolvers.ts';
import { adminSchema } from './schema.ts';
import { BUCKET_MAXIMUM, BUCKET_RESTORE_RATE, type ShopifyWorld, type ShopState } from './world.ts';

export const INVALID_TOKEN_BODY = {
  errors: '[API] Invalid API key or access token (unrecognized login or wrong password)',
};
export const NOT_FOUND_BODY = { errors: 'Not Found' };
export const RATE_LIMITS_DOC = 'https://shopify.dev/api/usage/rate-limits';
/** Shopify refuses a single query whose requested cost is above 1000 points. */
export const SINGLE_QUERY_MAX_COST = 1000;

export interface GraphqlEndpointDeps {
  world: ShopifyWorld;
  faults: FaultState;
  counters: { graphql: number };
  apiVersions: readonly string[];
  log(entry: LoggedShopifyRequest): void;
}

interface GraphqlBody {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

type Params = { shop?: string; version: string };

function costExtension(requested: number, actual: number | null, available: number) {
  return {
    cost: {
      requestedQueryCost: requested,
      actualQueryCost: actual,
      throttleStatus: {
        maximumAvailable: BUCKET_MAXIMUM,
        currentlyAvailable: Math.max(0, Math.floor(available)),
        restoreRate: BUCKET_RESTORE_RATE,
      },
    },
  };
}

function readBody(body: unknown): GraphqlBody {
  if (typeof body === 'string') return { query: body }; // application/graphql
  return body && typeof body === 'object' && !Array.isArray(body) ? (body as GraphqlBody) : {};
}

const errorsOnly = (errors: readonly GraphQLError[]) => ({ errors: errors.map((e) => e.toJSON()) });

export function registerGraphqlEndpoint(app: FastifyInstance, deps: GraphqlEndpointDeps): void {
  const handler = async (req: FastifyRequest<{ Params: Params }>, reply: FastifyReply) => {
    const { world, faults } = deps;
    deps.counters.graphql++;
    const token = req.headers['x-shopify-access-token'];
    const tokenValue = typeof token === 'string' ? token : undefined;
    const pathShop = req.params.shop?.toLowerCase();
    const body = readBody(req.body);
    const entry: LoggedShopifyRequest = {
      kind: 'graphql',
      shop: pathShop ?? null,
      path: req.url.split('?')[0],
      operationName: typeof body.operationName === 'string' ? body.operationName : null,
      query: typeof body.query === 'string' ? body.query : null,
      variables:
        body.variables && typeof body.variables === 'object'
          ? (body.variables as Record<string, unknown>)
          : null,
      tokenTail: tokenTail(tokenValue),
      at: Date.now(),
    };
    deps.log(entry);
    entryOf.set(req, entry);
    if (faults.latencyMs > 0) await sleep(faults.latencyMs);

    if (pathShop !== undefined && !world.shops.has(pathShop)) return reply.code(404).send(NOT_FOUND_BODY);
    if (!deps.apiVersions.includes(req.params.version)) return reply.code(404).send(NOT_FOUND_BODY);
    const record = world.validToken(tokenValue);
    if (!record || (pathShop !== undefined && record.shop !== pathShop)) {
      return reply.code(401).send(INVALID_TOKEN_BODY);
    }
    const shop = world.shops.get(record.shop);
    if (!shop) return reply.code(401).send(INVALID_TOKEN_BODY);
    entry.shop = shop.domain;
    reply.header('x-shopify-api-version', req.params.version);

    const failure = faults.takeFailure();
    if (failure) {
      if (failure === 429) reply.header('retry-after', String(faults.retryAfterSeconds));
      return reply.code(failure).send(failureBody(failure));
    }
    if (typeof body.query !== 'string' || body.query.trim() === '') {
      return reply.code(400).send({ errors: { query: 'Required parameter missing or invalid' } });
    }
    const variables =
      body.variables === undefined || body.variables === null || typeof body.variables === 'object'
        ? ((body.variables ?? {}) as Record<string, unknown>)
        : undefined;
    if (!variables || Array.isArray(variables)) {
      return reply.code(400).send({ errors: { variables: 'Required parameter missing or invalid' } });
    }
    return reply.send(
      run(shop, new Set(record.scopes), body.query, variables, entry.operationName ?? undefined, faults),
    );
  };
  app.post('/:shop/admin/api/:version/graphql.json', handler);
  app.post('/admin/api/:version/graphql.json', handler);
}

/** Parses, validates, costs and executes one document for a shop; the JSON body to send (HTTP 200). */
export function run(
  shop: ShopState,
  scopes: ReadonlySet<string>,
  source: string,
  variables: Record<string, unknown>,
  operationName: string | undefined,
  faults: FaultState,
): Record<string, unknown> {
  const schema = adminSchema();
  let document: DocumentNode;
  try {
    document = parse(source, { maxTokens: 50_000 });
  } catch (err) {
    if (err instanceof GraphQLError) return errorsOnly([err]);
    throw err;
  }
  const invalid = validate(schema, document);
  if (invalid.length > 0) return errorsOnly(invalid);
  const operation = getOperationAST(document, operationName);
  if (!operation) {
    const message = operationName
      ? `No operation named "${operationName}"`
      : 'An operation name is required when the document holds several operations';
    return errorsOnly([new GraphQLError(message)]);
  }
  if (operation.operation === 'subscription') {
    return errorsOnly([new GraphQLError('Subscriptions are not supported over HTTP')]);
  }

  const requested = requestedCost(schema, document, operation, variables);
  const available = shop.available();
  if (requested > SINGLE_QUERY_MAX_COST) {
    return {
      errors: [
        {
          message: `Query cost is ${requested}, which exceeds the single query max cost limit (${SINGLE_QUERY_MAX_COST}).

See ${RATE_LIMITS_DOC} for more information, and use the cost of individual fields to reduce the cost of the query.`,
          extensions: {
            code: 'MAX_COST_EXCEEDED',
            cost: requested,
            maxCost: SINGLE_QUERY_MAX_COST,
            documentation: RATE_LIMITS_DOC,
          },
        },
      ],
      extensions: costExtension(requested, null, available),
    };
  }
  const forced = faults.takeThrottle();
  if (forced || requested > available) {
    return {
      data: null,
      errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: RATE_LIMITS_DOC } }],
      // A forced throttle reports an empty bucket, so a client waits requested/restoreRate seconds.
      extensions: costExtension(requested, null, forced ? 0 : available),
    };
  }

  const ctx: ExecutionContext = { shop, scopes, now: () => new Date() };
  const rootValue = operation.operation === 'mutation' ? mutationRoot(ctx) : queryRoot(ctx);
  const result = execute({
    schema,
    document,
    rootValue,
    contextValue: ctx,
    variableValues: variables,
    operationName,
    fieldResolver,
    typeResolver,
  });
  if (result instanceof Promise) throw new Error('resolvers are synchronous');
  const actual = actualCost(result.data, requested);
  shop.bucket.available -= actual;
  const out: Record<string, unknown> = {};
  if (result.errors?.length) out.errors = result.errors.map((e) => e.toJSON());
  out.data = result.data ?? null;
  out.extensions = costExtension(requested, actual, shop.bucket.available);
  return out;
}
