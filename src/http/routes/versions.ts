/** Publishing, versions, diff and rollback, and provisioning of provider actions. */
import { Type } from '@sinclair/typebox';
import type { Services } from '../../services.ts';
import { orgOf } from '../auth.ts';
import { ok, page } from '../envelope.ts';
import { PageQuery, pageRequest } from '../pagination.ts';
import { Envelope, PageEnvelope, problemResponses } from '../schemas.ts';
import type { TypedApp } from '../typed-app.ts';
import {
  ActionsBody,
  AgentKindParams,
  AgentParams,
  ProvisionResult,
  Skill,
  Version,
  VersionParams,
} from './agent-schemas.ts';

const tags = ['versions'];
const FieldChange = Type.Object({ field: Type.String(), from: Type.Unknown(), to: Type.Unknown() });
const SkillRef = Type.Object({ id: Type.String(), name: Type.String() });
const Warning = Type.Object({
  code: Type.String(),
  message: Type.String(),
  skillId: Type.Optional(Type.String()),
  skillName: Type.Optional(Type.String()),
});
const Change = Type.Object({
  field: Type.String({ description: '`agent.<field>`, `skills.<name>` or `skills.<name>.<field>`' }),
  before: Type.Unknown(),
  after: Type.Unknown(),
  kind: Type.Union([Type.Literal('added'), Type.Literal('removed'), Type.Literal('changed')]),
});
const SkillBrief = Type.Object({ id: Type.String(), name: Type.String() });
const PrepublishReport = Type.Object({
  agentId: Type.String(),
  publishedVersionId: Type.Union([Type.String(), Type.Null()]),
  skills: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      skillType: Type.String(),
      isEnabled: Type.Boolean(),
      needsReview: Type.Boolean({ description: 'Scoping blocks what its binding uses: not served' }),
      isWrite: Type.Boolean(),
      requiresConfirmation: Type.Boolean(),
      published: Type.Boolean({ description: 'Live exactly as it stands in the draft' }),
      sends: Type.Record(Type.String(), Type.Array(Type.String()), {
        description: 'Its dataEgressMap: destination → fields sent there',
      }),
    }),
  ),
  disabledSkills: Type.Array(SkillBrief),
  unpublishedSkills: Type.Array(SkillBrief),
  writesWithoutConfirmation: Type.Array(SkillBrief),
  warnings: Type.Array(Warning),
});
const Diff = Type.Object({
  changes: Type.Array(Change),
  versionId: Type.String(),
  versionNumber: Type.Integer(),
  added: Type.Array(SkillRef),
  removed: Type.Array(SkillRef),
  changed: Type.Array(
    Type.Object({ id: Type.String(), name: Type.String(), fields: Type.Array(FieldChange) }),
  ),
  identical: Type.Boolean(),
});

export const versionRoutes = (s: Services) => async (app: TypedApp) => {
  app.post(
    '/agents/:id/publish',
    {
      config: { scope: 'agents:write' },
      schema: {
        tags,
        summary: 'Freeze the draft into a new immutable version and make it live (honours Idempotency-Key)',
        params: AgentParams,
        body: Type.Optional(
          Type.Object(
            { note: Type.Optional(Type.String({ maxLength: 1000 })) },
            { additionalProperties: false },
          ),
        ),
        response: {
          201: Envelope(
            Type.Intersect([
              Version,
              Type.Object({
                warnings: Type.Array(Warning, {
                  description: 'e.g. no_enabled_skills: the version serves no tools',
                }),
              }),
            ]),
          ),
          ...problemResponses,
        },
      },
    },
    async (req, reply) =>
      reply.code(201).send(ok(await s.versions.publish(orgOf(req), req.params.id, req.body?.note ?? null))),
  );

  app.get(
    '/agents/:id/prepublish-report',
    {
      config: { scope: 'agents:read' },
      schema: {
        tags,
        summary:
          'Before publishing: each skill with the fields it sends where, disabled and unpublished skills, writes without confirmation, warnings',
        params: AgentParams,
        response: { 200: Envelope(PrepublishReport), ...problemResponses },
      },
    },
    async (req) => ok(await s.versions.prepublishReport(orgOf(req), req.params.id)),
  );

  app.get(
    '/agents/:id/versions',
    {
      config: { scope: 'agents:read' },
      schema: {
        tags,
        summary: 'Published versions, newest first',
        params: AgentParams,
        querystring: Type.Object(PageQuery),
        response: { 200: PageEnvelope(Version), ...problemResponses },
      },
    },
    async (req) => {
      const p = pageRequest(req.query);
      const { items, nextCursor } = await s.versions.list(orgOf(req), req.params.id, p.after, p.limit);
      return page(items, nextCursor);
    },
  );

  app.get(
    '/agents/:id/versions/:versionId',
    {
      config: { scope: 'agents:read' },
      schema: {
        tags,
        summary: 'One version with its frozen skills',
        params: VersionParams,
        response: {
          200: Envelope(
            Type.Intersect([
              Version,
              Type.Object({
                skills: Type.Array(Skill),
                agent: Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()], {
                  description:
                    "The agent's name, description, persona, languages, greeting and channels as published",
                }),
              }),
            ]),
          ),
          ...problemResponses,
        },
      },
    },
    async (req) => ok(await s.versions.get(orgOf(req), req.params.id, req.params.versionId)),
  );

  app.get(
    '/agents/:id/versions/:versionId/diff',
    {
      config: { scope: 'agents:read' },
      schema: {
        tags,
        summary:
          'What publishing the draft would change relative to a version: `changes` [{ field, before, after, kind }] (agent fields and skills), plus the skill-by-skill detail',
        params: VersionParams,
        response: { 200: Envelope(Diff), ...problemResponses },
      },
    },
    async (req) => ok(await s.versions.diff(orgOf(req), req.params.id, req.params.versionId)),
  );

  app.post(
    '/agents/:id/rollback',
    {
      config: { scope: 'agents:write' },
      schema: {
        tags,
        summary: 'Make an earlier version live at once',
        params: AgentParams,
        body: Type.Object(
          { versionId: Type.String({ minLength: 1, maxLength: 64 }) },
          { additionalProperties: false },
        ),
        response: { 200: Envelope(Version), ...problemResponses },
      },
    },
    async (req) => ok(await s.versions.rollback(orgOf(req), req.params.id, req.body.versionId)),
  );

  app.post(
    '/agents/:id/integrations/:kind/provision',
    {
      config: { scope: 'skills:write' },
      schema: {
        tags: ['skills'],
        summary:
          "Add a provider's actions to the draft as skills (all important ones when none are named); idempotent",
        params: AgentKindParams,
        body: Type.Optional(ActionsBody),
        response: { 200: Envelope(Type.Array(ProvisionResult)), ...problemResponses },
      },
    },
    async (req) =>
      ok(await s.provisioning.provision(orgOf(req), req.params.id, req.params.kind, req.body?.actions)),
  );

  app.delete(
    '/agents/:id/integrations/:kind/provision',
    {
      config: { scope: 'skills:write' },
      schema: {
        tags: ['skills'],
        summary: "Remove a provider's provisioned skills from the draft",
        params: AgentKindParams,
        body: Type.Optional(ActionsBody),
        response: { 200: Envelope(Type.Object({ removed: Type.Integer() })), ...problemResponses },
      },
    },
    async (req) =>
      ok(await s.provisioning.unprovision(orgOf(req), req.params.id, req.params.kind, req.body?.actions)),
  );
};
