/**
 * Runs the shell blocks of a Markdown page as a reader would: in one bash session, against a real
 * server. Only what a reader must change is changed, each change checked to apply exactly once, so
 * a page that drifts from the product fails its test instead of being silently skipped over.
 */
import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import { ensureServerBuilt } from './build-server.ts';
import { freePort, waitHealthy } from './server-processes.ts';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The ```sh blocks of a project file between two headings. */
export function shellBlocks(file: string, from: string, to: string): string[] {
  const text = readFileSync(path.join(projectRoot, file), 'utf8');
  const start = text.indexOf(from);
  const end = text.indexOf(to, start);
  expect(start, `${file}: section "${from}"`).toBeGreaterThan(-1);
  expect(end, `${file}: section "${to}"`).toBeGreaterThan(start);
  return [...text.slice(start, end).matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
}

/** Replaces exactly one occurrence, so a reworded page cannot silently skip a step. */
export function replaceOnce(text: string, find: RegExp, replacement: string): string {
  const hits = text.match(new RegExp(find.source, `${find.flags.replace('g', '')}g`)) ?? [];
  expect(hits.length, `text matching ${find}`).toBe(1);
  return text.replace(find, replacement);
}

/** `SETTING=value … npm <script>` → the settings, checked to end with exactly that command. */
export function settingsBefore(block: string, command: string): Record<string, string> {
  const line = block
    .trim()
    .split('\n')[0]
    .replace(/\s+#.*$/, '');
  const match = line.match(/^((?:[A-Z_]+=\S+ )*)(.+)$/);
  expect(match?.[2], `the block starts the server with \`${command}\``).toBe(command);
  return Object.fromEntries(
    match![1]
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map((kv) => kv.split('=', 2)),
  );
}

/**
 * Runs the script with `set -euo pipefail` in the project directory and returns every JSON object
 * printed on a line of its own — each curl's answer is followed by a newline, so each is one line.
 */
export async function runShell(
  script: string,
  env: NodeJS.ProcessEnv,
  opts: { failOnHttpError: boolean },
): Promise<any[]> {
  await ensureServerBuilt(); // the blocks may run `npx flowyte …`
  const flags = opts.failOnHttpError ? ' --fail-with-body' : '';
  const prelude = `set -euo pipefail\ncurl() { command curl${flags} "$@"; echo; }\n`;
  const { stdout } = await promisify(execFile)('bash', ['-c', prelude + script], {
    cwd: projectRoot,
    env,
    timeout: 90_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{"'))
    .map((line) => JSON.parse(line));
}

export interface DocumentedServer {
  port: number;
  stop(): Promise<void>;
}

/**
 * What `npm <script>` starts (checked against package.json), with the page's settings, on a free
 * port; resolves once it answers /healthz.
 */
export async function startDocumentedServer(
  script: 'start' | 'demo',
  settings: Record<string, string>,
  env: NodeJS.ProcessEnv,
): Promise<DocumentedServer> {
  await ensureServerBuilt();
  const pkg = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8'));
  const command = pkg.scripts[script] as string;
  const match = command.match(/^node (bin\/flowyte\.js) (serve|demo)$/);
  expect(match, `npm ${script} runs \`node bin/flowyte.js …\``).not.toBeNull();
  const port = await freePort();
  const child = spawn(process.execPath, [match![1], match![2]], {
    cwd: projectRoot,
    env: { ...env, ...settings, PORT: String(port), HOST: '127.0.0.1' },
    stdio: 'ignore',
  });
  const stop = async () => {
    if (child.exitCode !== null) return;
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  };
  try {
    await waitHealthy(`http://127.0.0.1:${port}`, child);
  } catch (e) {
    await stop();
    throw e;
  }
  return { port, stop };
}
