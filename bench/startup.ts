/**
 * Start time: spawn of `node bin/flowyte.js serve` (the compiled dist/, what `npm start` runs) to its
 * first answered /healthz — cold (a fresh data directory: migrations, a new master key) and warm (the
 * same directory again) — against the start and exit of a bare `node -e ''` in the same run, so a
 * loaded machine shows as a slower baseline rather than a slower server. Target: ≤ 1.5 s warm.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { startServerProcess } from './support/server-process.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ROUNDS = Number(process.env.BENCH_STARTUP_ROUNDS ?? 7);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function bareNode(): Promise<number> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((r) => child.once('exit', r));
  return performance.now() - t0;
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); NaN elsewhere. */
function cpuMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return Number.NaN;
  }
}

const cpu: number[] = [];

async function serverStart(dataDir?: string): Promise<number> {
  const server = await startServerProcess(dataDir ? { FLOWYTE_DATA_DIR: dataDir } : {});
  if (dataDir) cpu.push(cpuMs(server.child.pid));
  await server.stop();
  return server.startMs;
}

export async function run(): Promise<void> {
  if (!existsSync(path.join(root, 'dist', 'cli', 'index.js')))
    throw new Error('dist/ is missing: run `npm run build` first');
  console.log('\n## startup: spawn to first /healthz (issue 14)');
  const warmDir = mkdtempSync(path.join(os.tmpdir(), 'flowyte-bench-start-'));
  try {
    await serverStart(warmDir); // creates the store and the key; the warm rounds reuse them
    const node: number[] = [];
    const cold: number[] = [];
    const warm: number[] = [];
    // Interleaved, so a burst of load elsewhere on the machine falls on all three alike.
    for (let i = 0; i < ROUNDS; i++) {
      node.push(await bareNode());
      cold.push(await serverStart());
      warm.push(await serverStart(warmDir));
    }
    const base = median(node);
    const row = (label: string, xs: number[]) =>
      console.log(
        `| ${label.padEnd(34)} | ${median(xs).toFixed(0).padStart(6)} ms | ${(median(xs) / base).toFixed(1).padStart(5)}× | min ${Math.min(...xs).toFixed(0)} ms, max ${Math.max(...xs).toFixed(0)} ms`,
      );
    console.log(
      `| ${'start'.padEnd(34)} | median    | vs node | spread (${ROUNDS} rounds, load ${os.loadavg()[0].toFixed(1)})`,
    );
    row("node -e ''", node);
    row('flowyte serve, fresh data dir', cold);
    row('flowyte serve, existing data dir', warm);
    // Less sensitive to other load on the machine than wall time.
    console.log(
      `  CPU time to first /healthz (existing data dir): median ${median(cpu.slice(1)).toFixed(0)} ms`,
    );
    console.log(`  target: warm ≤ 1500 ms → ${median(warm) <= 1500 ? 'met' : 'NOT met'} in this run`);
  } finally {
    rmSync(warmDir, { recursive: true, force: true });
  }
}
