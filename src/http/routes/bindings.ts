/** Bindings: map a discovered operation onto a skill by hand, or from a plain-language goal. */
import { Type } from '@sinclair/typebox';
import type { Services } from '../../services.ts';
import { orgOf } from '../auth.ts';
import { normalizeBindingBody } from '../binding-aliases.ts';
import { ok } from '../envelope.ts';
import { Envelope, problemResponses } from '../schemas.ts';
import type { TypedApp } from '../typed-app.ts';
import { AgentKindParams, Skill, SkillParams } from './agent-schemas.ts';

const tags = ['bindings'];
const Name = (maxLength: number) => Type.String({ minLength: 1, maxLength });
const Json = Type.Object({}, { additionalProperties: true });

const BindingBodySchema = Type.Object(
  {
    toolName: Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'A tool name, or a title ("Look up the caller") turned into one and kept as the title',
    }),
    description: Type.Optional(Type.String({ minLength: 1, maxLength: 4096 })),
    operation: Name(600),
    inputs: Type.Optional(
      Type.Array(Type.Object({ param: Name(200), arg: Name(300) }, { additionalProperties: false }), {
        maxItems: 20,
      }),
    ),
    sqlSearch: Type.Optional(
      Type.Object(
        { column: Name(300), param: Name(200) },
        {
          additionalProperties: false,
          description: 'SQL reads: the one filter, on a leading-index column (the same as one input)',
        },
      ),
    ),
    projection: Type.Optional(
      Type.Array(
        Type.Object(
          {
            path: Type.Array(Name(300), { minItems: 1, maxItems: 4 }),
            as: Type.Optional(Name(200)),
            leaf: Type.Optional(
              Type.String({ minLength: 1, maxLength: 200, description: "Flowyte's name for `as`" }),
            ),
          },
          { additionalProperties: false },
        ),
        { maxItems: 100 },
      ),
    ),
    isWrite: Type.Optional(Type.Boolean()),
    enabled: Type.Optional(Type.Boolean()),
    inputObjectMap: Type.Optional(
      Type.Array(
        Type.Union([
          Type.Object({ field: Name(300), param: Name(200) }, { additionalProperties: false }),
          Type.Object(
            {
              field: Name(300),
              const: Type.Union([
                Type.String({ maxLength: 4000 }),
                Type.Number(),
                Type.Boolean(),
                Type.Null(),
              ]),
            },
            { additionalProperties: false },
          ),
        ]),
        { maxItems: 200 },
      ),
    ),
    keyColumn: Type.Optional(Name(300)),
    keyParam: Type.Optional(Name(200)),
    maxRows: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
    match: Type.Optional(
      Type.Union([Type.Literal('exact'), Type.Literal('case_insensitive')], {
        default: 'exact',
        description:
          'How a read compares its text filter. case_insensitive ("Smith" finds "SMITH") needs an index that serves it: PostgreSQL an index on lower(column) (or a citext column), MySQL the column\'s own index (its default *_ci collations already ignore case). Refused otherwise, with the index to create.',
      }),
    ),
  },
  {
    additionalProperties: false,
    examples: [
      {
        toolName: 'Look up the caller',
        description: 'Find the calling customer by phone number.',
        operation: 'customer.search_by_phone',
        sqlSearch: { column: 'phone', param: 'caller_phone' },
        projection: [
          { path: ['first_name'], leaf: 'customer_name' },
          { path: ['email'], leaf: 'customer_email' },
        ],
        enabled: true,
      },
      {
        toolName: 'create_callback_request',
        operation: 'callback_request.insert',
        isWrite: true,
        inputObjectMap: [
          { field: 'phone', param: 'caller_phone' },
          { field: 'source', const: 'phone_agent' },
        ],
        projection: [{ path: ['id'], leaf: 'request_id' }],
      },
    ],
  },
);

const Output = Type.Object({
  name: Type.String(),
  type: Type.String(),
  jsonType: Type.String(),
  nullable: Type.Boolean(),
  /** A list of values: the path goes through a list or a connection (GraphQL). */
  list: Type.Optional(Type.Boolean()),
});
/** The Skill at `data` (Flowyte's shape), with the accepted binding and its compiled outputs as fields. */
const BindingResult = Type.Intersect([
  Skill,
  Type.Object({
    binding: Json,
    compiled: Type.Object({ kind: Type.String(), outputs: Type.Array(Output) }),
  }),
]);
const AutoResult = Type.Object({
  skill: Type.Union([Skill, Type.Null()], { description: 'The saved draft skill; null on a dry run' }),
  binding: Json,
  compiled: Type.Object({ kind: Type.String(), outputs: Type.Array(Output) }),
  created: Type.Boolean({
    description: 'False when this goal had already made this draft (returned as it is)',
  }),
  dryRun: Type.Boolean(),
  explanation: Type.String(),
  choices: Type.Array(Type.String(), {
    description: 'One sentence per choice: object, filter, outputs, enabling',
  }),
  confidence: Type.Number({ minimum: 0, maximum: 1 }),
  alternatives: Type.Array(Json),
  rankedBy: Type.Union([Type.Literal('vocabulary'), Type.Literal('llm')]),
});

export const bindingRoutes = (s: Services) => async (app: TypedApp) => {
  app.post(
    '/agents/:id/integrations/:kind/bindings',
    {
      config: { scope: 'skills:write' },
      schema: {
        tags,
        summary:
          'Bind a discovered operation to a new draft skill; validated against the scoped schema and compiled once (422 binding_invalid lists every problem)',
        params: AgentKindParams,
        body: BindingBodySchema,
        response: { 201: Envelope(BindingResult), ...problemResponses },
      },
    },
    async (req, reply) => {
      const orgId = orgOf(req);
      const { body, title } = normalizeBindingBody(req.body);
      const made = await s.bindings.create(orgId, req.params.id, req.params.kind, body);
      const skill = title ? await s.agents.setTitle(orgId, req.params.id, made.skill.id, title) : made.skill;
      // The accepted binding in both spellings: `as` (ours) and `leaf` (Flowyte's) on each output.
      const binding = {
        ...made.binding,
        ...(title ? { title } : {}),
        projection: made.binding.projection.map((p) => ({ ...p, leaf: p.as })),
      };
      return reply.code(201).send(ok({ ...skill, binding, compiled: made.compiled }));
    },
  );

  app.put(
    '/agents/:id/skills/:skillId/binding',
    {
      config: { scope: 'skills:write' },
      schema: {
        tags,
        summary:
          "Save a bound skill's binding again (same skill id), validated against today's scoped schema; clears needsReview",
        params: SkillParams,
        body: BindingBodySchema,
        response: { 200: Envelope(BindingResult), ...problemResponses },
      },
    },
    async (req) => {
      const orgId = orgOf(req);
      const { body, title } = normalizeBindingBody(req.body);
      const made = await s.bindings.resave(orgId, req.params.id, req.params.skillId, body);
      const skill = title ? await s.agents.setTitle(orgId, req.params.id, made.skill.id, title) : made.skill;
      const binding = {
        ...made.binding,
        ...(title ? { title } : {}),
        projection: made.binding.projection.map((p) => ({ ...p, leaf: p.as })),
      };
      return ok({ ...skill, binding, compiled: made.compiled });
    },
  );

  app.post(
    '/agents/:id/integrations/:kind/bindings/auto',
    {
      config: { scope: 'skills:write' },
      schema: {
        tags,
        summary:
          'Turn a plain-language goal into a binding offline and deterministically, saved as a draft skill (201), or the draft this goal already made (200, created: false), or only proposed (dryRun: true, 200); below the confidence floor 422 goal_not_mappable with the ranked candidates and index hints',
        params: AgentKindParams,
        body: Type.Object(
          {
            goal: Type.String({ minLength: 1, maxLength: 1000 }),
            enabled: Type.Optional(
              Type.Boolean({
                description: 'Enable the read if the proposal is confident enough (writes never)',
              }),
            ),
            dryRun: Type.Optional(
              Type.Boolean({ description: 'Return the proposal without saving anything' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: Envelope(AutoResult), 201: Envelope(AutoResult), ...problemResponses },
      },
    },
    async (req, reply) => {
      const result = await s.automap.create(orgOf(req), req.params.id, req.params.kind, req.body);
      return reply.code(result.created ? 201 : 200).send(ok(result));
    },
  );
};
