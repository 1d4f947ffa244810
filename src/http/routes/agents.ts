/** /agents and their draft skills. */
import { Type } from '@sinclair/typebox';
import { AppError } from '../../errors.ts';
import type { Services } from '../../services.ts';
import { orgOf } from '../auth.ts';
import { ok, page } from '../envelope.ts';
import { PageQuery, pageList, pageRequest } from '../pagination.ts';
import { Envelope, Nullable, PageEnvelope, problemResponses } from '../schemas.ts';
import type { TypedApp } from '../typed-app.ts';
import {
  Agent,
  AgentParams,
  AgentProfileFields,
  Skill,
  SkillCreateBody,
  SkillParams,
  SkillPatchBody,
} from './agent-schemas.ts';

const tags = ['agents'];
const skillTags = ['skills'];

/** `If-Match: 3`, `"3"` or `W/"3"` → 3; absent → null. */
function revisionOf(header: string | undefined): number | null {
  if (header === undefined) return null;
  const m = /^(?:W\/)?"?(\d{1,12})"?$/.exec(header.trim());
  if (!m)
    throw new AppError('validation_error', 'If-Match must carry the agent revision, e.g. If-Match: "3"');
  return Number(m[1]);
}

export const agentRoutes = (s: Services) => async (app: TypedApp) => {
  app.post(
    '/agents',
    {
      config: { scope: 'agents:write' },
      schema: {
        tags,
        summary: 'Create an agent',
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 200 }),
            description: Type.Optional(Nullable(Type.String({ maxLength: 4000 }))),
            ...AgentProfileFields,
          },
          {
            additionalProperties: false,
            examples: [
              {
                name: 'Front desk',
                persona: 'A friendly receptionist for a dental clinic',
                primaryLanguage: 'en',
                languages: ['en', 'es'],
                greeting: 'Thanks for calling Bright Smiles, how can I help?',
                enabledChannels: ['voice', 'chat'],
              },
            ],
          },
        ),
        response: { 201: Envelope(Agent), ...problemResponses },
      },
    },
    async (req, reply) => reply.code(201).send(ok(await s.agents.create(orgOf(req), req.body))),
  );

  app.get(
    '/agents',
    {
      config: { scope: 'agents:read' },
      schema: {
        tags,
        summary: 'List agents',
        querystring: Type.Object(PageQuery),
        response: { 200: PageEnvelope(Agent), ...problemResponses },
      },
    },
    async (req) => {
      const p = pageRequest(req.query);
      const { items, nextCursor } = await s.agents.list(orgOf(req), p.after, p.limit);
      return page(items, nextCursor);
    },
  );

  app.get(
    '/agents/:id',
    {
      config: { scope: 'agents:read' },
      schema: {
        tags,
        summary: 'Get an agent',
        params: AgentParams,
        response: { 200: Envelope(Agent), ...problemResponses },
      },
    },
    async (req, reply) => {
      const agent = await s.agents.get(orgOf(req), req.params.id);
      reply.header('etag', `"${agent.revision}"`);
      return ok(agent);
    },
  );

  app.patch(
    '/agents/:id',
    {
      config: { scope: 'agents:write' },
      schema: {
        tags,
        summary:
          'Update the draft agent; send If-Match with its version to refuse a stale edit (409 with the current version and agent)',
        params: AgentParams,
        headers: Type.Object({
          'if-match': Type.Optional(Type.String({ description: 'The version last read: 3, "3" or W/"3"' })),
        }),
        body: Type.Object(
          {
            name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            description: Type.Optional(Type.Union([Type.String({ maxLength: 4000 }), Type.Null()])),
            ...AgentProfileFields,
          },
          {
            additionalProperties: false,
            minProperties: 1,
            examples: [{ greeting: 'Hello! You have reached Bright Smiles.', languages: ['en', 'fr'] }],
          },
        ),
        response: { 200: Envelope(Agent), ...problemResponses },
      },
    },
    async (req, reply) => {
      const agent = await s.agents.patch(
        orgOf(req),
        req.params.id,
        req.body,
        revisionOf(req.headers['if-match']),
      );
      reply.header('etag', `"${agent.revision}"`);
      return ok(agent);
    },
  );

  app.delete(
    '/agents/:id',
    {
      config: { scope: 'agents:write' },
      schema: {
        tags,
        summary: 'Delete an agent with its draft and versions',
        params: AgentParams,
        response: { 200: Envelope(Type.Object({ deleted: Type.Literal(true) })), ...problemResponses },
      },
    },
    async (req) => ok(await s.agents.remove(orgOf(req), req.params.id)),
  );

  app.get(
    '/agents/:id/skills',
    {
      config: { scope: 'agents:read' },
      schema: {
        tags: skillTags,
        summary: "The agent's draft skills",
        params: AgentParams,
        querystring: Type.Object(PageQuery),
        response: { 200: PageEnvelope(Skill), ...problemResponses },
      },
    },
    async (req) => {
      const all = await s.agents.skills(orgOf(req), req.params.id);
      const { items, nextCursor } = pageList(all, req.query, (k) => k.id);
      return page(items, nextCursor);
    },
  );

  app.post(
    '/agents/:id/skills',
    {
      config: { scope: 'skills:write' },
      schema: {
        tags: skillTags,
        summary:
          "Create a skill by hand (an http_webhook) from Flowyte's documented body; the Skill is at data, with its signing secret shown once",
        params: AgentParams,
        body: SkillCreateBody,
        response: {
          201: Envelope(
            Type.Intersect([
              Skill,
              Type.Object({
                signingSecret: Type.Optional(
                  Type.String({ description: 'The webhook signing secret: returned this once' }),
                ),
              }),
            ]),
          ),
          ...problemResponses,
        },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return reply.code(201).send(ok(await s.agents.createSkill(orgOf(req), req.params.id, req.body)));
    },
  );

  app.patch(
    '/agents/:id/skills/:skillId',
    {
      config: { scope: 'skills:write' },
      schema: {
        tags: skillTags,
        summary: 'Edit a draft skill (enable, describe, configure)',
        params: SkillParams,
        body: SkillPatchBody,
        response: { 200: Envelope(Skill), ...problemResponses },
      },
    },
    async (req) => ok(await s.agents.patchSkill(orgOf(req), req.params.id, req.params.skillId, req.body)),
  );

  app.delete(
    '/agents/:id/skills/:skillId',
    {
      config: { scope: 'skills:write' },
      schema: {
        tags: skillTags,
        summary: 'Remove a skill from the draft',
        params: SkillParams,
        response: { 200: Envelope(Type.Object({ deleted: Type.Literal(true) })), ...problemResponses },
      },
    },
    async (req) => ok(await s.agents.deleteSkill(orgOf(req), req.params.id, req.params.skillId)),
  );
};
