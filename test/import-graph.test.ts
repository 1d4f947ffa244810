/**
 * The shape of the import graph, read by dependency-cruiser with the rules of .dependency-cruiser.cjs
 * (folder prefixes, so they survive regrouping src/core): no cycles, core and providers never reach
 * HTTP or the sandbox, the production entry points load the sandbox only through a dynamic import, and
 * each capability folder of src/core is entered through its index.ts alone.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import { beforeAll, describe, expect, test } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const config = createRequire(import.meta.url)('../.dependency-cruiser.cjs');

async function cruiseSrc(tsPreCompilationDeps: boolean): Promise<ICruiseResult> {
  const { output } = await cruise(['src'], {
    ...config.options,
    tsPreCompilationDeps,
    baseDir: root,
    validate: true,
    ruleSet: { forbidden: config.forbidden },
  });
  return output as ICruiseResult;
}

const violations = (result: ICruiseResult) =>
  result.summary.violations.map(
    (v) =>
      `${v.rule.name}: ${v.from} → ${v.to}${v.cycle ? ` (${v.cycle.map((c) => c.name).join(' → ')})` : ''}`,
  );

/** Modules reached from the entries through static value imports (no dynamic or type-only edge). */
function staticallyReached(result: ICruiseResult, entries: string[]): Set<string> {
  const byName = new Map(result.modules.map((m) => [m.source, m]));
  const seen = new Set<string>();
  const stack = [...entries];
  while (stack.length) {
    const name = stack.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    for (const dep of byName.get(name)?.dependencies ?? []) {
      if (dep.dynamic || dep.dependencyTypes.includes('type-only')) continue;
      if (dep.resolved.startsWith('src/')) stack.push(dep.resolved);
    }
  }
  return seen;
}

describe('the import graph of src/', () => {
  let full: ICruiseResult;
  beforeAll(async () => {
    full = await cruiseSrc(true);
  }, 60_000);

  test('breaks none of the rules (cycles, layers, the sandbox, test fixtures)', () => {
    expect(full.summary.totalCruised).toBeGreaterThan(200);
    expect(violations(full)).toEqual([]);
  });

  test('code outside a capability folder of src/core enters it only through its index.ts', () => {
    const sideDoors = full.modules.flatMap((m) =>
      m.dependencies
        .filter((d) => {
          const inside = /^src\/core\/([^/]+)\//.exec(d.resolved);
          return inside && !m.source.startsWith(inside[0]) && !d.resolved.endsWith('/index.ts');
        })
        .map((d) => `${m.source} → ${d.resolved}`),
    );
    expect(full.modules.filter((m) => /^src\/core\/[^/]+\/index\.ts$/.test(m.source)).length).toBe(8);
    expect(sideDoors).toEqual([]);
  });

  test('has no cycle among the imports that exist at run time', async () => {
    const runtime = await cruiseSrc(false);
    const cycles = runtime.modules.flatMap((m) =>
      m.dependencies.filter((d) => d.circular).map((d) => `${m.source} → ${d.resolved}`),
    );
    expect(cycles).toEqual([]);
  }, 60_000);

  test('the server and the CLI do not reach the sandbox statically, but the demo can load it', () => {
    const entries = ['src/main.ts', 'src/cli/index.ts'];
    for (const entry of entries) expect(full.modules.map((m) => m.source)).toContain(entry);
    const reached = [...staticallyReached(full, entries)];
    expect(reached).toContain('src/http/app.ts');
    expect(reached.filter((m) => m.startsWith('src/sandbox/'))).toEqual([]);
    const app = full.modules.find((m) => m.source === 'src/http/app.ts')!;
    expect(
      app.dependencies.filter((d) => d.resolved === 'src/sandbox/index.ts').map((d) => d.dynamic),
    ).toEqual([true]);
  });
});
