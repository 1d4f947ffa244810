/** Runs `flowyte serve` in a child process for benchmarks, so load generator and server do not share a thread. */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

// BENCH_SERVER_ROOT runs another checkout's server (e.g. the previous commit) under the same load.
const root =
  process.env.BENCH_SERVER_ROOT ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface ServerProcess {
  url: string;
  port: number;
  dataDir: string;
  child: ChildProcess;
  /** Milliseconds from spawn to the first answered /healthz. */
  startMs: number;
  stop(): Promise<void>;
}

/** User + system CPU time of a process in ms, its threads included (Linux /proc; ticks of 10 ms). */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export async function startServerProcess(env: Record<string, string> = {}): Promise<ServerProcess> {
  const dataDir = env.FLOWYTE_DATA_DIR ?? mkdtempSync(path.join(os.tmpdir(), 'flowyte-bench-'));
  const port = await freePort();
  const t0 = performance.now();
  // BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the server under load.
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, path.join(root, 'bin/flowyte.js'), 'serve'], {
    cwd: root,
    env: {
      ...process.env,
      LOG_LEVEL: 'warn',
      FLOWYTE_DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      FLOWYTE_RATE_LIMIT_PER_MINUTE: '10000000',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {}
    await new Promise((r) => setTimeout(r, 10));
  }
  const startMs = performance.now() - t0;
  return {
    url,
    port,
    dataDir,
    child,
    startMs,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      if (!env.FLOWYTE_DATA_DIR) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Calls the server's API with `headers`; answers the envelope's `data`, throws on an error status. */
export function apiCaller(url: string, headers: Record<string, string>) {
  return async (method: string, p: string, body?: unknown): Promise<any> => {
    const res = await fetch(url + p, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as any;
    if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${JSON.stringify(json)}`);
    return json.data;
  };
}

/** The http_webhook skill the benches invoke: a customer looked up by phone at `hookPort`'s /lookup. */
export const lookupSkill = (hookPort: number) => ({
  name: 'lookup',
  description: 'Look up a customer',
  skillType: 'http_webhook',
  parametersSchema: {
    type: 'object',
    properties: { caller_phone: { type: 'string' } },
    required: ['caller_phone'],
    additionalProperties: false,
  },
  executionConfig: { url: `http://127.0.0.1:${hookPort}/lookup`, timeout_ms: 5000 },
});
