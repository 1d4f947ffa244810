/**
 * `node --import tsx eval/automap/explain.ts <db> "<goal>"`: how auto-map reads one goal — the
 * parsed goal, every candidate with its score parts and explanation, and what almost fitted.
 */
import { buildCandidates, catalogOf, parseGoal, propose } from '../../src/core/automap/index.ts';
import { SchemaIndex } from '../../src/core/bindings/index.ts';
import { shopifyBindingTarget } from '../../src/providers/shopify/binding-target.ts';
import { sqlBindingTarget } from '../../src/providers/sql-common/binding-target.ts';
import { type EvalDb, KIND_OF, loadSchema } from './schemas.ts';

const [db, text] = process.argv.slice(2) as [EvalDb, string];
const schema = await loadSchema(db);
const goal = parseGoal(text);
const show = (ts: { w: string; s: string; region: string }[]) =>
  ts.map((t) => `${t.w}/${t.s}@${t.region[0]}`).join(' ');
console.log('intent', goal.intent, '| filter', goal.filter ? show(goal.filter) : null);
console.log('chunks', goal.chunks.map((c) => `[${show(c)}]`).join(' '));
const { candidates, near, named } = buildCandidates(catalogOf(schema), goal);
console.log(
  'named',
  named
    .slice(0, 8)
    .map((m) => `${m.entry.object.name}:${m.score.toFixed(2)}`)
    .join(' '),
);
for (const c of candidates)
  console.log(
    `- ${c.confidence} ${c.body.operation} ${JSON.stringify(c.parts)}\n  ${JSON.stringify(c.body.projection ?? c.body.inputObjectMap)}\n  ${c.explanation.join(' ')}`,
  );
for (const n of near) console.log(`near: ${n.note}`);
const target = KIND_OF[db] === 'shopify' ? shopifyBindingTarget : sqlBindingTarget(KIND_OF[db] as 'postgres');
const p = propose(new SchemaIndex(schema, { blockedObjects: [], blockedFields: [] }), target, text);
console.log('valid:', p.valid.map((c) => c.body.operation).join(', '));
process.exit(0);
