/** Connector packs per agent: list presets with their installed flag, install them in one call. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.ts';
import { orgOf } from '../auth.ts';
import { ok } from '../envelope.ts';
import { Envelope, problemResponses } from '../schemas.ts';
import { AgentKindParams, ProvisionResult } from './agent-schemas.ts';

const tags = ['packs'];
const Preset = Type.Object({
  slug: Type.String(),
  name: Type.String(),
  description: Type.String(),
  action: Type.String(),
  toolName: Type.String(),
  installed: Type.Boolean(),
});
const PackView = Type.Object({
  slug: Type.String(),
  name: Type.String(),
  description: Type.String(),
  presets: Type.Array(Preset),
});

export const packRoutes = (s: Services) => async (app: FastifyInstance) => {
  app.get<{ Params: { id: string; kind: string } }>(
    '/agents/:id/integrations/:kind/pack',
    {
      config: { scope: 'agents:read' },
      schema: {
        tags,
        summary: "A provider's connector pack, with what this agent has installed",
        params: AgentKindParams,
        response: { 200: Envelope(PackView), ...problemResponses },
      },
    },
    async (req) => ok(await s.packs.get(orgOf(req), req.params.id, req.params.kind)),
  );

  app.post<{ Params: { id: string; kind: string }; Body: { presets?: string[] } }>(
    '/agents/:id/integrations/:kind/pack/install',
    {
      config: { scope: 'skills:write' },
      schema: {
        tags,
        summary: 'Install all (or the named) presets of a pack as draft skills; idempotent',
        params: AgentKindParams,
        body: Type.Object(
          {
            presets: Type.Optional(
              Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 100 }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: Envelope(Type.Array(ProvisionResult)), ...problemResponses },
      },
    },
    async (req) => ok(await s.packs.install(orgOf(req), req.params.id, req.params.kind, req.body.presets)),
  );
};
