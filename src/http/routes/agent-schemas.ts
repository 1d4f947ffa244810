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

const Language = Type.String({ minLength: 2, maxLength: 35, pattern: '^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$' });

/** Flowyte's agent fields, editable on the draft (all optional in a body). */
export const AgentProfileFields = {
  persona: Type.Optional(
    Nullable(Type.String({ maxLength: 8000, description: 'Who the agent is and how it acts' })),
  ),
  primaryLanguage: Type.Optional(Language),
  languages: Type.Optional(Type.Array(Language, { maxItems: 50 })),
  greeting: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  enabledChannels: Type.Optional(
    Type.Array(Type.Union([Type.Literal('voice'), Type.Literal('chat')]), { maxItems: 2 }),
  ),
};

export const Agent = Type.Object({
  id: Type.String(),
  organizationId: Type.String(),
  name: Type.String(),
  description: Nullable(Type.String()),
  version: Type.Integer({ description: 'The draft revision: send it in If-Match' }),
  publishedVersionId: Nullable(Type.String()),
  revision: Type.Integer({ description: 'Same as version' }),
  liveVersionId: Nullable(Type.String({ description: 'Same as publishedVersionId' })),
  persona: Nullable(Type.String()),
  primaryLanguage: Type.String(),
  languages: Type.Array(Type.String()),
  greeting: Nullable(Type.String()),
  enabledChannels: Type.Array(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

const JsonObject = Type.Object({}, { additionalProperties: true });

export const ErrorHandling = Type.Object(
  {
    fallbackMessage: Type.Optional(Type.String({ maxLength: 1000 })),
    retry: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, description: 'What the agent does when the call fails' },
);
export const Channels = Type.Array(Type.Union([Type.Literal('voice'), Type.Literal('chat')]), {
  maxItems: 2,
  description: 'Channels the skill serves on (default both)',
});

export const Skill = Type.Object({
  id: Type.String(),
  agentId: Type.String(),
  organizationId: Type.String(),
  name: Type.String({ description: 'The tool name the model sees' }),
  title: Nullable(Type.String({ description: 'The name as written, when it had to become a tool name' })),
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
  needsReview: Type.Boolean({
    description:
      "The operator's scoping now blocks what its binding uses: left out of the tools and refused at invoke (409 skill_needs_review) until the binding is saved again or the skill removed",
  }),
  review: Nullable(
    Type.Object({
      reason: Type.String(),
      errors: Type.Array(Type.Object({ field: Type.String(), message: Type.String() })),
      since: Type.String(),
    }),
  ),
  dataEgressMap: Type.Record(Type.String(), Type.Array(Type.String()), {
    description:
      'Destination → fields sent there: `model` (outputs returned to the agent), `provider:<kind>`, or a webhook origin',
  }),
  allowedFields: Type.Array(Type.String(), { description: 'Output fields the skill may return' }),
  channels: Type.Array(Type.String()),
  errorHandling: Type.Object({}, { additionalProperties: true }),
  expectedLatencyMs: Nullable(Type.Number({ description: 'Mean of its successful calls; null before any' })),
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

/** Fields of Flowyte's Skill the server derives itself: accepted in a create body and ignored. */
const Derived = (what: string) =>
  Type.Optional(Type.Unknown({ description: `Derived by the server (${what}); ignored` }));

export const SkillCreateBody = Type.Object(
  {
    name: Type.String({
      minLength: 1,
      maxLength: 200,
      description:
        'A tool name (^[a-zA-Z0-9_-]{1,64}$), or a human name turned into one and kept as the title',
    }),
    description: Type.String({ minLength: 1, maxLength: 4096 }),
    skillType: Type.String({
      minLength: 1,
      maxLength: 32,
      description:
        'http_webhook by hand; calendar, google_sheets, native_sql, native_graphql come from provisioning, bindings and packs; others: 422 unsupported_skill_type; mcp: 403 reserved',
    }),
    parametersSchema: Type.Optional(JsonObject),
    requiredParams: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 100 }),
    ),
    executionConfig: Type.Optional(JsonObject),
    isWrite: Type.Optional(Type.Boolean()),
    requiresConfirmation: Type.Optional(Type.Boolean()),
    nonParallelizable: Type.Optional(Type.Boolean()),
    requiresVerifiedIdentity: Type.Optional(Type.Boolean()),
    isEnabled: Type.Optional(Type.Boolean()),
    channels: Type.Optional(Channels),
    errorHandling: Type.Optional(ErrorHandling),
    dataEgressMap: Derived('from the webhook target and outputs'),
    allowedFields: Derived('from the projection'),
    expectedLatencyMs: Derived('measured from executions'),
  },
  {
    additionalProperties: false,
    examples: [
      {
        name: 'create_callback_request',
        description: 'Ask the office to call the caller back. Use when the caller wants a human.',
        skillType: 'http_webhook',
        parametersSchema: {
          type: 'object',
          properties: {
            caller_phone: { type: 'string', description: "The caller's phone number" },
            notes: { type: 'string', description: 'What the call is about' },
          },
          required: ['caller_phone'],
        },
        requiredParams: ['caller_phone'],
        executionConfig: { url: 'https://hooks.example.com/callbacks', method: 'POST', timeout_ms: 5000 },
        isWrite: false,
      },
    ],
  },
);

export const SkillPatchBody = Type.Object(
  {
    name: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'A tool name, or a human name turned into one and kept as the title',
      }),
    ),
    description: Type.Optional(Type.String({ minLength: 1, maxLength: 4096 })),
    parametersSchema: Type.Optional(JsonObject),
    executionConfig: Type.Optional(JsonObject),
    requiresConfirmation: Type.Optional(Type.Boolean()),
    nonParallelizable: Type.Optional(Type.Boolean()),
    requiresVerifiedIdentity: Type.Optional(Type.Boolean()),
    isEnabled: Type.Optional(Type.Boolean()),
    channels: Type.Optional(Channels),
    errorHandling: Type.Optional(ErrorHandling),
  },
  { additionalProperties: false, minProperties: 1, examples: [{ isEnabled: true }] },
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
