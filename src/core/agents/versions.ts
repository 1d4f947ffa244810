/** Publishing: immutable numbered versions of an agent's draft, diff against the draft, rollback. */
import { AppError } from '../../errors.ts';
import { newId, nowIso } from '../../ids.ts';
import { setLiveVersion } from '../../store/agents.ts';
import { isUniqueViolation, type Store } from '../../store/db.ts';
import type { AgentsTable, AgentVersionsTable, SkillsTable } from '../../store/schema.ts';
import { getVersion, insertLiveVersion, latestVersionNumber, listVersions } from '../../store/versions.ts';
import { encodeCursor } from '../shared/index.ts';
import type { Skill } from '../skills/index.ts';
import type { Agents } from './agents.ts';
import type { LivePointers } from './live-pointers.ts';
import { PROFILE_FIELDS, profileOf } from './model.ts';

export interface VersionView {
  id: string;
  agentId: string;
  number: number;
  note: string | null;
  publishedAt: string;
  skillCount: number;
  isLive: boolean;
}

const viewVersion = (v: Omit<AgentVersionsTable, 'snapshot'>, liveId: string | null): VersionView => ({
  id: v.id,
  agentId: v.agent_id,
  number: v.number,
  note: v.note,
  publishedAt: v.published_at,
  skillCount: v.skill_count,
  isLive: v.id === liveId,
});

/** Fields compared by diff, in the order they are reported. */
const DIFF_FIELDS: (keyof Skill)[] = [
  'name',
  'description',
  'skillType',
  'source',
  'parametersSchema',
  'executionConfig',
  'isWrite',
  'requiresConfirmation',
  'nonParallelizable',
  'requiresVerifiedIdentity',
  'isEnabled',
];

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** One change between a version and the draft, as Flowyte's diff lists them. */
export interface Change {
  /** `agent.<field>`, `skills.<name>` (a whole skill) or `skills.<name>.<field>`. */
  field: string;
  before: unknown;
  after: unknown;
  kind: 'added' | 'removed' | 'changed';
}

/** A problem worth reading before publishing; never blocks it. */
export interface PublishWarning {
  code: 'no_enabled_skills' | 'enabled_unpublished' | 'write_without_confirmation' | 'needs_review';
  message: string;
  skillId?: string;
  skillName?: string;
}

/** What the agent itself contributes to a version: name, description and Flowyte's profile fields. */
const agentState = (a: AgentsTable) => ({
  name: a.name,
  description: a.description,
  ...profileOf(a.profile),
});
const AGENT_DIFF_FIELDS = ['name', 'description', ...PROFILE_FIELDS] as const;

export class Versions {
  constructor(
    private readonly store: Store,
    private readonly agents: Agents,
    private readonly pointers: LivePointers,
  ) {}

  /** Freezes every draft skill (with its execution config and sealed secrets) and makes it live. */
  async publish(
    orgId: string,
    agentId: string,
    note: string | null,
  ): Promise<VersionView & { warnings: PublishWarning[] }> {
    const agent = await this.agents.row(orgId, agentId);
    const skills = await this.agents.skillRows(orgId, agentId);
    // Publishing goes ahead; what the caller should know comes back with it.
    const warnings: PublishWarning[] = [];
    if (!skills.some((r) => r.is_enabled === 1))
      warnings.push({
        code: 'no_enabled_skills',
        message: 'no skill of this version is enabled: the agent serves no tools',
      });
    for (const r of skills)
      if (r.review)
        warnings.push({
          code: 'needs_review',
          message: `${r.name} is not served while the operator's scoping blocks what its binding uses`,
          skillId: r.id,
          skillName: r.name,
        });
    // Two publishes racing for the same number: the loser takes the next one.
    for (let attempt = 0; attempt < 5; attempt++) {
      const row: AgentVersionsTable = {
        id: newId('ver'),
        org_id: orgId,
        agent_id: agentId,
        number: (await latestVersionNumber(this.store, agentId)) + 1,
        note,
        skill_count: skills.length,
        snapshot: JSON.stringify(skills),
        agent_profile: JSON.stringify(agentState(agent)),
        published_at: nowIso(),
      };
      try {
        await insertLiveVersion(this.store, row);
      } catch (e) {
        if (isUniqueViolation(e)) continue;
        throw e;
      }
      await this.pointers.changed(agentId);
      return { ...viewVersion(row, row.id), warnings };
    }
    throw new AppError('conflict', 'too many concurrent publishes; retry');
  }

  async list(orgId: string, agentId: string, after: string | null, limit: number) {
    const agent = await this.agents.row(orgId, agentId);
    const before = after === null ? null : Number(after);
    if (before !== null && !Number.isInteger(before))
      throw new AppError('validation_error', 'the cursor is not valid');
    const rows = await listVersions(this.store, orgId, agentId, before, limit);
    const items = rows.slice(0, limit).map((r) => viewVersion(r, agent.live_version_id));
    const nextCursor = rows.length > limit ? encodeCursor(String(items[items.length - 1].number)) : null;
    return { items, nextCursor };
  }

  async row(orgId: string, agentId: string, versionId: string): Promise<AgentVersionsTable> {
    const v = await getVersion(this.store, orgId, agentId, versionId);
    if (!v)
      throw new AppError(
        'not_found',
        `this agent has no version ${versionId.slice(0, 64)}; GET /api/v1/agents/{id}/versions lists them`,
      );
    return v;
  }

  async get(
    orgId: string,
    agentId: string,
    versionId: string,
  ): Promise<VersionView & { skills: Skill[]; agent: Record<string, unknown> | null }> {
    const agent = await this.agents.row(orgId, agentId);
    const v = await this.row(orgId, agentId, versionId);
    const skills = (JSON.parse(v.snapshot) as SkillsTable[]).map((s) => this.agents.view(s));
    // The agent's fields as published (null for versions made before they were recorded).
    const frozen = v.agent_profile ? (JSON.parse(v.agent_profile) as Record<string, unknown>) : null;
    return { ...viewVersion(v, agent.live_version_id), skills, agent: frozen };
  }

  /** What publishing the draft now would change relative to a version, field by field. */
  async diff(orgId: string, agentId: string, versionId: string) {
    const agent = await this.agents.row(orgId, agentId);
    const v = await this.row(orgId, agentId, versionId);
    const frozenRows = JSON.parse(v.snapshot) as SkillsTable[];
    const draftRows = await this.agents.skillRows(orgId, agentId);
    const frozen = new Map(frozenRows.map((r) => [r.id, r]));
    const draft = new Map(draftRows.map((r) => [r.id, r]));
    const brief = (s: Skill) => ({ id: s.id, name: s.name });
    const added = draftRows.filter((r) => !frozen.has(r.id)).map((r) => brief(this.agents.view(r)));
    const removed = frozenRows.filter((r) => !draft.has(r.id)).map((r) => brief(this.agents.view(r)));
    const changed = [];
    for (const [id, before] of frozen) {
      const afterRow = draft.get(id);
      if (!afterRow) continue;
      const a = this.agents.view(before);
      const b = this.agents.view(afterRow);
      const fields = DIFF_FIELDS.filter((f) => !same(a[f], b[f])).map((f) => ({
        field: f,
        from: a[f],
        to: b[f],
      }));
      // Secret values are never shown, only that they changed.
      if (before.secrets !== afterRow.secrets)
        fields.push({ field: 'secrets' as keyof Skill, from: '[sealed]', to: '[sealed]' });
      if (fields.length) changed.push({ ...brief(b), fields });
    }
    const changes: Change[] = [];
    // The agent's own fields, where the version recorded them (versions before migration 009 did not).
    if (v.agent_profile) {
      const before = JSON.parse(v.agent_profile) as Record<string, unknown>;
      const after = agentState(agent) as Record<string, unknown>;
      for (const f of AGENT_DIFF_FIELDS) {
        const b = before[f] ?? null;
        const a = after[f] ?? null;
        if (same(b, a)) continue;
        changes.push({
          field: `agent.${f}`,
          before: b,
          after: a,
          kind: b === null ? 'added' : a === null ? 'removed' : 'changed',
        });
      }
    }
    for (const r of draftRows.filter((x) => !frozen.has(x.id)))
      changes.push({ field: `skills.${r.name}`, before: null, after: this.agents.view(r), kind: 'added' });
    for (const r of frozenRows.filter((x) => !draft.has(x.id)))
      changes.push({ field: `skills.${r.name}`, before: this.agents.view(r), after: null, kind: 'removed' });
    for (const c of changed)
      for (const f of c.fields)
        changes.push({
          field: `skills.${c.name}.${String(f.field)}`,
          before: f.from,
          after: f.to,
          kind: 'changed',
        });
    return {
      changes,
      versionId: v.id,
      versionNumber: v.number,
      added,
      removed,
      changed,
      identical: changes.length === 0,
    };
  }

  /**
   * Before publishing: every draft skill with what it sends where (its dataEgressMap), the disabled
   * and the unpublished ones, writes that run without confirmation, and warnings.
   */
  async prepublishReport(orgId: string, agentId: string) {
    const agent = await this.agents.row(orgId, agentId);
    const rows = await this.agents.skillRows(orgId, agentId);
    const live = agent.live_version_id
      ? await getVersion(this.store, orgId, agentId, agent.live_version_id)
      : null;
    const liveRows = new Map(
      ((live ? JSON.parse(live.snapshot) : []) as SkillsTable[]).map((r) => [r.id, r]),
    );
    const skills = (await this.agents.viewMany(orgId, rows)).map((s, i) => {
      const frozen = liveRows.get(s.id);
      // Published: live as it stands in the draft (the same row content, secrets included).
      const published = frozen !== undefined && same(frozen, rows[i]);
      return {
        id: s.id,
        name: s.name,
        skillType: s.skillType,
        isEnabled: s.isEnabled,
        needsReview: s.needsReview,
        isWrite: s.isWrite,
        requiresConfirmation: s.requiresConfirmation,
        published,
        sends: s.dataEgressMap,
      };
    });
    const warnings: PublishWarning[] = [];
    if (!skills.some((s) => s.isEnabled))
      warnings.push({
        code: 'no_enabled_skills',
        message: 'no skill is enabled: publishing now would serve no tools',
      });
    for (const s of skills) {
      if (s.isEnabled && !s.published)
        warnings.push({
          code: 'enabled_unpublished',
          message: `${s.name} is enabled in the draft but not live as it stands: publish to serve it`,
          skillId: s.id,
          skillName: s.name,
        });
      if (s.needsReview)
        warnings.push({
          code: 'needs_review',
          message: `${s.name} is not served while the operator's scoping blocks what its binding uses: save its binding again or remove it`,
          skillId: s.id,
          skillName: s.name,
        });
      if (s.isWrite && !s.requiresConfirmation)
        warnings.push({
          code: 'write_without_confirmation',
          message: `${s.name} changes data without asking the caller to confirm`,
          skillId: s.id,
          skillName: s.name,
        });
    }
    const brief = (s: (typeof skills)[number]) => ({ id: s.id, name: s.name });
    return {
      agentId,
      publishedVersionId: agent.live_version_id,
      skills,
      disabledSkills: skills.filter((s) => !s.isEnabled).map(brief),
      unpublishedSkills: skills.filter((s) => !s.published).map(brief),
      writesWithoutConfirmation: skills.filter((s) => s.isWrite && !s.requiresConfirmation).map(brief),
      warnings,
    };
  }

  /** Makes an earlier version live at once; the draft is left as it is. */
  async rollback(orgId: string, agentId: string, versionId: string): Promise<VersionView> {
    await this.agents.row(orgId, agentId);
    const v = await this.row(orgId, agentId, versionId);
    await setLiveVersion(this.store, orgId, agentId, v.id, nowIso());
    await this.pointers.changed(agentId);
    return viewVersion(v, v.id);
  }
}
