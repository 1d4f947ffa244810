/** Builds the Fastify app: logging, parsing, auth, limits, idempotency, errors, docs, routes. */
import { randomUUID } from 'node:crypto';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type onResponseHookHandler } from 'fastify';
import type { Logger } from 'pino';
import { Operators } from '../core/access/index.ts';
import { AppError } from '../errors.ts';
import type { Services } from '../services.ts';
import { registerAuth } from './auth.ts';
import { registerDashboard } from './dashboard-static.ts';
import { clientErrorHandler, frameworkErrors } from './framework-errors.ts';
import { registerHostGuard } from './host-guard.ts';
import { registerIdempotency } from './idempotency.ts';
import { registerJsonBodyParser } from './json-body.ts';
import { registerOAuthSessionBinding } from './oauth-session-binding.ts';
import { openapiOptions } from './openapi.ts';
import { sendProblem, toAppError } from './problem.ts';
import { registerRateLimit } from './rate-limit.ts';
import { RequestLog } from './request-log.ts';
import { appendRouteHook } from './route-hooks.ts';
import { agentRoutes } from './routes/agents.ts';
import { bindingRoutes } from './routes/bindings.ts';
import { canonicalRoutes } from './routes/canonical.ts';
import { discoveryRoutes } from './routes/discovery.ts';
import { errorPageRoutes } from './routes/error-pages.ts';
import { googleSheetsRoutes } from './routes/google-sheets.ts';
import { healthRoutes } from './routes/health.ts';
import { integrationRoutes } from './routes/integrations.ts';
import { keyRoutes } from './routes/keys.ts';
import { mcpRoutes } from './routes/mcp.ts';
import { metricsRoutes } from './routes/metrics.ts';
import { oauthRoutes } from './routes/oauth.ts';
import { packRoutes } from './routes/packs.ts';
import { reservedRoutes } from './routes/reserved.ts';
import { runtimeRoutes } from './routes/runtime.ts';
import { scopingRoutes } from './routes/scoping.ts';
import { sessionRoutes } from './routes/session.ts';
import { versionRoutes } from './routes/versions.ts';
import { SessionAuth } from './session-auth.ts';
import { lazySerializers, validatorCompiler } from './validation.ts';

export interface AppOptions {
  logger: Logger;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export async function buildApp(services: Services, opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: opts.logger as unknown as FastifyBaseLogger,
    bodyLimit: services.config.bodyLimitBytes,
    // A client that trickles its headers is cut once headersTimeoutMs is up: Node checks at
    // connectionsCheckingInterval (30 s by default, which let a slow client hold on for ~80 s).
    http: {
      headersTimeout: services.config.headersTimeoutMs,
      connectionsCheckingInterval: Math.max(
        50,
        Math.min(1_000, Math.floor(services.config.headersTimeoutMs / 4)),
      ),
    },
    trustProxy: false,
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    ajv: { customOptions: { allErrors: true } },
    schemaController: { compilersFactory: { buildSerializer: lazySerializers() } },
    routerOptions: { maxParamLength: 256 },
    frameworkErrors,
    clientErrorHandler,
    logController: new RequestLog(),
  });
  app.setValidatorCompiler(validatorCompiler);
  app.decorate('problemBase', `${services.config.publicUrl}/errors/`);

  registerJsonBodyParser(app);
  // A mutating request sent without a body means "no options": validate it as an empty object, so
  // optional bodies need no special casing and required fields are reported by name.
  // (Callback hooks here and below: they run on every request, and an async hook costs a promise.)
  app.addHook('preValidation', (request, _reply, done) => {
    if (request.body === undefined && request.method !== 'GET' && request.method !== 'HEAD')
      request.body = {};
    done();
  });

  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  // Labelled by the route's pattern, never the path as sent (ids in a path would make a series per
  // agent). Each route gets its own hook knowing its pattern: request.routeOptions builds and
  // freezes an object on every read. Requests no route matched are not timed.
  const { metrics } = services;
  app.addHook('onRoute', (route) => {
    const url = route.url;
    const timed: onResponseHookHandler = (request, reply, done) => {
      metrics.observeRequest(request.method, url, reply.statusCode, reply.elapsedTime / 1000);
      done();
    };
    appendRouteHook(route, 'onResponse', timed);
  });
  app.setErrorHandler((err, request, reply) => {
    const appErr = toAppError(err);
    if (appErr.status >= 500 && appErr.code === 'internal_error') {
      // Log the kind of failure, not the error object: driver errors can quote connection strings.
      request.log.error(
        { errName: (err as Error)?.name, errCode: (err as { code?: string })?.code },
        'unhandled error',
      );
    }
    return sendProblem(request, reply, appErr);
  });
  const dashboard = registerDashboard(app);
  app.setNotFoundHandler(
    (request, reply) =>
      dashboard.fallback(request, reply) ??
      sendProblem(
        request,
        reply,
        new AppError('not_found', 'there is no such route; the API reference at /docs lists every path'),
      ),
  );

  await app.register(swagger, openapiOptions(services.config, services.registry.list()));
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list' } });

  const sessions = new SessionAuth(
    new Operators(services.store),
    services.config.publicUrl.startsWith('https:'),
  );
  registerHostGuard(app, services.config.publicUrl, sessions);
  registerAuth(app, services.apiKeys, sessions);
  registerOAuthSessionBinding(app, services.store, sessions);
  registerRateLimit(app, services.rateCounter);
  registerIdempotency(app, services.runOnce);

  await app.register(healthRoutes(services));
  await app.register(errorPageRoutes());
  await app.register(
    async (api) => {
      // Kinds are case-insensitive: `/integrations/Postgres/connect` is postgres's (registry kinds are lower case).
      api.addHook('preValidation', (request, _reply, done) => {
        const params = request.params as { kind?: unknown } | undefined;
        if (typeof params?.kind === 'string') params.kind = params.kind.toLowerCase();
        done();
      });
      await api.register(integrationRoutes(services));
      await api.register(oauthRoutes(services));
      await api.register(keyRoutes(services));
      await api.register(agentRoutes(services));
      await api.register(versionRoutes(services));
      await api.register(runtimeRoutes(services));
      await api.register(mcpRoutes(services));
      await api.register(packRoutes(services));
      await api.register(googleSheetsRoutes(services));
      await api.register(discoveryRoutes(services));
      await api.register(bindingRoutes(services));
      await api.register(canonicalRoutes());
      await api.register(reservedRoutes(services));
      await api.register(sessionRoutes(sessions));
      await api.register(scopingRoutes(services));
      await api.register(metricsRoutes(services));
    },
    { prefix: '/api/v1' },
  );
  // FLOWYTE_SANDBOX: the fakes of the providers' APIs, served beside the API (outside /api/v1, no key).
  // Imported only then: the fakes (and graphql-js) are not part of a production server.
  if (services.config.sandbox) {
    const { registerSandbox } = await import('../sandbox/index.ts');
    await registerSandbox(app, services);
  }
  app.get('/api/v1/openapi.json', { config: { public: true }, schema: { hide: true } }, async () =>
    app.swagger(),
  );
  return app;
}
