/**
 * The auto-map eval (issue 12) as a test, so `npm test` enforces its targets: the goals of
 * eval/automap/goals.json over the sample databases (pagila, chinook, northwind in PostgreSQL,
 * sakila in MariaDB) and the Shopify schema, through the same code as `npm run eval:automap`.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { failures, loadGoals, loadSchemas, runEval, summary, TARGETS } from '../eval/automap/eval.ts';
import { mariadbDb, postgresDb } from './support/services.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const skip =
  (await postgresDb('pagila')) ??
  (await postgresDb('chinook')) ??
  (await postgresDb('northwind')) ??
  (await mariadbDb('sakila'));

describe.skipIf(skip)('the auto-map eval', () => {
  test('meets its targets on the project goals', { timeout: 120_000 }, async () => {
    const goals = loadGoals(path.join(here, '../eval/automap/goals.json'));
    expect(goals.filter((g) => g.expect !== 'abstain' && g.db !== 'shopify').length).toBeGreaterThanOrEqual(
      60,
    );
    expect(goals.filter((g) => g.expect !== 'abstain' && g.db === 'shopify').length).toBeGreaterThanOrEqual(
      10,
    );
    expect(goals.filter((g) => g.expect === 'abstain').length).toBeGreaterThanOrEqual(10);
    const report = runEval(goals, await loadSchemas(goals.map((g) => g.db)));
    const misses = report.results
      .filter((r) => (r.g.expect === 'abstain' ? !r.abstained : !r.exact))
      .map(
        (r) =>
          `${r.g.db}: ${r.g.goal} → ${r.abstained ? 'abstain' : `${r.operation} [${r.outputs.join(', ')}]`}`,
      );
    expect(failures(report), `${summary(report)}\nmisses:\n${misses.join('\n')}`).toEqual([]);
    expect(report.objectAt1).toBeGreaterThanOrEqual(TARGETS.objectAt1);
    expect(report.exact).toBeGreaterThanOrEqual(TARGETS.exact);
    expect(report.validity).toBe(1);
    expect(report.abstentionRecall).toBeGreaterThanOrEqual(TARGETS.abstentionRecall);
    expect(report.enabledWrong).toBe(0);
  });
});
