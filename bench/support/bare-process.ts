import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './server-process.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

type Bare = { url: string; stop(): Promise<void> };

/** Runs one of the baseline scripts here in its own process, like the server; its origin and a stop function. */
async function startBare(script: string, env: Record<string, string>): Promise<Bare> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, script)], {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

/** bare-fastify.ts serving `body` at GET /bare. */
export const startBareFastify = (body: unknown): Promise<Bare> =>
  startBare('bare-fastify.ts', { BARE_BODY: JSON.stringify(body) });

/** bare-forward.ts: POST /forward passes `arguments` on to `url` and wraps the answer. */
export const startBareForward = (url: string): Promise<Bare> =>
  startBare('bare-forward.ts', { FORWARD_TO: url });

/** bare-sql.ts: POST /query runs `sql` with the call's one argument on a pool of `connection`. */
export const startBareSql = (sql: string, connection: Record<string, unknown>): Promise<Bare> =>
  startBare('bare-sql.ts', { BARE_SQL: JSON.stringify({ sql, connection }) });
