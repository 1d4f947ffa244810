/** Serving published skills: the tool list an agent framework loads, and invoking one tool. */
import { performance } from 'node:perf_hooks';
import { lruCache } from '../../cache-limits.ts';
import { AppError, isAppError } from '../../errors.ts';
import { newId, nowIso } from '../../ids.ts';
import type { Store } from '../../store/db.ts';
import { type ExecutionFilter, listExecutions } from '../../store/executions.ts';
import type { AgentVersionsTable, SkillsTable } from '../../store/schema.ts';
import type { Agents, LivePointers, Versions } from '../agents/index.ts';
import type { SkillReview } from '../bindings/index.ts';
import { encodeCursor, fieldErrorsOf } from '../shared/index.ts';
import type { SkillExecutor } from '../skills/index.ts';
import { ConversationLocks } from './conversation-locks.ts';
import { ExecutionLog } from './execution-log.ts';
import { missingToolError } from './missing-tool.ts';
import { redactArguments } from './redact.ts';
import {
  buildToolTable,
  type CompiledTool,
  serializedTools,
  servedTools,
  type ToolFormat,
  type ToolTable,
} from './tool-table.ts';

export interface InvokeInput {
  arguments: Record<string, unknown>;
  draft?: boolean;
  confirmed?: boolean;
  callerVerified?: boolean;
  conversationId?: string;
}

/** Told of every executed call (metrics): its skill type, error code (null when it succeeded), seconds. */
export type InvokeObserver = (skillType: string, errorCode: string | null, seconds: number) => void;

export interface InvokeContext {
  idempotencyKey?: string;
  requestId?: string;
}

export type Outcome = { result: unknown; durationMs: number };

export interface ResolvedCall {
  table: ToolTable;
  tool: CompiledTool;
  args: Record<string, unknown>;
}

/**
 * A write that timed out may still have happened at the provider: say so, so an agent checks (or
 * retries with the same Idempotency-Key) instead of blindly doing it again.
 */
function ambiguousWrite(e: unknown): unknown {
  if (!isAppError(e) || e.code !== 'provider_timeout') return e;
  // The provider knows better (a statement the database cancelled changed nothing).
  if (e.extras.extensions?.mayHaveApplied !== undefined) return e;
  return new AppError(
    'provider_timeout',
    `${e.message}; the change may have been made: check before trying again, or retry with the same Idempotency-Key`,
    { ...e.extras, extensions: { ...e.extras.extensions, mayHaveApplied: true } },
  );
}

const viewReviewErrors = (tool: CompiledTool) => tool.skill.review?.errors ?? [];

export class Runtime {
  private tables = lruCache<string, ToolTable>('toolTables');
  private readonly locks: ConversationLocks;
  readonly log: ExecutionLog;

  constructor(
    private readonly store: Store,
    private readonly agents: Agents,
    private readonly versions: Versions,
    private readonly executor: SkillExecutor,
    private readonly pointers: LivePointers,
    private readonly review?: SkillReview,
    onLogError: (e: unknown) => void = () => {},
    private readonly observe: InvokeObserver = () => {},
  ) {
    this.log = new ExecutionLog(store, onLogError);
    this.locks = new ConversationLocks(store);
  }

  /**
   * The live table of an agent (or its draft). Versions are immutable, so tables are cached by
   * version id forever; only the agent's live pointer can move, and LivePointers tracks that.
   */
  async table(orgId: string, agentId: string, draft: boolean): Promise<ToolTable> {
    if (draft) {
      await this.agents.row(orgId, agentId);
      return buildToolTable(await this.agents.skillRows(orgId, agentId), null, null);
    }
    const liveId = await this.pointers.liveVersionId(orgId, agentId);
    if (!liveId)
      throw new AppError(
        'no_published_version',
        'publish the agent before serving its tools (or use the draft)',
      );
    let table = this.tables.get(liveId);
    if (!table) {
      const v: AgentVersionsTable = await this.versions.row(orgId, agentId, liveId);
      // A frozen review note is history: whether scoping blocks a live skill is checked against
      // today's scoping (SkillReview), so lifting a block serves it again without a republish.
      const rows = (JSON.parse(v.snapshot) as SkillsTable[]).map((r) => ({ ...r, review: null }));
      table = buildToolTable(rows, v.id, v.number);
      this.tables.set(liveId, table);
    }
    return table;
  }

  async toolsBody(orgId: string, agentId: string, format: ToolFormat, draft: boolean): Promise<string> {
    const table = await this.table(orgId, agentId, draft);
    return serializedTools(table, agentId, format, await this.underReview(orgId, table));
  }

  /** The tools an agent serves (MCP tools/list): the table less the tools under review. */
  async served(orgId: string, agentId: string): Promise<CompiledTool[]> {
    const table = await this.table(orgId, agentId, false);
    return servedTools(table, await this.underReview(orgId, table));
  }

  private underReview(orgId: string, table: ToolTable): Promise<Set<string>> {
    return this.review ? this.review.blockedNames(orgId, table.bound) : Promise.resolve(new Set());
  }

  private async servable(orgId: string, agentId: string, table: ToolTable, name: string, draft: boolean) {
    const tool = table.tools.get(name);
    // Only a miss pays for reading the draft: the error says what to do (enable, publish).
    if (!tool)
      throw missingToolError(agentId, name, table, await this.agents.skillRows(orgId, agentId), draft);
    if (tool.row.review)
      throw new AppError(
        'skill_needs_review',
        `${tool.skill.name} uses an object or field the operator's scoping now blocks: an operator must save its binding again or remove it`,
        { errors: viewReviewErrors(tool) },
      );
    return tool;
  }

  /** A tool of the agent's live version (or draft) with its arguments checked: ready to run. */
  async resolve(
    orgId: string,
    agentId: string,
    name: string,
    draft: boolean,
    given: Record<string, unknown>,
  ): Promise<ResolvedCall> {
    const table = await this.table(orgId, agentId, draft);
    const tool = await this.servable(orgId, agentId, table, name, draft);
    return { table, tool, args: this.checkArguments(tool, given) };
  }

  async invoke(orgId: string, agentId: string, name: string, input: InvokeInput, ctx: InvokeContext = {}) {
    const call = await this.resolve(orgId, agentId, name, Boolean(input.draft), input.arguments ?? {});
    const { skill } = call.tool;
    if (skill.requiresVerifiedIdentity && input.callerVerified !== true) {
      throw new AppError(
        'verification_required',
        `${skill.name} may only run for a caller whose identity was verified`,
      );
    }
    if (skill.requiresConfirmation && input.confirmed !== true) {
      throw new AppError(
        'confirmation_required',
        `${skill.name} changes data: read the details back to the caller, and call again with confirmed: true once they agree`,
      );
    }
    return this.run(orgId, agentId, call, input, ctx);
  }

  /** Runs a resolved call whose gates are passed: one at a time per conversation when the tool says so. */
  run(
    orgId: string,
    agentId: string,
    call: ResolvedCall,
    input: InvokeInput,
    ctx: InvokeContext,
  ): Promise<Outcome> {
    const { table, tool, args } = call;
    const { skill } = tool;
    if (!skill.nonParallelizable) return this.execute(orgId, agentId, table, tool, args, input, ctx);
    const run = () => this.execute(orgId, agentId, table, tool, args, input, ctx);
    // One call at a time per conversation (or per tool, when no conversation is named).
    return this.locks.run(`${agentId}:${input.conversationId ?? `tool:${skill.name}`}`, run);
  }

  private checkArguments(tool: CompiledTool, given: Record<string, unknown>): Record<string, unknown> {
    if (given === null || typeof given !== 'object' || Array.isArray(given)) {
      throw new AppError('validation_error', 'arguments must be an object', {
        errors: [{ field: 'arguments', message: 'must be an object' }],
      });
    }
    const args = { ...given };
    for (const k of tool.nullable) if (!(k in args)) args[k] = null;
    if (!tool.validate(args)) {
      throw new AppError('validation_error', `the arguments do not match ${tool.skill.name}'s parameters`, {
        errors: fieldErrorsOf(tool.validate, 'arguments'),
      });
    }
    return args;
  }

  private async execute(
    orgId: string,
    agentId: string,
    table: ToolTable,
    tool: CompiledTool,
    args: Record<string, unknown>,
    input: InvokeInput,
    ctx: InvokeContext,
  ): Promise<Outcome> {
    const started = performance.now();
    let outcome: 'ok' | 'error' = 'ok';
    let errorCode: string | null = null;
    try {
      const result = await this.executor.run(orgId, tool.decoded, args, ctx);
      return { result, durationMs: Math.round((performance.now() - started) * 100) / 100 };
    } catch (e) {
      outcome = 'error';
      errorCode = isAppError(e) ? e.code : 'internal_error';
      throw tool.skill.isWrite ? ambiguousWrite(e) : e;
    } finally {
      const ms = performance.now() - started;
      this.observe(tool.row.skill_type, errorCode, ms / 1000);
      this.log.record({
        id: newId('exe'),
        org_id: orgId,
        agent_id: agentId,
        skill_id: tool.row.id,
        skill_name: tool.skill.name,
        version_id: table.versionId,
        version_number: table.versionNumber,
        outcome,
        error_code: errorCode,
        duration_ms: ms,
        arguments: JSON.stringify(redactArguments(args, tool.skill.parametersSchema)),
        conversation_id: input.conversationId ?? null,
        created_at: nowIso(),
      });
    }
  }

  async executions(
    orgId: string,
    agentId: string,
    after: string | null,
    limit: number,
    filter: ExecutionFilter = {},
  ) {
    await this.agents.row(orgId, agentId);
    await this.log.flush();
    const rows = await listExecutions(this.store, orgId, agentId, after, limit, filter);
    const items = rows.slice(0, limit).map((r) => ({
      id: r.id,
      skillId: r.skill_id,
      skillName: r.skill_name,
      version: r.version_id ? { id: r.version_id, number: r.version_number } : null,
      outcome: r.outcome,
      errorCode: r.error_code,
      durationMs: Math.round(r.duration_ms * 100) / 100,
      arguments: JSON.parse(r.arguments),
      conversationId: r.conversation_id,
      createdAt: r.created_at,
    }));
    return { items, nextCursor: rows.length > limit ? encodeCursor(items[items.length - 1].id) : null };
  }
}
