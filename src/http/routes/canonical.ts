/** The canonical parameter registry (SPEC §7): names, types and model-facing descriptions. */
import { Type } from '@sinclair/typebox';
import { canonicalRegistry } from '../../core/bindings/index.ts';
import { page } from '../envelope.ts';
import { PageQuery, pageList } from '../pagination.ts';
import { Nullable, PageEnvelope, problemResponses } from '../schemas.ts';
import type { TypedApp } from '../typed-app.ts';

const CanonicalParameter = Type.Object({
  name: Type.String(),
  type: Type.String(),
  description: Type.String(),
  schema: Type.Object({}, { additionalProperties: true }),
  pii: Nullable(Type.String()),
  fits: Type.Array(Type.String()),
});

export const canonicalRoutes = () => async (app: TypedApp) => {
  // Static for the life of the process: built once.
  const all = canonicalRegistry();
  app.get(
    '/canonical-parameters',
    {
      config: { scope: 'integrations:read' },
      schema: {
        tags: ['bindings'],
        summary:
          'Canonical parameters: use these names in bindings so one agent prompt works across providers',
        querystring: Type.Object(PageQuery),
        response: { 200: PageEnvelope(CanonicalParameter), ...problemResponses },
      },
    },
    async (req) => {
      const { items, nextCursor } = pageList(all, req.query, (p) => p.name);
      return page(items, nextCursor);
    },
  );
};
