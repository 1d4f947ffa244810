/** The canonical parameter registry (SPEC §7): names, types and model-facing descriptions. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { canonicalRegistry } from '../../core/canonical-parameters.ts';
import { ok } from '../envelope.ts';
import { Envelope, Nullable, problemResponses } from '../schemas.ts';

const CanonicalParameter = Type.Object({
  name: Type.String(),
  type: Type.String(),
  description: Type.String(),
  schema: Type.Object({}, { additionalProperties: true }),
  pii: Nullable(Type.String()),
  fits: Type.Array(Type.String()),
});

export const canonicalRoutes = () => async (app: FastifyInstance) => {
  // Static for the life of the process: built once.
  const body = ok(canonicalRegistry());
  app.get(
    '/canonical-parameters',
    {
      config: { scope: 'integrations:read' },
      schema: {
        tags: ['bindings'],
        summary:
          'Canonical parameters: use these names in bindings so one agent prompt works across providers',
        response: { 200: Envelope(Type.Array(CanonicalParameter)), ...problemResponses },
      },
    },
    async () => body,
  );
};
