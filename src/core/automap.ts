/**
 * Auto-map (SPEC §7): a plain-language goal → the same binding an operator would write, validated by
 * the same binder and saved as a draft skill. Offline and deterministic by default: a fixed
 * vocabulary and the discovered schema decide. When an OpenAI-compatible model is configured it
 * picks among the candidates the binder accepted (automap-llm.ts); it never adds one.
 */
import { AppError, isAppError } from '../errors.ts';
import { buildCandidates, type Candidate } from './automap-candidates.ts';
import { chooseWithLlm, LLM_MAX_CANDIDATES, type LlmSettings } from './automap-llm.ts';
import { parseGoal } from './automap-match.ts';
import type { BindingResult, Bindings } from './bindings.ts';
import { validateWith } from './bindings-validate.ts';

export interface AutomapResult extends BindingResult {
  explanation: string;
  confidence: number;
  alternatives: { toolName: string; operation: string; confidence: number; binding: Candidate['body'] }[];
  /** Who put the saved candidate first: the built-in vocabulary, or the configured model. */
  rankedBy: 'vocabulary' | 'llm';
}

const NAME_TRIES = 5;

export class Automap {
  constructor(
    private readonly bindings: Bindings,
    private readonly llm: LlmSettings | null = null,
  ) {}

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
    const valid = candidates.filter((c) => validateWith(index, c.body, target).problems.list.length === 0);
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
    const { ordered, rankedBy, note } = await this.rank(input.goal, valid);
    const [best, ...rest] = ordered;
    const result = await this.save(orgId, agentId, kind, best, input.enabled === true);
    return {
      ...result,
      explanation: best.explanation.join(' ') + note,
      confidence: best.confidence,
      rankedBy,
      alternatives: rest.slice(0, 3).map((c) => ({
        toolName: c.body.toolName,
        operation: c.body.operation,
        confidence: c.confidence,
        binding: c.body,
      })),
    };
  }

  /** The built-in order, or the configured model's pick moved to the front. */
  private async rank(goal: string, valid: Candidate[]) {
    const builtIn = { ordered: valid, rankedBy: 'vocabulary' as const, note: '' };
    if (!this.llm || valid.length < 2) return builtIn;
    const pick = await chooseWithLlm(this.llm, goal, valid);
    if (!pick) {
      return {
        ...builtIn,
        note: ' (the language model gave no usable answer; ranked by the built-in vocabulary)',
      };
    }
    const shown = Math.min(valid.length, LLM_MAX_CANDIDATES);
    return {
      ordered: [valid[pick.index], ...valid.filter((_, i) => i !== pick.index)],
      rankedBy: 'llm' as const,
      note: ` ${this.llm.model} chose it among ${shown} valid candidates${pick.why ? `: ${pick.why}` : '.'}`,
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
