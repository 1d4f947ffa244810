/**
 * `npm run bench`: runs every `bench/*.ts` module that exports `run()`, one after another (so they
 * never compete for the CPU), in name order. `npm run bench -- catalog runtime` runs only those.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);

const modules = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && f !== 'run.ts')
  .map((f) => f.slice(0, -3))
  .filter((name) => only.length === 0 || only.includes(name))
  .sort();

console.log(`# Flowyte benchmarks — node ${process.version}, ${new Date().toISOString()}`);
let failed = 0;
for (const name of modules) {
  const mod = await import(pathToFileURL(path.join(here, `${name}.ts`)).href);
  if (typeof mod.run !== 'function') continue;
  const started = performance.now();
  try {
    await mod.run();
  } catch (e) {
    failed++;
    console.error(`bench ${name} failed: ${(e as Error).stack ?? e}`);
  }
  console.log(`(${name}: ${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
process.exit(failed ? 1 : 0);
