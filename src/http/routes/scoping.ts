/**
 * GET /integrations/{kind}/scoping: what the operator has hidden, so the dashboard (or a script)
 * can show and undo it. Setting it stays PATCH in routes/discovery.ts.
 */
import { Type } from '@sinclair/typebox';
import { scopingOf } from '../../core/connections/index.ts';
import { AppError } from '../../errors.ts';
import type { Services } from '../../services.ts';
import { orgOf } from '../auth.ts';
import { ok } from '../envelope.ts';
import { Envelope, KindParams, problemResponses } from '../schemas.ts';
import type { TypedApp } from '../typed-app.ts';

/** A bound skill the scoping blocks: out of the tools and refused at invoke until its binding is saved again. */
export const AffectedSkill = Type.Object({
  id: Type.String(),
  agentId: Type.String(),
  name: Type.String(),
  errors: Type.Array(Type.Object({ field: Type.String(), message: Type.String() })),
});

/** The scoping as answered by GET and PATCH: what is hidden, and the bound skills that need review. */
export const ScopingAnswer = Type.Object({
  blockedObjects: Type.Array(Type.String()),
  blockedFields: Type.Array(Type.String()),
  affectedSkills: Type.Array(AffectedSkill, {
    description:
      'Draft skills (of every agent) whose binding uses what is blocked: marked needsReview, left out of the tools, refused at invoke with 409 skill_needs_review until an operator saves the binding again (PUT /agents/{id}/skills/{skillId}/binding) or removes them',
  }),
});

export const scopingRoutes = (s: Services) => async (app: TypedApp) => {
  app.get(
    '/integrations/:kind/scoping',
    {
      config: { scope: 'integrations:read' },
      schema: {
        tags: ['discovery'],
        summary:
          'The objects and fields ("object.field") hidden from schema routes and binding, and the bound skills they put under review',
        params: KindParams,
        response: { 200: Envelope(ScopingAnswer), ...problemResponses },
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
      const affectedSkills = await s.skillReview.underReview(orgId, req.params.kind);
      return ok({ blockedObjects, blockedFields, affectedSkills });
    },
  );
};
