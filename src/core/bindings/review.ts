/**
 * Scoping after binding: when an operator blocks an object or field that saved bindings use, those
 * skills are marked for review (left out of the tools, refused at invoke) until their binding is
 * saved again or they are removed. The check is the binder's own validation against the scoped
 * schema, so "blocked" means exactly what refuses a new binding.
 */
import { lruCache } from '../../cache-limits.ts';
import { AppError, type FieldError } from '../../errors.ts';
import { nowIso } from '../../ids.ts';
import { getConnection } from '../../store/connections.ts';
import type { Store } from '../../store/db.ts';
import type { ConnectionsTable, SkillsTable } from '../../store/schema.ts';
import { updateSkill } from '../../store/skills.ts';
import type { Discovery, Scoping } from '../connections/index.ts';
import type { SkillReviewNote, SkillSource } from '../skills/index.ts';
import type { BindingBody, BindingTarget } from './model.ts';
import { SchemaIndex } from './resolve.ts';
import { validateWith } from './validate.ts';

export interface AffectedSkill {
  id: string;
  agentId: string;
  name: string;
  errors: FieldError[];
}

const REASON = "the operator's scoping now blocks an object or field this skill's binding uses";

/** What keeps a bound skill from fitting the scoped schema; [] when it still fits. */
function problemsOf(index: SchemaIndex, target: BindingTarget | undefined, row: SkillsTable): FieldError[] {
  const source = JSON.parse(row.source) as SkillSource;
  if (row.binding && target) {
    const v = validateWith(index, JSON.parse(row.binding) as BindingBody, target);
    if (v.problems.list.length) return v.problems.list.slice(0, 20);
    return v.plan ? [] : [{ field: 'operation', message: REASON }];
  }
  // Saved before bindings were kept (migration 011): the operation itself must still be visible.
  if (source.binding && !index.operation(source.binding))
    return [{ field: 'operation', message: `"${source.binding}" is hidden by the operator's scoping` }];
  return [];
}

export class SkillReview {
  /** Verdicts by skill content and scoping: both only change by writing a new value. */
  private verdicts = lruCache<string, FieldError[]>('reviewVerdicts');

  constructor(
    private readonly store: Store,
    private readonly discovery: Discovery,
  ) {}

  /** Replaces a connection's scoping and marks (or clears) the bound skills it affects. */
  async setScoping(
    orgId: string,
    kind: string,
    scoping: Scoping,
  ): Promise<Scoping & { affectedSkills: AffectedSkill[] }> {
    const clean = await this.discovery.setScoping(orgId, kind, scoping);
    return { ...clean, affectedSkills: await this.recheck(orgId, kind) };
  }

  /** The bound skills of a kind that need review today, as marked on the drafts. */
  async underReview(orgId: string, kind: string): Promise<AffectedSkill[]> {
    return (await this.boundSkills(orgId, kind))
      .filter((r) => r.review)
      .map((r) => ({
        id: r.id,
        agentId: r.agent_id,
        name: r.name,
        errors: (JSON.parse(r.review!) as SkillReviewNote).errors,
      }));
  }

  /**
   * Checks every bound draft skill of the kind against the scoped schema: those that no longer fit
   * are marked, those that fit again (the block was lifted) are cleared.
   */
  private async recheck(orgId: string, kind: string): Promise<AffectedSkill[]> {
    const { schema, scoping, provider } = await this.discovery.scopedSchema(orgId, kind);
    const index = new SchemaIndex(schema, scoping);
    const affected: AffectedSkill[] = [];
    const now = nowIso();
    for (const row of await this.boundSkills(orgId, kind)) {
      const errors = problemsOf(index, provider.bindingTarget, row);
      if (errors.length) {
        affected.push({ id: row.id, agentId: row.agent_id, name: row.name, errors });
        const since = row.review ? (JSON.parse(row.review) as SkillReviewNote).since : now;
        const review = JSON.stringify({ reason: REASON, errors, since } satisfies SkillReviewNote);
        if (review !== row.review) await updateSkill(this.store, orgId, row.id, { review, updated_at: now });
      } else if (row.review) {
        await updateSkill(this.store, orgId, row.id, { review: null, updated_at: now });
      }
    }
    return affected;
  }

  private async boundSkills(orgId: string, kind: string): Promise<SkillsTable[]> {
    const rows = await this.store.db.selectFrom('skills').selectAll().where('org_id', '=', orgId).execute();
    return rows.filter((r) => {
      const source = JSON.parse(r.source) as SkillSource;
      return source.kind === kind && source.binding !== undefined;
    });
  }

  /**
   * Refuses a bound skill (of any version, the live one included) whose binding the connection's
   * current scoping blocks. Free when the connection has no scoping; else one cached verdict.
   */
  async refuseIfBlocked(orgId: string, row: SkillsTable, connection: ConnectionsTable): Promise<void> {
    const errors = await this.problems(orgId, row, connection);
    if (errors.length)
      throw new AppError(
        'skill_needs_review',
        `${row.name} uses an object or field the operator's scoping now blocks: an operator must save its binding again or remove it`,
        { errors },
      );
  }

  /** Names of the bound tools (of any version) the current scoping blocks: left out of tool lists. */
  async blockedNames(orgId: string, bound: { row: SkillsTable }[]): Promise<Set<string>> {
    const names = new Set<string>();
    if (!bound.length) return names;
    const connections = new Map<string, ConnectionsTable | undefined>();
    for (const { row } of bound) {
      if (row.review) {
        names.add(row.name);
        continue;
      }
      const kind = (JSON.parse(row.source) as SkillSource).kind;
      if (!connections.has(kind)) connections.set(kind, await getConnection(this.store, orgId, kind));
      const connection = connections.get(kind);
      if (connection?.scoping && (await this.problems(orgId, row, connection)).length) names.add(row.name);
    }
    return names;
  }

  async problems(orgId: string, row: SkillsTable, connection: ConnectionsTable): Promise<FieldError[]> {
    if (row.review) return (JSON.parse(row.review) as SkillReviewNote).errors;
    if (!connection.scoping) return [];
    const source = JSON.parse(row.source) as SkillSource;
    if (!source.binding) return [];
    const key = `${row.id}|${row.updated_at}|${connection.id}|${connection.last_discovered_at}|${connection.scoping}`;
    let errors = this.verdicts.get(key);
    if (!errors) {
      const { schema, scoping, provider } = await this.discovery.scopedSchema(orgId, source.kind);
      errors = problemsOf(new SchemaIndex(schema, scoping), provider.bindingTarget, row);
      this.verdicts.set(key, errors);
    }
    return errors;
  }
}
