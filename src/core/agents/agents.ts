/** Agents and their draft skills: create, list, read, patch (optimistic revision), delete. */
import { AppError } from '../../errors.ts';
import { newId, nowIso } from '../../ids.ts';
import { deleteAgent, getAgent, insertAgent, listAgents, updateAgent } from '../../store/agents.ts';
import { isUniqueViolation, type Store } from '../../store/db.ts';
import { meanDurationBySkill } from '../../store/executions.ts';
import type { AgentsTable, SkillsTable } from '../../store/schema.ts';
import { deleteSkills, getSkill, insertSkill, listSkills, updateSkill } from '../../store/skills.ts';
import { compile, toPage } from '../shared/index.ts';
import type { SkillKinds } from '../skills/index.ts';
import {
  checkSkillType,
  type ErrorHandling,
  HAND_MADE_TYPES,
  type JsonSchemaObject,
  type Skill,
  type SkillProfile,
  strictParametersSchema,
  strictSchemaErrors,
  toolNameOf,
  viewSkill,
} from '../skills/index.ts';
import type { LivePointers } from './live-pointers.ts';
import {
  type Agent,
  type AgentInput,
  type AgentPatch,
  PROFILE_FIELDS,
  viewAgent,
  withProfile,
} from './model.ts';

export {
  type Agent,
  type AgentInput,
  type AgentPatch,
  type AgentProfile,
  DEFAULT_PROFILE,
  PROFILE_FIELDS,
  profileOf,
  viewAgent,
} from './model.ts';

export interface SkillInput {
  /** A tool name, or a human name turned into one (kept as the title). */
  name: string;
  description: string;
  skillType: string;
  /**
   * Flowyte's plain JSON Schema or the strict form; absent = no parameters. Untrusted: checked
   * against the strict tool-schema rules before it is stored.
   */
  parametersSchema?: Record<string, unknown>;
  /** Flowyte's list of required parameters; the others become optional (admit null). */
  requiredParams?: string[];
  executionConfig?: Record<string, unknown>;
  channels?: string[];
  errorHandling?: ErrorHandling;
  isWrite?: boolean;
  requiresConfirmation?: boolean;
  nonParallelizable?: boolean;
  requiresVerifiedIdentity?: boolean;
  isEnabled?: boolean;
}

export type SkillPatch = Partial<Omit<SkillInput, 'skillType' | 'isWrite' | 'requiredParams'>>;

/** A new skill row, before it is stored: what provisioning, bindings, packs and hand-made skills share. */
export interface NewSkill {
  name: string;
  description: string;
  skillType: string;
  source: Record<string, unknown>;
  parametersSchema: JsonSchemaObject;
  executionConfig: Record<string, unknown>;
  secrets?: Record<string, unknown> | null;
  compiled?: unknown;
  isWrite: boolean;
  requiresConfirmation: boolean;
  nonParallelizable: boolean;
  requiresVerifiedIdentity: boolean;
  isEnabled: boolean;
  /** Title, channels, error handling (Flowyte's fields); absent = defaults. */
  profile?: SkillProfile;
  /** The binding body a bound skill was saved from, kept to check it again when scoping changes. */
  binding?: unknown;
}

export function checkParametersSchema(schema: unknown): void {
  const errors = strictSchemaErrors(schema);
  if (errors.length === 0) {
    try {
      compile(schema as Record<string, unknown>);
    } catch (e) {
      errors.push({
        field: 'parametersSchema',
        message: `is not a valid JSON Schema: ${(e as Error).message.slice(0, 200)}`,
      });
    }
  }
  if (errors.length)
    throw new AppError('validation_error', 'parametersSchema does not follow the strict tool-schema rules', {
      errors,
    });
}

export class Agents {
  constructor(
    private readonly store: Store,
    private readonly kinds: SkillKinds,
    readonly pointers: LivePointers,
  ) {}

  async create(orgId: string, input: AgentInput): Promise<Agent> {
    const now = nowIso();
    const row: AgentsTable = {
      id: newId('agt'),
      org_id: orgId,
      name: input.name,
      description: input.description ?? null,
      revision: 1,
      live_version_id: null,
      profile: JSON.stringify(withProfile(null, input)),
      created_at: now,
      updated_at: now,
    };
    await insertAgent(this.store, row);
    return viewAgent(row);
  }

  async list(orgId: string, after: string | null, limit: number) {
    const rows = await listAgents(this.store, orgId, after, limit);
    const { items, nextCursor } = toPage(rows, limit, (r) => r.id);
    return { items: items.map(viewAgent), nextCursor };
  }

  /** The agent row, or 404 — also for another organization's agent, which must look nonexistent. */
  async row(orgId: string, id: string): Promise<AgentsTable> {
    const row = await getAgent(this.store, orgId, id);
    if (!row)
      throw new AppError(
        'not_found',
        `there is no agent ${id.slice(0, 64)} in this organization; GET /api/v1/agents lists them`,
      );
    return row;
  }

  async get(orgId: string, id: string): Promise<Agent> {
    return viewAgent(await this.row(orgId, id));
  }

  async patch(orgId: string, id: string, patch: AgentPatch, ifMatch: number | null): Promise<Agent> {
    const current = await this.row(orgId, id);
    if (ifMatch !== null && ifMatch !== current.revision) {
      // As Flowyte documents it: the current version and agent, so the client can rebase and retry.
      throw new AppError(
        'revision_mismatch',
        `the agent is at version ${current.revision}, not ${ifMatch}; reload and retry`,
        {
          extensions: {
            currentVersion: current.revision,
            currentRevision: current.revision,
            agent: viewAgent(current),
          },
        },
      );
    }
    const set: Parameters<typeof updateAgent>[4] = { updated_at: nowIso() };
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.description !== undefined) set.description = patch.description;
    if (PROFILE_FIELDS.some((f) => patch[f] !== undefined))
      set.profile = JSON.stringify(withProfile(current.profile, patch));
    const ok = await updateAgent(this.store, orgId, id, current.revision, set);
    if (!ok)
      throw new AppError(
        'revision_mismatch',
        'the agent changed while this request was applied; reload and retry',
      );
    return this.get(orgId, id);
  }

  async remove(orgId: string, id: string): Promise<{ deleted: true }> {
    if (!(await deleteAgent(this.store, orgId, id)))
      throw new AppError(
        'not_found',
        `there is no agent ${id.slice(0, 64)} in this organization; GET /api/v1/agents lists them`,
      );
    await this.pointers.changed(id);
    return { deleted: true };
  }

  // ---------- draft skills ----------

  view(row: SkillsTable): Skill {
    return viewSkill(row);
  }

  /** Views with `expectedLatencyMs` measured from each skill's recorded calls. */
  async viewMany(orgId: string, rows: SkillsTable[]): Promise<Skill[]> {
    const latency = await meanDurationBySkill(
      this.store,
      orgId,
      rows.map((r) => r.id),
    );
    return rows.map((r) => viewSkill(r, latency.get(r.id) ?? null));
  }

  async skills(orgId: string, agentId: string): Promise<Skill[]> {
    await this.row(orgId, agentId);
    return this.viewMany(orgId, await listSkills(this.store, orgId, agentId));
  }

  async skillRows(orgId: string, agentId: string): Promise<SkillsTable[]> {
    return listSkills(this.store, orgId, agentId);
  }

  /** Stores a new draft skill; a taken tool name is a 409 naming the name. */
  async insert(orgId: string, agentId: string, skill: NewSkill): Promise<SkillsTable> {
    const now = nowIso();
    const id = newId('skl');
    const row: SkillsTable = {
      id,
      org_id: orgId,
      agent_id: agentId,
      name: skill.name,
      description: skill.description,
      skill_type: skill.skillType,
      source: JSON.stringify(skill.source),
      parameters_schema: JSON.stringify(skill.parametersSchema),
      execution_config: JSON.stringify(skill.executionConfig),
      secrets: skill.secrets ? this.kinds.sealSecrets(orgId, id, skill.secrets) : null,
      compiled: skill.compiled === undefined ? null : JSON.stringify(skill.compiled),
      is_write: skill.isWrite ? 1 : 0,
      requires_confirmation: skill.requiresConfirmation ? 1 : 0,
      non_parallelizable: skill.nonParallelizable ? 1 : 0,
      requires_verified_identity: skill.requiresVerifiedIdentity ? 1 : 0,
      is_enabled: skill.isEnabled ? 1 : 0,
      profile: skill.profile && Object.keys(skill.profile).length ? JSON.stringify(skill.profile) : null,
      binding: skill.binding === undefined ? null : JSON.stringify(skill.binding),
      review: null,
      created_at: now,
      updated_at: now,
    };
    try {
      await insertSkill(this.store, row);
    } catch (e) {
      if (isUniqueViolation(e))
        throw new AppError('skill_name_taken', `this agent already has a skill named ${skill.name}`);
      throw e;
    }
    return row;
  }

  /**
   * A skill made by hand (an http_webhook) from Flowyte's documented body. Writes always land
   * disabled until an operator enables them. The signing secret, made here, is a field of the
   * returned Skill: shown this once.
   */
  async createSkill(
    orgId: string,
    agentId: string,
    input: SkillInput,
  ): Promise<Skill & { signingSecret?: string }> {
    await this.row(orgId, agentId);
    checkSkillType(input.skillType);
    if (!(HAND_MADE_TYPES as readonly string[]).includes(input.skillType))
      throw new AppError(
        'validation_error',
        `skills of type ${input.skillType} are created by provisioning, bindings or packs`,
        { errors: [{ field: 'skillType', message: `by hand: ${HAND_MADE_TYPES.join(', ')}` }] },
      );
    const { name, title } = toolNameOf(input.name);
    const parametersSchema = strictParametersSchema(input.parametersSchema, input.requiredParams);
    checkParametersSchema(parametersSchema);
    const prepared = this.kinds.prepareHandMade(input.skillType, input.executionConfig ?? {});
    const isWrite = Boolean(input.isWrite);
    const profile: SkillProfile = {};
    if (title) profile.title = title;
    if (input.channels) profile.channels = [...new Set(input.channels)];
    if (input.errorHandling) profile.errorHandling = input.errorHandling;
    const row = await this.insert(orgId, agentId, {
      name,
      description: input.description,
      skillType: input.skillType,
      source: { kind: input.skillType },
      profile,
      parametersSchema,
      executionConfig: prepared.config,
      secrets: prepared.secrets,
      isWrite,
      requiresConfirmation: input.requiresConfirmation ?? isWrite,
      nonParallelizable: input.nonParallelizable ?? isWrite,
      requiresVerifiedIdentity: input.requiresVerifiedIdentity ?? false,
      isEnabled: isWrite ? false : (input.isEnabled ?? true),
    });
    return { ...this.view(row), ...(prepared.shownOnce ?? {}) };
  }

  async patchSkill(orgId: string, agentId: string, skillId: string, patch: SkillPatch): Promise<Skill> {
    await this.row(orgId, agentId);
    const row = await getSkill(this.store, orgId, agentId, skillId);
    if (!row)
      throw new AppError(
        'not_found',
        `this agent's draft has no skill ${skillId.slice(0, 64)}; GET /api/v1/agents/{id}/skills lists them`,
      );
    const set: Partial<SkillsTable> = { updated_at: nowIso() };
    const profile = (row.profile ? JSON.parse(row.profile) : {}) as SkillProfile;
    let profileChanged = false;
    if (patch.name !== undefined) {
      // As at creation: a name a person wrote becomes a tool name and the title.
      const { name, title } = toolNameOf(patch.name);
      set.name = name;
      if (title) profile.title = title;
      else delete profile.title;
      profileChanged = true;
    }
    if (patch.description !== undefined) set.description = patch.description;
    if (patch.parametersSchema !== undefined) {
      const strict = strictParametersSchema(patch.parametersSchema);
      checkParametersSchema(strict);
      set.parameters_schema = JSON.stringify(strict);
    }
    if (patch.executionConfig !== undefined) {
      const updated = this.kinds.patchConfig(orgId, row, patch.executionConfig);
      set.execution_config = JSON.stringify(updated.config);
      if (updated.secrets !== undefined) set.secrets = updated.secrets;
    }
    if (patch.requiresConfirmation !== undefined)
      set.requires_confirmation = patch.requiresConfirmation ? 1 : 0;
    if (patch.nonParallelizable !== undefined) set.non_parallelizable = patch.nonParallelizable ? 1 : 0;
    if (patch.requiresVerifiedIdentity !== undefined)
      set.requires_verified_identity = patch.requiresVerifiedIdentity ? 1 : 0;
    if (patch.channels !== undefined) profile.channels = [...new Set(patch.channels)];
    if (patch.errorHandling !== undefined) profile.errorHandling = patch.errorHandling;
    if (profileChanged || patch.channels !== undefined || patch.errorHandling !== undefined)
      set.profile = JSON.stringify(profile);
    if (patch.isEnabled !== undefined) {
      if (patch.isEnabled) this.kinds.assertRunnable({ ...row, ...set });
      set.is_enabled = patch.isEnabled ? 1 : 0;
    }
    try {
      await updateSkill(this.store, orgId, skillId, set);
    } catch (e) {
      if (isUniqueViolation(e))
        throw new AppError('skill_name_taken', `this agent already has a skill named ${patch.name}`);
      throw e;
    }
    return (await this.viewMany(orgId, [{ ...row, ...set }]))[0];
  }

  /** One draft skill row of an agent, or 404. */
  async skillRow(orgId: string, agentId: string, skillId: string): Promise<SkillsTable> {
    await this.row(orgId, agentId);
    const row = await getSkill(this.store, orgId, agentId, skillId);
    if (!row) throw new AppError('not_found', `no skill ${skillId.slice(0, 64)}`);
    return row;
  }

  /**
   * A bound skill saved again in place (same id): what it runs and how it is gated come from the new
   * binding; the operator's own settings (execution config) stay; any review note is cleared.
   */
  async replaceBound(orgId: string, existing: SkillsTable, skill: NewSkill): Promise<SkillsTable> {
    const set: Partial<SkillsTable> = {
      name: skill.name,
      description: skill.description,
      skill_type: skill.skillType,
      source: JSON.stringify(skill.source),
      parameters_schema: JSON.stringify(skill.parametersSchema),
      execution_config: JSON.stringify({
        ...skill.executionConfig,
        ...(JSON.parse(existing.execution_config) as Record<string, unknown>),
      }),
      compiled: skill.compiled === undefined ? null : JSON.stringify(skill.compiled),
      is_write: skill.isWrite ? 1 : 0,
      requires_confirmation: skill.requiresConfirmation ? 1 : 0,
      non_parallelizable: skill.nonParallelizable ? 1 : 0,
      requires_verified_identity: skill.requiresVerifiedIdentity ? 1 : 0,
      is_enabled: skill.isEnabled ? 1 : 0,
      binding: skill.binding === undefined ? null : JSON.stringify(skill.binding),
      review: null,
      updated_at: nowIso(),
    };
    try {
      await updateSkill(this.store, orgId, existing.id, set);
    } catch (e) {
      if (isUniqueViolation(e))
        throw new AppError('skill_name_taken', `this agent already has a skill named ${skill.name}`);
      throw e;
    }
    return { ...existing, ...set };
  }

  /** Keeps the name a person wrote (a binding's `toolName` with spaces) as the skill's title. */
  async setTitle(orgId: string, agentId: string, skillId: string, title: string): Promise<Skill> {
    const row = await getSkill(this.store, orgId, agentId, skillId);
    if (!row)
      throw new AppError(
        'not_found',
        `this agent's draft has no skill ${skillId.slice(0, 64)}; GET /api/v1/agents/{id}/skills lists them`,
      );
    const profile = (row.profile ? JSON.parse(row.profile) : {}) as SkillProfile;
    const set = { profile: JSON.stringify({ ...profile, title }) };
    await updateSkill(this.store, orgId, skillId, set);
    return this.view({ ...row, ...set });
  }

  async deleteSkill(orgId: string, agentId: string, skillId: string): Promise<{ deleted: true }> {
    await this.row(orgId, agentId);
    if ((await deleteSkills(this.store, orgId, agentId, [skillId])) === 0)
      throw new AppError(
        'not_found',
        `this agent's draft has no skill ${skillId.slice(0, 64)}; GET /api/v1/agents/{id}/skills lists them`,
      );
    return { deleted: true };
  }

  async removeSkills(orgId: string, agentId: string, ids: string[]): Promise<number> {
    return deleteSkills(this.store, orgId, agentId, ids);
  }
}
