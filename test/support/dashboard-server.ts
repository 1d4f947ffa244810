/**
 * `npm run demo` as the dashboard's end-to-end tests need it: a fresh data directory, the local
 * PostgreSQL reachable, operators created with the real CLI (password on stdin), the built dashboard.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureServerBuilt } from './build-server.ts';
import { projectRoot } from './doc-script.ts';
import { freePort, waitHealthy } from './server-processes.ts';

const bin = path.join(projectRoot, 'bin/flowyte.js');

export interface DemoServer {
  url: string;
  env: NodeJS.ProcessEnv;
  addUser(email: string, org: string, role: 'owner' | 'member', password: string): Promise<void>;
  close(): Promise<void>;
}

function run(args: string[], env: NodeJS.ProcessEnv, stdin = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      args,
      { env, cwd: projectRoot, timeout: 60_000 },
      (e, out, err) => (e ? reject(new Error(`${args.join(' ')}: ${err || e.message}`)) : resolve(out)),
    );
    child.stdin!.end(stdin);
  });
}

export async function startDemo(): Promise<DemoServer> {
  await ensureServerBuilt();
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'flowyte-e2e-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    FLOWYTE_DATA_DIR: dataDir,
    FLOWYTE_MASTER_KEY: '',
    DATABASE_URL: '',
    FLOWYTE_PUBLIC_URL: '',
    FLOWYTE_ALLOW_PRIVATE_NETWORKS: '127.0.0.1/32',
    FLOWYTE_SQL_ALLOW_PLAINTEXT: 'true',
    LOG_LEVEL: 'warn',
  };
  const child: ChildProcess = spawn(process.execPath, [bin, 'demo'], {
    env,
    cwd: projectRoot,
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  await waitHealthy(url, child);
  return {
    url,
    env,
    addUser: async (email, org, role, password) => {
      await run(
        [bin, 'users', 'create', '--email', email, '--org', org, '--role', role],
        env,
        `${password}\n`,
      );
    },
    close: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
