/**
 * Vitest global setup: builds the dashboard (web/dist) once before the suites that serve it, and
 * only when a source is newer than the build — suites running in parallel must not rebuild the
 * folder under each other's servers.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const web = path.join(root, 'web');

function newestSource(): number {
  const files = readdirSync(path.join(web, 'src'), { recursive: true, encoding: 'utf8' })
    .map((f) => path.join(web, 'src', f))
    .concat([
      path.join(web, 'index.html'),
      path.join(web, 'vite.config.ts'),
      path.join(root, 'package-lock.json'),
    ]);
  return Math.max(...files.map((f) => statSync(f).mtimeMs));
}

export default function setup(): void {
  const built = path.join(web, 'dist', 'index.html');
  if (existsSync(built) && statSync(built).mtimeMs >= newestSource()) return;
  // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
  execFileSync(
    process.execPath,
    [
      path.join(root, 'node_modules/vite/bin/vite.js'),
      'build',
      '--config',
      'web/vite.config.ts',
      '--logLevel',
      'warn',
    ],
    { cwd: root, env: { ...process.env, NODE_ENV: 'production' }, stdio: 'inherit', timeout: 120_000 },
  );
}
