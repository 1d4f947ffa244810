/** Connector packs per agent: list presets with their installed flag, install them in one call. */
import { Type } from '@sinclair/typebox';
import type { Services } from '../../services.ts';
import { orgOf } from '../auth.ts';
import { ok } from '../envelope.ts';
import { Envelope, KindParams, problemResponses } from '../schemas.ts';
import type { TypedApp } from '../typed-app.ts';
import { AgentKindParams, ProvisionResult } from './agent-schemas.ts';

const tags = ['packs'];
const Json = Type.Object({}, { additionalProperties: true });
const PresetDetail = Type.Object({
  slug: Type.String(),
  name: Type.String(),
  description: Type.String(),
  action: Type.String(),
  toolName: Type.String(),
  parameters: Json,
  returns: Type.Union([Type.String(), Type.Null()], {
    description: 'what one call returns, in words, where the pack says',
  }),
  requiredScopes: Type.Array(Type.String(), {
    description: 'grants the connection must hold (a preset whose grant is missing installs disabled)',
  }),
  isWrite: Type.Boolean(),
  requiresConfirmation: Type.Boolean(),
  requiresVerifiedIdentity: Type.Boolean(),
});
const ProviderPack = Type.Object({
  kind: Type.String(),
  slug: Type.String(),
  name: Type.String(),
  description: Type.String(),
  presets: Type.Array(PresetDetail),
});
const AgentPresetDetail = Type.Intersect([PresetDetail, Type.Object({ installed: Type.Boolean() })]);
const AgentPackView = Type.Object({
  slug: Type.String(),
  name: Type.String(),
  description: Type.String(),
  presets: Type.Array(AgentPresetDetail),
});

export const packRoutes = (s: Services) => async (app: TypedApp) => {
  app.get(
    '/integrations/:kind/pack',
    {
      config: { scope: 'skills:write' },
      schema: {
        tags,
        summary: "A provider's connector pack: its presets, the parameters each takes and what it returns",
        params: KindParams,
        response: { 200: Envelope(ProviderPack), ...problemResponses },
      },
    },
    async (req) => ok(s.packs.describe(req.params.kind)),
  );

  app.get(
    '/agents/:id/integrations/:kind/pack',
    {
      config: { scope: 'agents:read' },
      schema: {
        tags,
        summary: "A provider's connector pack, with what this agent has installed",
        params: AgentKindParams,
        response: { 200: Envelope(AgentPackView), ...problemResponses },
      },
    },
    async (req) => {
      const perAgent = await s.packs.get(orgOf(req), req.params.id, req.params.kind);
      const detail = new Map(s.packs.describe(req.params.kind).presets.map((p) => [p.slug, p]));
      return ok({
        ...perAgent,
        presets: perAgent.presets.map((p) => ({ ...detail.get(p.slug)!, installed: p.installed })),
      });
    },
  );

  app.post(
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
