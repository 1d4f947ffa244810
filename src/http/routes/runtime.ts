/** The runtime phone and chat use: tool lists, invoke, and the invocation log. */
import { Type } from '@sinclair/typebox';
import type { Services } from '../../services.ts';
import { orgOf } from '../auth.ts';
import { ok, page } from '../envelope.ts';
import { PageQuery, pageRequest } from '../pagination.ts';
import { Envelope, PageEnvelope, problemResponses } from '../schemas.ts';
import type { TypedApp } from '../typed-app.ts';
import { AgentParams } from './agent-schemas.ts';

const tags = ['runtime'];

const Execution = Type.Object({
  id: Type.String(),
  skillId: Type.String(),
  skillName: Type.String(),
  version: Type.Union([
    Type.Object({ id: Type.String(), number: Type.Union([Type.Integer(), Type.Null()]) }),
    Type.Null(),
  ]),
  outcome: Type.Union([Type.Literal('ok'), Type.Literal('error')]),
  errorCode: Type.Union([Type.String(), Type.Null()]),
  durationMs: Type.Number(),
  arguments: Type.Object({}, { additionalProperties: true }),
  conversationId: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
});

const ExecutionsQuery = Type.Object({
  ...PageQuery,
  conversationId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  tool: Type.Optional(Type.String({ pattern: '^[a-zA-Z0-9_-]{1,64}$' })),
  outcome: Type.Optional(Type.Union([Type.Literal('ok'), Type.Literal('error')])),
});

export const runtimeRoutes = (s: Services) => async (app: TypedApp) => {
  app.get(
    '/agents/:id/tools',
    {
      config: { scope: 'skills:invoke' },
      schema: {
        tags,
        summary: "The live version's enabled skills as tool definitions (openai, anthropic or mcp format)",
        params: AgentParams,
        querystring: Type.Object({
          format: Type.Optional(
            Type.Union([Type.Literal('openai'), Type.Literal('anthropic'), Type.Literal('mcp')], {
              default: 'openai',
            }),
          ),
          version: Type.Optional(Type.Literal('draft')),
        }),
        response: {
          200: Envelope(
            Type.Object({
              agentId: Type.String(),
              format: Type.String(),
              version: Type.Union([Type.Object({ id: Type.String(), number: Type.Integer() }), Type.Null()]),
              tools: Type.Array(Type.Object({}, { additionalProperties: true })),
            }),
          ),
          ...problemResponses,
        },
      },
    },
    async (req, reply) => {
      const body = await s.runtime.toolsBody(
        orgOf(req),
        req.params.id,
        req.query.format ?? 'openai',
        req.query.version === 'draft',
      );
      // Pre-serialized once per version and format: sent as is (the text is the 200 schema's JSON,
      // which the type provider cannot see through a string).
      return reply
        .type('application/json; charset=utf-8')
        .serializer((x: unknown) => x as string)
        .send(body as never);
    },
  );

  app.post(
    '/agents/:id/tools/:name/invoke',
    {
      config: { scope: 'skills:invoke' },
      schema: {
        tags,
        summary:
          'Call one tool of the live version (or the draft) with validated arguments; writes honour Idempotency-Key',
        description:
          "`confirmed` and `callerVerified` are the host application's assertions (the caller agreed; the caller's identity was verified), never values a model may choose: a host that lets its model call this endpoint must not pass the model's own flags through. Over MCP the model cannot set them at all (gated calls answer with a confirmation token the host redeems at POST /agents/{id}/confirmations).",
        params: Type.Object({
          id: Type.String({ minLength: 1, maxLength: 64 }),
          name: Type.String({ minLength: 1, maxLength: 64 }),
        }),
        body: Type.Object(
          {
            arguments: Type.Object({}, { additionalProperties: true }),
            draft: Type.Optional(Type.Boolean()),
            confirmed: Type.Optional(Type.Boolean()),
            callerVerified: Type.Optional(Type.Boolean()),
            conversationId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Envelope(Type.Object({ result: Type.Unknown(), durationMs: Type.Number() })),
          ...problemResponses,
        },
      },
    },
    async (req) => {
      const key = req.headers['idempotency-key'];
      const result = await s.runtime.invoke(orgOf(req), req.params.id, req.params.name, req.body, {
        idempotencyKey: typeof key === 'string' ? key : undefined,
        requestId: req.id,
      });
      return ok(result);
    },
  );

  app.post(
    '/agents/:id/confirmations',
    {
      config: { scope: 'skills:invoke' },
      schema: {
        tags,
        summary:
          'The host redeems a confirmation token a gated MCP call answered with: the call runs once, with the same arguments, in its conversation',
        description:
          'Only the host application calls this, with its own key, once the caller agreed (and, where the token names `verification`, was verified). The token is single-use, expires after 5 minutes, and is bound to the tool, the arguments (canonical hash), the MCP session (`conversationId`) and the live version; anything else is 409 confirmation_invalid.',
        params: AgentParams,
        body: Type.Object(
          {
            token: Type.String({
              pattern: '^fct_[A-Za-z0-9_-]{32}$',
              description: 'From the result `_meta`',
            }),
            arguments: Type.Object({}, { additionalProperties: true }),
            conversationId: Type.Optional(
              Type.String({
                minLength: 1,
                maxLength: 200,
                description: 'The MCP session id the call was made in',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Envelope(Type.Object({ result: Type.Unknown(), durationMs: Type.Number() })),
          ...problemResponses,
        },
      },
    },
    async (req, reply) => {
      const key = req.headers['idempotency-key'];
      const result = await s.modelCalls.redeem(orgOf(req), req.params.id, req.body, {
        idempotencyKey: typeof key === 'string' ? key : undefined,
        requestId: req.id,
      });
      // The result may carry what the caller gave; never cached on the way.
      reply.header('cache-control', 'no-store');
      return ok(result);
    },
  );

  app.get(
    '/agents/:id/executions',
    {
      config: { scope: 'agents:read' },
      schema: {
        tags,
        summary: 'Invocation records, newest first, with PII-classed arguments redacted',
        description: 'Narrow them to one conversation, one tool, or one outcome; the filters combine.',
        params: AgentParams,
        querystring: ExecutionsQuery,
        response: { 200: PageEnvelope(Execution), ...problemResponses },
      },
    },
    async (req) => {
      const p = pageRequest(req.query);
      const { conversationId, tool: skillName, outcome } = req.query;
      const { items, nextCursor } = await s.runtime.executions(orgOf(req), req.params.id, p.after, p.limit, {
        conversationId,
        skillName,
        outcome,
      });
      return page(items, nextCursor);
    },
  );
};
