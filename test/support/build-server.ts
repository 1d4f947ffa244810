/**
 * Vitest global setup: compiles the server into dist/ (`npm run build:server`) when a source is
 * newer than the build, so the suites that spawn `bin/flowyte.js` (what `npm start` and `npx flowyte`
 * run) test the current sources, compiled as a user gets them.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function newestSource(): number {
  return Math.max(
    ...readdirSync(path.join(root, 'src'), { recursive: true, encoding: 'utf8' })
      .map((f) => path.join(root, 'src', f))
      .concat([path.join(root, 'tsconfig.build.json'), path.join(root, 'package-lock.json')])
      .map((f) => statSync(f).mtimeMs),
  );
}

export default function setup(): void {
  const built = path.join(root, 'dist', 'cli', 'index.js');
  if (existsSync(built) && statSync(built).mtimeMs >= newestSource()) return;
  execFileSync('npm', ['run', '--silent', 'build:server'], { cwd: root, stdio: 'inherit', timeout: 300_000 });
}
