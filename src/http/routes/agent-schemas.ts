/** Schemas of agents, skills and versions as the API shows them. */
import { Type } from '@sinclair/typebox';
import { Nullable } from '../schemas.ts';

export const AgentParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
export const SkillParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64 }),
  skillId: Type.String({ minLength: 1, maxLength: 64 }),
});
export const AgentKindParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64 }),
  kind: Type.String({ minLength: 1, maxLength: 64 }),
});
export const VersionParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64 }),
  versionId: Type.String({ minLength: 1, maxLength: 64 }),
});

export const Agent = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Nullable(Type.String()),
  revision: Type.Integer(),
  liveVersionId: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

const JsonObject = Type.Object({}, { additionalProperties: true });

export const Skill = Type.Object({
  id: Type.String(),
  agentId: Type.String(),
  name: Type.String(),
  description: Type.String(),
  skillType: Type.String(),
  source: JsonObject,
  parametersSchema: JsonObject,
  requiredParams: Type.Array(Type.String()),
  executionConfig: JsonObject,
  isWrite: Type.Boolean(),
  requiresConfirmation: Type.Boolean(),
  nonParallelizable: Type.Boolean(),
  requiresVerifiedIdentity: Type.Boolean(),
  isEnabled: Type.Boolean(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const Version = Type.Object({
  id: Type.String(),
  agentId: Type.String(),
  number: Type.Integer(),
  note: Nullable(Type.String()),
  publishedAt: Type.String(),
  skillCount: Type.Integer(),
  isLive: Type.Boolean(),
});

export const ToolName = Type.String({ pattern: '^[a-zA-Z0-9_-]{1,64}$' });

export const SkillCreateBody = Type.Object(
  {
    name: ToolName,
    description: Type.String({ minLength: 1, maxLength: 4096 }),
    skillType: Type.String({ maxLength: 32 }),
    parametersSchema: JsonObject,
    executionConfig: Type.Optional(JsonObject),
    isWrite: Type.Optional(Type.Boolean()),
    requiresConfirmation: Type.Optional(Type.Boolean()),
    nonParallelizable: Type.Optional(Type.Boolean()),
    requiresVerifiedIdentity: Type.Optional(Type.Boolean()),
    isEnabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const SkillPatchBody = Type.Object(
  {
    name: Type.Optional(ToolName),
    description: Type.Optional(Type.String({ minLength: 1, maxLength: 4096 })),
    parametersSchema: Type.Optional(JsonObject),
    executionConfig: Type.Optional(JsonObject),
    requiresConfirmation: Type.Optional(Type.Boolean()),
    nonParallelizable: Type.Optional(Type.Boolean()),
    requiresVerifiedIdentity: Type.Optional(Type.Boolean()),
    isEnabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const ActionsBody = Type.Object(
  { actions: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 100 })) },
  { additionalProperties: false },
);

export const ProvisionResult = Type.Object({
  skill: Skill,
  created: Type.Boolean(),
  missingScopes: Type.Optional(
    Type.Array(Type.String(), { description: 'grants the connection lacks: the skill landed disabled' }),
  ),
});
