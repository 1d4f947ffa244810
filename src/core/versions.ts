/** Publishing: immutable numbered versions of an agent's draft, diff against the draft, rollback. */
import { AppError } from '../errors.ts';
import { newId, nowIso } from '../ids.ts';
import { setLiveVersion } from '../store/agents.ts';
import { isUniqueViolation, type Store } from '../store/db.ts';
import type { AgentVersionsTable, SkillsTable } from '../store/schema.ts';
import { getVersion, insertVersion, latestVersionNumber, listVersions } from '../store/versions.ts';
import type { Agents } from './agents.ts';
import type { LivePointers } from './live-pointers.ts';
import { encodeCursor } from './paging.ts';
import type { Skill } from './skill-model.ts';

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

export class Versions {
  constructor(
    private readonly store: Store,
    private readonly agents: Agents,
    private readonly pointers: LivePointers,
  ) {}

  /** Freezes every draft skill (with its execution config and sealed secrets) and makes it live. */
  async publish(orgId: string, agentId: string, note: string | null): Promise<VersionView> {
    await this.agents.row(orgId, agentId);
    const skills = await this.agents.skillRows(orgId, agentId);
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
        published_at: nowIso(),
      };
      try {
        await insertVersion(this.store, row);
      } catch (e) {
        if (isUniqueViolation(e)) continue;
        throw e;
      }
      await setLiveVersion(this.store, orgId, agentId, row.id, row.published_at);
      this.pointers.changed(agentId);
      return viewVersion(row, row.id);
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
    if (!v) throw new AppError('not_found', `no version ${versionId.slice(0, 64)}`);
    return v;
  }

  async get(orgId: string, agentId: string, versionId: string): Promise<VersionView & { skills: Skill[] }> {
    const agent = await this.agents.row(orgId, agentId);
    const v = await this.row(orgId, agentId, versionId);
    const skills = (JSON.parse(v.snapshot) as SkillsTable[]).map((s) => this.agents.view(s));
    return { ...viewVersion(v, agent.live_version_id), skills };
  }

  /** What publishing the draft now would change relative to a version, field by field. */
  async diff(orgId: string, agentId: string, versionId: string) {
    await this.agents.row(orgId, agentId);
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
    return {
      versionId: v.id,
      versionNumber: v.number,
      added,
      removed,
      changed,
      identical: !added.length && !removed.length && !changed.length,
    };
  }

  /** Makes an earlier version live at once; the draft is left as it is. */
  async rollback(orgId: string, agentId: string, versionId: string): Promise<VersionView> {
    await this.agents.row(orgId, agentId);
    const v = await this.row(orgId, agentId, versionId);
    await setLiveVersion(this.store, orgId, agentId, v.id, nowIso());
    this.pointers.changed(agentId);
    return viewVersion(v, v.id);
  }
}
