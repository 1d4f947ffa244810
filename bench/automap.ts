/**
 * Auto-map benchmark (issue 12): goals over the 1,000-table `wide_1000` schema (made by
 * ../shared/sampledb/wide.sh), timed through `propose` — the goal parsed, candidates built from
 * the lexical index and checked by the binder, what the route does besides reading the store.
 * Targets: p50 ≤ 50 ms, p99 ≤ 150 ms. The baseline measured in the same run is discovery of the
 * same database; the index build (done once per discovered schema, at discovery) is shown apart.
 */
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { catalogOf, propose } from '../src/core/automap/index.ts';
import { SchemaIndex } from '../src/core/bindings/index.ts';
import { discoverPostgres } from '../src/providers/postgres/discover.ts';
import { sqlBindingTarget } from '../src/providers/sql-common/binding-target.ts';

const DATABASE = process.env.BENCH_AUTOMAP_DB ?? 'wide_1000';
const ROUNDS = Number(process.env.BENCH_AUTOMAP_ROUNDS ?? 5);
const PG = {
  host: process.env.PGHOST ?? '127.0.0.1',
  port: Number(process.env.PGPORT ?? 5432),
  user: process.env.PGUSER ?? 'postgres',
  database: DATABASE,
};

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
};

/** Goals an operator might type about the generated tables, reads and writes, some unbindable. */
function goals(): { goal: string; object: string | null }[] {
  const out: { goal: string; object: string | null }[] = [];
  for (const n of [0, 6, 60, 600, 61, 314, 999, 42, 700, 7]) {
    const t = `t${n}`;
    out.push(
      { goal: `find a ${t} by email and give the name and phone`, object: t },
      { goal: `look up a ${t} record by its id and return the amount and state`, object: t },
      { goal: `find a ${t} by phone number`, object: null },
      { goal: `update the email of a ${t}`, object: t },
    );
    // Each table refers to the one before it (ref_a): the hop's label.
    if (n > 0)
      out.push({ goal: `look up ${t} by email and tell me which t${n - 1} it refers to`, object: t });
  }
  out.push({ goal: 'what is the weather tomorrow', object: null });
  return out;
}

export async function run(): Promise<void> {
  console.log(`\n## auto-map (issue 12): goals on ${DATABASE}, ${ROUNDS} rounds`);
  const client = new pg.Client(PG);
  try {
    await client.connect();
  } catch (e) {
    console.log(
      `skipped: ${DATABASE} not reachable (${(e as Error).message}); run ../shared/sampledb/wide.sh`,
    );
    return;
  }
  try {
    const discoveries: number[] = [];
    let schema = await discoverPostgres(client);
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      schema = await discoverPostgres(client);
      discoveries.push(performance.now() - t);
    }
    const discovery = quantile(discoveries, 0.5);
    const built = performance.now();
    catalogOf(schema);
    const buildMs = performance.now() - built;
    const index = new SchemaIndex(schema, { blockedObjects: [], blockedFields: [] });
    const target = sqlBindingTarget('postgres');
    const list = goals();
    const times: { ms: number; goal: string }[] = [];
    // One warm-up pass (not timed), as the other benchmarks do.
    for (const g of list) propose(index, target, g.goal);
    let right = 0;
    let judged = 0;
    const wrong: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      for (const g of list) {
        const t = performance.now();
        const p = propose(index, target, g.goal);
        times.push({ ms: performance.now() - t, goal: g.goal });
        if (round === 0) {
          const best = p.valid[0];
          const object = best && best.confidence >= 0.6 ? best.body.operation.split('.')[0] : null;
          judged++;
          if (object === g.object) right++;
          else wrong.push(`"${g.goal}" → ${object ?? 'refused'}`);
        }
      }
    }
    const p50 = quantile(
      times.map((x) => x.ms),
      0.5,
    );
    const p99 = quantile(
      times.map((x) => x.ms),
      0.99,
    );
    const slowest = [...times].sort((a, b) => b.ms - a.ms)[0];
    console.log(
      `${schema.objects.length} objects, ${schema.operations.length} operations; index built once in ${buildMs.toFixed(1)} ms`,
    );
    console.log(`baseline: discoverPostgres median ${discovery.toFixed(1)} ms`);
    console.log(
      `propose (${times.length} calls): p50 ${p50.toFixed(2)} ms (target ≤ 50), p99 ${p99.toFixed(2)} ms (target ≤ 150); p50/discovery ratio ${(p50 / discovery).toFixed(4)}×`,
    );
    console.log(`slowest: ${slowest.ms.toFixed(1)} ms for "${slowest.goal}"`);
    console.log(
      `right object (or refusal) on ${right}/${judged} wide goals${wrong.length ? `; not: ${wrong.join('; ')}` : ''}`,
    );
    if (p50 > 50 || p99 > 150)
      throw new Error(`auto-map latency over target: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`);
  } finally {
    await client.end();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
