/**
 * /keys: an organization manages its own API keys with a `keys:write` key, within its own scopes:
 * it mints keys with a subset of them, and revokes only keys whose scopes it holds.
 */
import { Type } from '@sinclair/typebox';
import { encodeCursor } from '../../core/shared/index.ts';
import { AppError } from '../../errors.ts';
import { parseDuration, SCOPES, type Scope } from '../../security/api-keys.ts';
import type { Services } from '../../services.ts';
import { holds, orgOf } from '../auth.ts';
import { ok, page } from '../envelope.ts';
import { PageQuery, pageRequest } from '../pagination.ts';
import { Envelope, Nullable, PageEnvelope, problemResponses } from '../schemas.ts';
import type { TypedApp } from '../typed-app.ts';

const KeyView = Type.Object({
  keyId: Type.String(),
  orgId: Type.String(),
  prefix: Type.String(),
  last4: Type.String(),
  scopes: Type.Array(Type.String()),
  label: Nullable(Type.String()),
  createdAt: Type.String(),
  expiresAt: Nullable(Type.String()),
  revokedAt: Nullable(Type.String()),
  lastUsedAt: Nullable(Type.String()),
});

const CreateKeyBody = Type.Object(
  {
    scopes: Type.Array(Type.Union(SCOPES.map((s) => Type.Literal(s))), {
      minItems: 1,
      maxItems: SCOPES.length,
    }),
    expiresIn: Type.Optional(Type.String({ pattern: '^\\d{1,6}[mhd]$', description: 'e.g. 30d, 12h, 90m' })),
    label: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

const tags = ['keys'];

export const keyRoutes = (s: Services) => async (app: TypedApp) => {
  app.get(
    '/keys',
    {
      config: { scope: 'keys:write' },
      schema: {
        tags,
        summary: "The organization's API keys, oldest first (never the keys themselves)",
        querystring: Type.Object(PageQuery),
        response: { 200: PageEnvelope(KeyView), ...problemResponses },
      },
    },
    async (req) => {
      const { limit, after } = pageRequest(req.query);
      const { items, last, more } = await s.apiKeys.page(orgOf(req), after, limit);
      return page(items, more && last ? encodeCursor(last) : null);
    },
  );

  app.post(
    '/keys',
    {
      config: { scope: 'keys:write' },
      schema: {
        tags,
        summary: 'Mint a key for this organization; the key is shown once',
        body: CreateKeyBody,
        response: {
          201: Envelope(
            Type.Object({ key: Type.String(), keyId: Type.String(), orgId: Type.String(), view: KeyView }),
          ),
          ...problemResponses,
        },
      },
    },
    async (req, reply) => {
      // A key grants only what its holder holds (SPEC §1): keys:write is not a way to more scopes.
      const held = req.principal!.scopes;
      const beyond = req.body.scopes.filter((scope) => !holds(held, scope));
      if (beyond.length) {
        throw new AppError(
          'insufficient_scope',
          `a new key may hold only scopes you hold; you lack ${beyond.join(', ')}`,
          {
            extensions: { scopes: beyond },
          },
        );
      }
      const expires = req.body.expiresIn ? parseDuration(req.body.expiresIn) : null;
      if (req.body.expiresIn && !expires)
        throw new AppError('validation_error', 'expiresIn must look like 30d, 12h or 90m');
      const created = await s.apiKeys.createForOrg(
        orgOf(req),
        req.body.scopes,
        expires,
        req.body.label ?? null,
      );
      reply.header('cache-control', 'no-store');
      return reply.code(201).send(ok(created));
    },
  );

  app.delete(
    '/keys/:keyId',
    {
      config: { scope: 'keys:write' },
      schema: {
        tags,
        summary: 'Revoke a key',
        params: Type.Object({ keyId: Type.String({ maxLength: 64 }) }),
        response: { 200: Envelope(KeyView), ...problemResponses },
      },
    },
    async (req) => {
      const held = req.principal!.scopes;
      const within = (scope: string) => holds(held, scope as Scope);
      return ok(await s.apiKeys.revokeWithin(req.params.keyId, orgOf(req), within));
    },
  );
};
