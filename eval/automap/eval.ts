/**
 * The auto-map eval (issue 12): every goal of a goal file through the same `propose` the API uses,
 * against the discovered sample schemas, scored against what an operator expects. Shared by
 * `npm run eval:automap` (eval/automap/run.ts) and test/automap-eval.test.ts.
 */
import { readFileSync } from 'node:fs';
import {
  catalogOf,
  DEFAULT_MIN_CONFIDENCE,
  ENABLE_CONFIDENCE,
  propose,
} from '../../src/core/automap/index.ts';
import type { BindingTarget } from '../../src/core/bindings/index.ts';
import { SchemaIndex, validateWith } from '../../src/core/bindings/index.ts';
import { shopifyBindingTarget } from '../../src/providers/shopify/binding-target.ts';
import { sqlBindingTarget } from '../../src/providers/sql-common/binding-target.ts';
import type { NormalizedSchema } from '../../src/providers/types.ts';
import { type EvalDb, KIND_OF, loadSchema } from './schemas.ts';

export interface Expected {
  operation: string;
  filter: string | null;
  outputs: string[];
}

export interface EvalGoal {
  db: EvalDb;
  goal: string;
  expect: Expected | 'abstain';
}

export const TARGETS = {
  objectAt1: 0.95,
  exact: 0.8,
  validity: 1,
  abstentionRecall: 0.8,
  enabledWrong: 0,
};

export function loadGoals(file: string): EvalGoal[] {
  return (JSON.parse(readFileSync(file, 'utf8')) as { goals: EvalGoal[] }).goals;
}

const targetOf = (db: EvalDb): BindingTarget =>
  KIND_OF[db] === 'shopify' ? shopifyBindingTarget : sqlBindingTarget(KIND_OF[db] as 'postgres' | 'mysql');

export interface GoalResult {
  g: EvalGoal;
  abstained: boolean;
  operation: string | null;
  filter: string | null;
  outputs: string[];
  confidence: number;
  valid: boolean;
  objectOk: boolean;
  filterOk: boolean;
  exact: boolean;
  enabled: boolean;
  ms: number;
  explanation: string;
}

export interface EvalReport {
  results: GoalResult[];
  n: number;
  nAbstain: number;
  objectAt1: number;
  filterAccuracy: number;
  outputPrecision: number;
  outputRecall: number;
  exact: number;
  validity: number;
  abstentionPrecision: number;
  abstentionRecall: number;
  enabledWrong: number;
  brier: number;
  /** Confidence bands: how many proposals fell in each and how many of those were exactly right. */
  bands: { from: number; to: number; n: number; right: number }[];
  p50: number;
  p99: number;
}

const objectOf = (op: string | null) => (op ? op.slice(0, op.lastIndexOf('.')) : null);
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] : 0;
};

/** Loads each schema once and builds its index (as discovery does) before anything is timed. */
export async function loadSchemas(dbs: EvalDb[]): Promise<Map<EvalDb, NormalizedSchema>> {
  const out = new Map<EvalDb, NormalizedSchema>();
  for (const db of new Set(dbs)) {
    const schema = await loadSchema(db);
    catalogOf(schema);
    out.set(db, schema);
  }
  return out;
}

export function runEval(
  goals: EvalGoal[],
  schemas: Map<EvalDb, NormalizedSchema>,
  minConfidence = DEFAULT_MIN_CONFIDENCE,
): EvalReport {
  const indexes = new Map(
    [...schemas].map(([db, s]) => [db, new SchemaIndex(s, { blockedObjects: [], blockedFields: [] })]),
  );
  const results: GoalResult[] = [];
  for (const g of goals) {
    const index = indexes.get(g.db)!;
    const target = targetOf(g.db);
    const started = performance.now();
    const p = propose(index, target, g.goal);
    const ms = performance.now() - started;
    const best = p.valid[0];
    const abstained = !best || best.confidence < minConfidence;
    const b = best?.body;
    const operation = abstained ? null : b!.operation;
    const filter = abstained ? null : (b!.keyColumn ?? b!.inputs?.[0]?.arg ?? null);
    const outputs = abstained
      ? []
      : b!.inputObjectMap
        ? b!.inputObjectMap.map((m) => m.field)
        : (b!.projection ?? []).map((o) => o.path.join('.'));
    const exp = g.expect === 'abstain' ? null : g.expect;
    const objectOk = Boolean(exp && objectOf(operation) === objectOf(exp.operation));
    const filterOk = Boolean(exp && operation === exp.operation && filter === exp.filter);
    const sameSet = (a: string[], c: string[]) => a.length === c.length && a.every((x) => c.includes(x));
    const exact = Boolean(exp && filterOk && sameSet(outputs, exp.outputs));
    const valid = abstained || validateWith(index, b!, target).problems.list.length === 0;
    const enabled =
      !abstained && !b!.inputObjectMap && best!.confidence >= Math.max(minConfidence, ENABLE_CONFIDENCE);
    results.push({
      g,
      abstained,
      operation,
      filter,
      outputs,
      confidence: best?.confidence ?? 0,
      valid,
      objectOk,
      filterOk,
      exact,
      enabled,
      ms,
      explanation: best ? best.explanation.join(' ') : p.near.map((n) => n.note).join('; '),
    });
  }
  const mapped = results.filter((r) => r.g.expect !== 'abstain');
  const mustAbstain = results.filter((r) => r.g.expect === 'abstain');
  const abstained = results.filter((r) => r.abstained);
  let tp = 0;
  let predicted = 0;
  let expected = 0;
  for (const r of mapped) {
    const exp = r.g.expect as Expected;
    predicted += r.outputs.length;
    expected += exp.outputs.length;
    tp += r.outputs.filter((o) => exp.outputs.includes(o)).length;
  }
  const share = (xs: GoalResult[], f: (r: GoalResult) => boolean) =>
    xs.length ? xs.filter(f).length / xs.length : 1;
  // Calibration: the confidence against "this binding is exactly right" (abstentions: against 0/1 too).
  const brier =
    results.reduce((s, r) => {
      const right = r.g.expect === 'abstain' ? 0 : r.exact ? 1 : 0;
      return s + (r.confidence - right) ** 2;
    }, 0) / Math.max(1, results.length);
  const bands = [0, 0.6, 0.75, 0.9].map((from, k, all) => {
    const to = all[k + 1] ?? 1.01;
    const inBand = results.filter((r) => r.confidence >= from && r.confidence < to);
    return { from, to: Math.min(1, to), n: inBand.length, right: inBand.filter((r) => r.exact).length };
  });
  return {
    results,
    bands,
    n: mapped.length,
    nAbstain: mustAbstain.length,
    objectAt1: share(mapped, (r) => r.objectOk),
    filterAccuracy: share(mapped, (r) => r.filterOk),
    outputPrecision: predicted ? tp / predicted : 1,
    outputRecall: expected ? tp / expected : 1,
    exact: share(mapped, (r) => r.exact),
    validity: share(results, (r) => r.valid),
    abstentionPrecision: abstained.length
      ? abstained.filter((r) => r.g.expect === 'abstain').length / abstained.length
      : 1,
    abstentionRecall: share(mustAbstain, (r) => r.abstained),
    // An enabled binding that is not the expected lookup (wrong object or filter, or a goal that must abstain).
    enabledWrong: results.filter((r) => r.enabled && (r.g.expect === 'abstain' || !r.filterOk)).length,
    brier,
    p50: quantile(
      results.map((r) => r.ms),
      0.5,
    ),
    p99: quantile(
      results.map((r) => r.ms),
      0.99,
    ),
  };
}

export function failures(r: EvalReport): string[] {
  const out: string[] = [];
  if (r.objectAt1 < TARGETS.objectAt1) out.push(`object@1 ${pct(r.objectAt1)} < ${pct(TARGETS.objectAt1)}`);
  if (r.exact < TARGETS.exact) out.push(`exact ${pct(r.exact)} < ${pct(TARGETS.exact)}`);
  if (r.validity < TARGETS.validity) out.push(`validity ${pct(r.validity)} < 100 %`);
  if (r.abstentionRecall < TARGETS.abstentionRecall)
    out.push(`abstention recall ${pct(r.abstentionRecall)} < ${pct(TARGETS.abstentionRecall)}`);
  if (r.enabledWrong > TARGETS.enabledWrong) out.push(`${r.enabledWrong} enabled wrong binding(s)`);
  return out;
}

export const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

export function summary(r: EvalReport): string {
  return [
    `goals: ${r.n} to map, ${r.nAbstain} to abstain`,
    `object@1            ${pct(r.objectAt1)}   (target ≥ ${pct(TARGETS.objectAt1)})`,
    `filter accuracy     ${pct(r.filterAccuracy)}`,
    `output precision    ${pct(r.outputPrecision)}`,
    `output recall       ${pct(r.outputRecall)}`,
    `exact binding       ${pct(r.exact)}   (target ≥ ${pct(TARGETS.exact)})`,
    `validity            ${pct(r.validity)}   (target 100 %)`,
    `abstention precision ${pct(r.abstentionPrecision)}`,
    `abstention recall   ${pct(r.abstentionRecall)}   (target ≥ ${pct(TARGETS.abstentionRecall)})`,
    `enabled wrong       ${r.enabledWrong}   (target 0)`,
    `calibration (Brier) ${r.brier.toFixed(3)}; exactly right by confidence band: ${r.bands
      .map((b) => `[${b.from}, ${b.to}) ${b.right}/${b.n}`)
      .join(', ')}`,
    `latency p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms (propose + validate, in process)`,
  ].join('\n');
}
