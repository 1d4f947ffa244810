/** /integrations: catalog, connections, SQL helpers. Each handler: parse, call core, wrap. */
import { Type } from '@sinclair/typebox';
import type { Services } from '../../services.ts';
import { orgOf } from '../auth.ts';
import { ok, page } from '../envelope.ts';
import { PageQuery, pageList } from '../pagination.ts';
import { Envelope, KindParams, Nullable, PageEnvelope, problemResponses } from '../schemas.ts';
import type { TypedApp } from '../typed-app.ts';

const CatalogEntry = Type.Object({
  kind: Type.String(),
  name: Type.String(),
  category: Type.String(),
  blurb: Type.String(),
  logo: Type.String(),
  authType: Type.Union([Type.Literal('oauth2'), Type.Literal('api_key'), Type.Literal('credentials')]),
  actionCount: Type.Integer(),
  hasPack: Type.Boolean(),
  connected: Type.Boolean(),
  connectionStatus: Nullable(Type.String()),
});

const Connection = Type.Object({
  kind: Type.String(),
  status: Type.String(),
  accountLabel: Nullable(Type.String()),
  /** What the grant allows, where the provider says (OAuth scopes, Shopify access scopes). */
  grantedScopes: Nullable(Type.Array(Type.String())),
  connectedAt: Type.String(),
  lastDiscoveredAt: Nullable(Type.String()),
});

const ConnectBody = Type.Object(
  { credentials: Type.Optional(Type.Object({}, { additionalProperties: true })) },
  { additionalProperties: false },
);

/** `sql/test` takes what connect takes, `{ credentials: {…} }`, or the credentials bare. */
const SqlTestBody = Type.Object(
  { credentials: Type.Optional(Type.Object({}, { additionalProperties: true })) },
  { additionalProperties: true },
);

const SqlCheck = Type.Object({
  name: Type.String(),
  ok: Type.Boolean(),
  detail: Type.String(),
  ms: Type.Number(),
});

const Action = Type.Object({
  slug: Type.String(),
  name: Type.String(),
  description: Type.String(),
  important: Type.Boolean(),
  isWrite: Type.Boolean(),
  parameters: Type.Object({}, { additionalProperties: true }),
  config: Type.Array(
    Type.Object({ key: Type.String(), label: Type.String(), type: Type.String(), required: Type.Boolean() }),
  ),
});

const tags = ['integrations'];

export const integrationRoutes = (s: Services) => async (app: TypedApp) => {
  app.get(
    '/integrations/catalog',
    {
      config: { scope: 'integrations:read' },
      schema: {
        tags,
        summary: 'Every provider that can be connected today',
        querystring: Type.Object(PageQuery),
        response: { 200: PageEnvelope(CatalogEntry), ...problemResponses },
      },
    },
    async (req) => {
      const { items, nextCursor } = pageList(
        await s.integrations.catalog(orgOf(req)),
        req.query,
        (p) => p.kind,
      );
      return page(items, nextCursor);
    },
  );

  app.get(
    '/integrations',
    {
      config: { scope: 'integrations:read' },
      schema: {
        tags,
        summary: "The organization's connections (status only)",
        querystring: Type.Object(PageQuery),
        response: { 200: PageEnvelope(Connection), ...problemResponses },
      },
    },
    async (req) => {
      const { items, nextCursor } = pageList(await s.integrations.list(orgOf(req)), req.query, (c) => c.kind);
      return page(items, nextCursor);
    },
  );

  app.post(
    '/integrations/:kind/connect',
    {
      config: { scope: 'integrations:write' },
      schema: {
        tags,
        summary: 'Connect a provider (credentials verified live, or an OAuth URL)',
        params: KindParams,
        body: ConnectBody,
        response: {
          200: Envelope(
            Type.Object({
              status: Type.Optional(Type.Literal('connected')),
              accountLabel: Type.Optional(Type.String()),
              oauthUrl: Type.Optional(Type.String()),
            }),
          ),
          ...problemResponses,
        },
      },
    },
    async (req) => ok(await s.integrations.connect(orgOf(req), req.params.kind, req.body?.credentials)),
  );

  app.delete(
    '/integrations/:kind',
    {
      config: { scope: 'integrations:write' },
      schema: {
        tags,
        summary: 'Disconnect: revoke, delete credentials and schema, disable draft skills that use it',
        params: KindParams,
        response: {
          200: Envelope(Type.Object({ disconnected: Type.Literal(true), disabledSkills: Type.Integer() })),
          ...problemResponses,
        },
      },
    },
    async (req) => {
      const { disconnected, disabledSkills, revocation } = await s.integrations.disconnect(
        orgOf(req),
        req.params.kind,
      );
      // Revocation is best effort: its outcome goes to the log (never a token), not to the caller.
      if (revocation)
        req.log[revocation.outcome === 'failed' ? 'warn' : 'info'](
          { kind: req.params.kind, revocation },
          'token revocation at the provider',
        );
      return ok({ disconnected, disabledSkills });
    },
  );

  app.get(
    '/integrations/:kind/actions',
    {
      config: { scope: 'integrations:read' },
      schema: {
        tags,
        summary: "A provider's pre-built actions",
        params: KindParams,
        querystring: Type.Object(PageQuery),
        response: { 200: PageEnvelope(Action), ...problemResponses },
      },
    },
    async (req) => {
      const actions = s.integrations.provider(req.params.kind).actions;
      const { items, nextCursor } = pageList(actions, req.query, (a) => a.slug);
      return page(items, nextCursor);
    },
  );

  app.post(
    '/integrations/:kind/sql/test',
    {
      config: { scope: 'integrations:write' },
      schema: {
        tags,
        summary: 'Ordered connection checks for SQL credentials; stores nothing, always 200',
        description: 'The body is the connect credentials, bare or as `{ credentials }`.',
        params: KindParams,
        body: SqlTestBody,
        response: {
          200: Envelope(Type.Object({ ok: Type.Boolean(), checks: Type.Array(SqlCheck) })),
          ...problemResponses,
        },
      },
    },
    async (req) => {
      const body = req.body;
      const creds = typeof body.credentials === 'object' ? body.credentials : body;
      return ok(await s.integrations.sqlTest(req.params.kind, creds));
    },
  );

  app.get(
    '/integrations/:kind/sql/scripts',
    {
      config: { scope: 'integrations:read' },
      schema: {
        tags,
        summary:
          'Least-privilege SQL for a read-only role, and a write script for named tables; a password is generated (and returned once) unless given',
        params: KindParams,
        querystring: Type.Object({
          database: Type.String({ minLength: 1, maxLength: 128 }),
          tables: Type.Optional(
            Type.String({
              maxLength: 4096,
              description: 'Tables the write script may change, comma-separated',
            }),
          ),
          password: Type.Optional(
            Type.String({
              minLength: 8,
              maxLength: 128,
              pattern: "^[^'\\\\\\u0000-\\u001f\\u007f]+$",
              description:
                "The role's password (no quote, backslash or control character); omitted: one is generated",
            }),
          ),
        }),
        response: {
          200: Envelope(
            Type.Object({
              role: Type.String(),
              readOnly: Type.Object({ role: Type.String(), sql: Type.String() }),
              write: Nullable(
                Type.Object({ role: Type.String(), tables: Type.Array(Type.String()), sql: Type.String() }),
              ),
              generatedPassword: Type.Optional(
                Type.String({ description: 'Only when the server made the password: shown this once' }),
              ),
            }),
          ),
          ...problemResponses,
        },
      },
    },
    async (req, reply) => {
      const tables = (req.query.tables ?? '')
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean);
      // The answer holds a freshly generated password: keep it out of caches.
      reply.header('cache-control', 'no-store');
      return ok(s.integrations.sqlScripts(req.params.kind, req.query.database, tables, req.query.password));
    },
  );
};
