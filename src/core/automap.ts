/**
 * Auto-map (SPEC §7): a plain-language goal → the same binding an operator would write, validated by
 * the same binder and saved as a draft skill. Offline and deterministic: a fixed vocabulary and the
 * discovered schema decide, no model is called (an optional LLM endpoint is not built).
 */
import { AppError, isAppError } from '../errors.ts';
import { buildCandidates, type Candidate } from './automap-candidates.ts';
import { parseGoal } from './automap-match.ts';
import type { BindingResult, Bindings } from './bindings.ts';
import { validateBinding } from './bindings-validate.ts';

export interface AutomapResult extends BindingResult {
  explanation: string;
  confidence: number;
  alternatives: { toolName: string; operation: string; confidence: number; binding: Candidate['body'] }[];
}

const NAME_TRIES = 5;

export class Automap {
  constructor(private readonly bindings: Bindings) {}

  async create(
    orgId: string,
    agentId: string,
    kind: string,
    input: { goal: string; enabled?: boolean },
  ): Promise<AutomapResult> {
    const { index, target } = await this.bindings.context(orgId, agentId, kind);
    const goal = parseGoal(input.goal);
    const { candidates, near, ranked } = buildCandidates(index.schema, goal);
    // Only candidates the binder accepts are offered; the binder is the one judge of validity.
    const valid = candidates.filter((c) => validateBinding(index, c.body, target).problems.list.length === 0);
    if (!valid.length) {
      const closest = [
        ...near.slice(0, 5).map((n) => ({
          object: n.object,
          ...(n.field ? { field: n.field } : {}),
          note: n.note,
          ...(n.column && target.indexHint
            ? { createIndex: target.indexHint(n.column.object, n.column.field) }
            : {}),
        })),
        ...ranked.slice(0, 3).map((m) => ({
          object: m.object.name,
          note: `${m.reason}, but no ${goal.intent === 'read' ? 'indexed column fits the lookup' : `${goal.intent} fits`}`,
        })),
      ];
      throw new AppError(
        'goal_not_mappable',
        `nothing in the discovered ${kind} schema fits "${input.goal.slice(0, 200)}"`,
        {
          extensions: { intent: goal.intent, candidates: closest.slice(0, 8) },
        },
      );
    }
    const [best, ...rest] = valid;
    const result = await this.save(orgId, agentId, kind, best, input.enabled === true);
    return {
      ...result,
      explanation: best.explanation.join(' '),
      confidence: best.confidence,
      alternatives: rest.slice(0, 3).map((c) => ({
        toolName: c.body.toolName,
        operation: c.body.operation,
        confidence: c.confidence,
        binding: c.body,
      })),
    };
  }

  /** Saves under the candidate's tool name, or `_2`, `_3`… when the agent already has it. */
  private async save(
    orgId: string,
    agentId: string,
    kind: string,
    c: Candidate,
    enabled: boolean,
  ): Promise<BindingResult> {
    for (let i = 1; ; i++) {
      const toolName = i === 1 ? c.body.toolName : `${c.body.toolName.slice(0, 60)}_${i}`;
      try {
        return await this.bindings.create(orgId, agentId, kind, { ...c.body, toolName, enabled });
      } catch (e) {
        if (!isAppError(e) || e.code !== 'skill_name_taken' || i >= NAME_TRIES) throw e;
      }
    }
  }
}
