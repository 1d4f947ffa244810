/**
 * `npm run eval:automap [-- goals.json] [--verbose]`: runs the auto-map eval over the sample
 * databases (local PostgreSQL and MariaDB, loaded by ../shared/sampledb/load.sh) and the Shopify
 * schema, prints the figures, and exits non-zero under the targets.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { failures, loadGoals, loadSchemas, pct, runEval, summary } from './eval.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const verbose = args.includes('--verbose') || args.includes('-v');
const file = args.find((a) => !a.startsWith('-')) ?? path.join(here, 'goals.json');
const goals = loadGoals(file);
const schemas = await loadSchemas(goals.map((g) => g.db));
const report = runEval(goals, schemas);
console.log(`# auto-map eval — ${path.relative(process.cwd(), file) || file}`);
for (const r of report.results) {
  const ok = r.g.expect === 'abstain' ? r.abstained : r.exact;
  if (!verbose && ok) continue;
  const exp =
    r.g.expect === 'abstain' ? 'abstain' : `${r.g.expect.operation} [${r.g.expect.outputs.join(', ')}]`;
  const got = r.abstained
    ? `abstain (${r.confidence})`
    : `${r.operation} by ${r.filter} [${r.outputs.join(', ')}] (${r.confidence})`;
  console.log(`${ok ? 'ok  ' : 'MISS'} ${r.g.db}: ${r.g.goal}\n     expected ${exp}\n     got      ${got}`);
  if (verbose && !ok) console.log(`     ${r.explanation}`);
}
console.log(summary(report));
const failed = failures(report);
if (failed.length) {
  console.log(`FAILED: ${failed.join('; ')}`);
  process.exit(1);
}
console.log(`passed (exact ${pct(report.exact)})`);
process.exit(0);
