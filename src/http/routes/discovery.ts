/** Discovery, the normalized schema, searchable objects and operations, and scoping. */
import { Type } from '@sinclair/typebox';
import { pageInMemory } from '../../core/shared/index.ts';
import type { Services } from '../../services.ts';
import { orgOf } from '../auth.ts';
import { ok, page } from '../envelope.ts';
import { PageQuery, pageRequest } from '../pagination.ts';
import { Envelope, KindParams, PageEnvelope, problemResponses } from '../schemas.ts';
import type { TypedApp } from '../typed-app.ts';
import { ScopingAnswer } from './scoping.ts';

const tags = ['discovery'];
const Json = Type.Object({}, { additionalProperties: true });

const Summary = Type.Object({
  objectCount: Type.Integer(),
  fieldCount: Type.Integer(),
  edgeCount: Type.Integer(),
  operationCount: Type.Integer(),
  durationMs: Type.Number(),
  discoveredAt: Type.String(),
  changes: Type.Union([Json, Type.Null()]),
});

const ObjectSummary = Type.Object({
  name: Type.String(),
  label: Type.String(),
  kind: Type.String(),
  capabilities: Type.Array(Type.String()),
  primaryKey: Type.Array(Type.String()),
  fieldCount: Type.Integer(),
  relationshipCount: Type.Integer(),
  operationCount: Type.Integer(),
});

const Scoping = Type.Object(
  {
    blockedObjects: Type.Array(Type.String({ minLength: 1, maxLength: 300 }), { maxItems: 5000 }),
    blockedFields: Type.Array(Type.String({ minLength: 3, maxLength: 600 }), { maxItems: 20000 }),
  },
  { additionalProperties: false },
);

const SearchQuery = Type.Object({ ...PageQuery, q: Type.Optional(Type.String({ maxLength: 200 })) });

export const discoveryRoutes = (s: Services) => async (app: TypedApp) => {
  app.post(
    '/integrations/:kind/discover',
    {
      config: { scope: 'integrations:write' },
      schema: {
        tags,
        summary: 'Introspect the connected provider; re-running refreshes and reports what changed',
        params: KindParams,
        response: { 200: Envelope(Summary), ...problemResponses },
      },
    },
    async (req) => ok(await s.discovery.discover(orgOf(req), req.params.kind)),
  );

  app.get(
    '/integrations/:kind/schema',
    {
      config: { scope: 'integrations:read' },
      schema: {
        tags,
        summary: 'The whole normalized schema (scoping applied); 404 not_discovered before discovery',
        params: KindParams,
        response: {
          200: Envelope(
            Type.Object({
              objects: Type.Array(Json),
              relationships: Type.Array(Json),
              operations: Type.Array(Json),
            }),
          ),
          ...problemResponses,
        },
      },
    },
    async (req) => ok((await s.discovery.scopedSchema(orgOf(req), req.params.kind)).schema),
  );

  app.get(
    '/integrations/:kind/objects',
    {
      config: { scope: 'integrations:read' },
      schema: {
        tags,
        summary: 'Objects with capabilities and counts; searchable with ?q=',
        params: KindParams,
        querystring: SearchQuery,
        response: { 200: PageEnvelope(ObjectSummary), ...problemResponses },
      },
    },
    async (req) => {
      const all = await s.discovery.objects(orgOf(req), req.params.kind, req.query.q);
      const { items, nextCursor } = pageInMemory(all, pageRequest(req.query), (o) => o.name);
      return page(items, nextCursor);
    },
  );

  app.get(
    '/integrations/:kind/operations',
    {
      config: { scope: 'integrations:read' },
      schema: {
        tags,
        summary: 'Operations; searchable with ?q= and filtered by ?object=',
        params: KindParams,
        querystring: Type.Object({
          ...SearchQuery.properties,
          object: Type.Optional(Type.String({ maxLength: 300 })),
        }),
        response: { 200: PageEnvelope(Json), ...problemResponses },
      },
    },
    async (req) => {
      const all = await s.discovery.operations(orgOf(req), req.params.kind, req.query.q, req.query.object);
      const { items, nextCursor } = pageInMemory(all, pageRequest(req.query), (o) => o.name);
      return page(items, nextCursor);
    },
  );

  app.patch(
    '/integrations/:kind/scoping',
    {
      config: { scope: 'integrations:write' },
      schema: {
        tags,
        summary:
          'Hide objects and fields ("object.field") from every schema route and from binding; empty lists clear',
        params: KindParams,
        description:
          'Bound skills that use a newly blocked object or field are listed in `affectedSkills` and marked `needsReview`: left out of the tools and refused at invoke (409 skill_needs_review) until their binding is saved again or they are removed. Lifting the block clears the mark.',
        body: Scoping,
        response: { 200: Envelope(ScopingAnswer), ...problemResponses },
      },
    },
    async (req) => ok(await s.skillReview.setScoping(orgOf(req), req.params.kind, req.body)),
  );
};
