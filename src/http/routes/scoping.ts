/**
 * GET /integrations/{kind}/scoping: what the operator has hidden, so the dashboard (or a script)
 * can show and undo it. Setting it stays PATCH in routes/discovery.ts.
 */
import { Type } from '@sinclair/typebox';
import { scopingOf } from '../../core/discovery.ts';
import { AppError } from '../../errors.ts';
import type { Services } from '../../services.ts';
import { orgOf } from '../auth.ts';
import { ok } from '../envelope.ts';
import { Envelope, KindParams, problemResponses } from '../schemas.ts';
import type { TypedApp } from '../typed-app.ts';

const Scoping = Type.Object({
  blockedObjects: Type.Array(Type.String()),
  blockedFields: Type.Array(Type.String()),
});

export const scopingRoutes = (s: Services) => async (app: TypedApp) => {
  app.get(
    '/integrations/:kind/scoping',
    {
      config: { scope: 'integrations:read' },
      schema: {
        tags: ['discovery'],
        summary: 'The objects and fields ("object.field") hidden from schema routes and binding',
        params: KindParams,
        response: { 200: Envelope(Scoping), ...problemResponses },
      },
    },
    async (req) => {
      const orgId = orgOf(req);
      s.integrations.provider(req.params.kind);
      const connection = await s.integrations.connection(orgId, req.params.kind);
      if (!connection)
        throw new AppError(
          'integration_not_connected',
          `${req.params.kind} is not connected; connect it first with POST /api/v1/integrations/${req.params.kind}/connect`,
        );
      const { blockedObjects, blockedFields } = scopingOf(connection);
      return ok({ blockedObjects, blockedFields });
    },
  );
};
