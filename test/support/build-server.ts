/**
 * The suites that spawn `bin/flowyte.js` (what `npm start` and `npx flowyte` run) call
 * `ensureServerBuilt()` first: it compiles the server into dist/ (`npm run build:server`) when a
 * source is newer than the build, so they test the current sources compiled as a user gets them.
 * Test files run in parallel workers: a lock directory lets one build while the others wait.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const lock = path.join(root, 'node_modules', '.cache', 'flowyte-build-server.lock');
const STALE_LOCK_MS = 5 * 60_000;

function newestSource(): number {
  return Math.max(
    ...readdirSync(path.join(root, 'src'), { recursive: true, encoding: 'utf8' })
      .map((f) => path.join(root, 'src', f))
      .concat([path.join(root, 'tsconfig.build.json'), path.join(root, 'package-lock.json')])
      .map((f) => statSync(f).mtimeMs),
  );
}

function fresh(): boolean {
  const built = path.join(root, 'dist', 'cli', 'index.js');
  return existsSync(built) && statSync(built).mtimeMs >= newestSource();
}

export async function ensureServerBuilt(): Promise<void> {
  while (!fresh()) {
    mkdirSync(path.dirname(lock), { recursive: true });
    try {
      mkdirSync(lock);
    } catch {
      // Another worker builds; a lock left by a killed run is taken over after a while.
      if (Date.now() - statSync(lock, { throwIfNoEntry: false })!.mtimeMs > STALE_LOCK_MS)
        rmSync(lock, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 500));
      continue;
    }
    try {
      if (!fresh())
        execFileSync('npm', ['run', '--silent', 'build:server'], {
          cwd: root,
          stdio: 'inherit',
          timeout: 300_000,
        });
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}
