/** Bindings: map a discovered operation onto a skill by hand, or from a plain-language goal. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { BindingBody } from '../../core/bindings-model.ts';
import type { Services } from '../../services.ts';
import { orgOf } from '../auth.ts';
import { ok } from '../envelope.ts';
import { Envelope, problemResponses } from '../schemas.ts';
import { AgentKindParams, Skill } from './agent-schemas.ts';

const tags = ['bindings'];
const Name = (maxLength: number) => Type.String({ minLength: 1, maxLength });
const Json = Type.Object({}, { additionalProperties: true });

const BindingBodySchema = Type.Object(
  {
    toolName: Name(64),
    description: Type.Optional(Type.String({ minLength: 1, maxLength: 4096 })),
    operation: Name(600),
    inputs: Type.Optional(
      Type.Array(Type.Object({ param: Name(200), arg: Name(300) }, { additionalProperties: false }), {
        maxItems: 20,
      }),
    ),
    projection: Type.Optional(
      Type.Array(
        Type.Object(
          { path: Type.Array(Name(300), { minItems: 1, maxItems: 4 }), as: Type.Optional(Name(200)) },
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
  },
  { additionalProperties: false },
);

const Output = Type.Object({
  name: Type.String(),
  type: Type.String(),
  jsonType: Type.String(),
  nullable: Type.Boolean(),
  /** A list of values: the path goes through a list or a connection (GraphQL). */
  list: Type.Optional(Type.Boolean()),
});
const BindingResult = Type.Object({
  skill: Skill,
  binding: Json,
  compiled: Type.Object({ kind: Type.String(), outputs: Type.Array(Output) }),
});
const AutoResult = Type.Object({
  skill: Skill,
  binding: Json,
  compiled: Type.Object({ kind: Type.String(), outputs: Type.Array(Output) }),
  explanation: Type.String(),
  confidence: Type.Number(),
  alternatives: Type.Array(Json),
  rankedBy: Type.Union([Type.Literal('vocabulary'), Type.Literal('llm')]),
});

export const bindingRoutes = (s: Services) => async (app: FastifyInstance) => {
  app.post<{ Params: { id: string; kind: string }; Body: BindingBody }>(
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
    async (req, reply) =>
      reply.code(201).send(ok(await s.bindings.create(orgOf(req), req.params.id, req.params.kind, req.body))),
  );

  app.post<{ Params: { id: string; kind: string }; Body: { goal: string; enabled?: boolean } }>(
    '/agents/:id/integrations/:kind/bindings/auto',
    {
      config: { scope: 'skills:write' },
      schema: {
        tags,
        summary:
          'Turn a plain-language goal into a binding offline and deterministically, saved as a draft skill (422 goal_not_mappable with the closest candidates)',
        params: AgentKindParams,
        body: Type.Object(
          { goal: Type.String({ minLength: 1, maxLength: 1000 }), enabled: Type.Optional(Type.Boolean()) },
          { additionalProperties: false },
        ),
        response: { 201: Envelope(AutoResult), ...problemResponses },
      },
    },
    async (req, reply) =>
      reply.code(201).send(ok(await s.automap.create(orgOf(req), req.params.id, req.params.kind, req.body))),
  );
};
