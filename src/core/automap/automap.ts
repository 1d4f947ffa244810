/**
 * Auto-map (SPEC §7): a plain-language goal → the same binding an operator would write, validated by
 * the same binder. Offline and deterministic by default: the domain lexicon and the discovered
 * schema's index (automap-catalog.ts, built once per discovered schema) decide. It is honest about
 * doubt: below the configured confidence it refuses (422 goal_not_mappable) with the ranked
 * candidates and the index that would make the natural lookup bindable, never a silent substitute;
 * a saved proposal is enabled only when asked and confident; `dryRun` shows it without saving; the
 * same goal twice returns the draft it already made. When an OpenAI-compatible model is configured
 * it picks among the candidates the binder accepted (automap-llm.ts); it never adds one.
 */
import { AppError } from '../../errors.ts';
import type { BindingResult, Bindings, BindingTarget, SchemaIndex } from '../bindings/index.ts';
import { validateWith } from '../bindings/index.ts';
import { buildCandidates, type Candidate, type Near } from './candidates.ts';
import { catalogOf } from './catalog.ts';
import { type Goal, parseGoal } from './goal.ts';
import { chooseWithLlm, LLM_MAX_CANDIDATES, type LlmSettings } from './llm.ts';

/** Below this (FLOWYTE_AUTOMAP_MIN_CONFIDENCE) a goal is refused rather than guessed. */
export const DEFAULT_MIN_CONFIDENCE = 0.6;
/** A read is enabled on request only at or above this confidence (and never below the minimum). */
export const ENABLE_CONFIDENCE = 0.75;

export interface AutomapResult extends Omit<BindingResult, 'skill'> {
  /** The saved skill; null on a dry run. */
  skill: BindingResult['skill'] | null;
  /** False when the same goal had already made this draft (it is returned, not made again). */
  created: boolean;
  dryRun: boolean;
  explanation: string;
  /** One sentence per choice (object, filter, outputs, enabling), each checkable against the goal. */
  choices: string[];
  confidence: number;
  alternatives: { toolName: string; operation: string; confidence: number; binding: Candidate['body'] }[];
  /** Who put the saved candidate first: the built-in vocabulary, or the configured model. */
  rankedBy: 'vocabulary' | 'llm';
}

export interface Proposal {
  goal: Goal;
  /** Candidates the binder accepts, best first. */
  valid: Candidate[];
  near: Near[];
  /** How many candidates were built before validation. */
  built: number;
}

/** The pure part: goal + scoped schema → ranked valid candidates and what almost fitted. */
export function propose(index: SchemaIndex, target: BindingTarget, text: string): Proposal {
  const goal = parseGoal(text);
  const { candidates, near } = buildCandidates(catalogOf(index.schema), goal);
  // Only candidates the binder accepts are offered; the binder is the one judge of validity.
  const valid = candidates.filter((c) => validateWith(index, c.body, target).problems.list.length === 0);
  return { goal, valid, near, built: candidates.length };
}

/** The 422 a goal gets when nothing fits well enough: ranked candidates and index hints. */
export function notMappable(
  kind: string,
  text: string,
  p: Proposal,
  target: BindingTarget,
  minConfidence: number,
): AppError {
  const hints = p.near.slice(0, 6).map((n) => ({
    object: n.object,
    ...(n.field ? { field: n.field } : {}),
    note: n.note,
    ...(n.column && target.indexHint
      ? { createIndex: target.indexHint(n.column.object, n.column.field) }
      : {}),
  }));
  const ranked = p.valid.slice(0, 4).map((c) => ({
    object: c.body.operation.slice(0, c.body.operation.lastIndexOf('.')),
    operation: c.body.operation,
    confidence: c.confidence,
    note: c.explanation.join(' '),
    binding: c.body,
  }));
  const best = p.valid[0];
  const why = best
    ? `the best reading (${best.body.operation}, confidence ${best.confidence}) is below ${minConfidence}`
    : `nothing in the discovered ${kind} schema fits`;
  const index = hints.find((h) => 'createIndex' in h);
  return new AppError(
    'goal_not_mappable',
    `${why} for "${text.slice(0, 200)}"${index ? `; ${index.note} (${(index as { createIndex: string }).createIndex})` : ''}`,
    { extensions: { intent: p.goal.intent, minConfidence, candidates: [...hints, ...ranked].slice(0, 8) } },
  );
}

export class Automap {
  constructor(
    private readonly bindings: Bindings,
    private readonly llm: LlmSettings | null = null,
    private readonly minConfidence = DEFAULT_MIN_CONFIDENCE,
  ) {}

  async create(
    orgId: string,
    agentId: string,
    kind: string,
    input: { goal: string; enabled?: boolean; dryRun?: boolean },
  ): Promise<AutomapResult> {
    const { index, target } = await this.bindings.context(orgId, agentId, kind);
    const p = propose(index, target, input.goal);
    if (!p.valid.length) throw notMappable(kind, input.goal, p, target, this.minConfidence);
    const { ordered, rankedBy, note } = await this.rank(input.goal, p.valid);
    const [best, ...rest] = ordered;
    if (best.confidence < this.minConfidence)
      throw notMappable(kind, input.goal, { ...p, valid: ordered }, target, this.minConfidence);
    const confident = best.confidence >= Math.max(this.minConfidence, ENABLE_CONFIDENCE);
    const enable = input.enabled === true && confident;
    const choices = [...best.explanation];
    if (input.enabled === true && !confident)
      choices.push(
        `Left disabled although enabling was asked: confidence ${best.confidence} is below ${ENABLE_CONFIDENCE}; review it and enable it by hand.`,
      );
    const prepared = await this.bindings.prepare(orgId, agentId, kind, { ...best.body, enabled: enable });
    let created = false;
    let result: Omit<BindingResult, 'skill'> & { skill: BindingResult['skill'] | null };
    if (input.dryRun) {
      result = { skill: null, binding: prepared.binding, compiled: prepared.compiled };
      choices.push('Dry run: nothing was saved.');
    } else {
      const existing = await this.bindings.existing(orgId, agentId, prepared);
      if (existing) {
        result = existing;
        choices.push(`This goal already made ${existing.skill.name}; it is returned as it is.`);
      } else {
        result = await this.save(orgId, agentId, prepared);
        created = true;
      }
    }
    return {
      ...result,
      created,
      dryRun: input.dryRun === true,
      explanation: choices.join(' ') + note,
      choices,
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
    // The model chooses among the readings confident enough to save; it cannot rescue a weak one.
    const offered = valid.filter((c) => c.confidence >= this.minConfidence);
    if (!this.llm || offered.length < 2) return builtIn;
    const pick = await chooseWithLlm(this.llm, goal, offered);
    if (!pick) {
      return {
        ...builtIn,
        note: ' (the language model gave no usable answer; ranked by the built-in vocabulary)',
      };
    }
    const shown = Math.min(offered.length, LLM_MAX_CANDIDATES);
    const chosen = offered[pick.index];
    return {
      ordered: [chosen, ...valid.filter((c) => c !== chosen)],
      rankedBy: 'llm' as const,
      note: ` ${this.llm.model} chose it among ${shown} valid candidates${pick.why ? `: ${pick.why}` : '.'}`,
    };
  }

  /** Saves under the candidate's tool name, or `_2`, `_3`… when the agent has another skill by it. */
  private async save(
    orgId: string,
    agentId: string,
    prepared: Awaited<ReturnType<Bindings['prepare']>>,
  ): Promise<BindingResult> {
    const taken = new Set((await this.bindings.skillNames(orgId, agentId)) ?? []);
    const base = prepared.skill.name;
    let name = base;
    for (let i = 2; taken.has(name); i++) name = `${base.slice(0, 60)}_${i}`;
    return this.bindings.store(orgId, agentId, {
      ...prepared,
      skill: { ...prepared.skill, name },
      binding: { ...prepared.binding, toolName: name },
    });
  }
}
