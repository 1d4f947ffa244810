/**
 * The `flowyte` command as a user runs it (`node bin/flowyte.js …`, what `npx flowyte` starts), on a
 * temporary data directory: keys, orgs, rotate-master, and a server that still opens the store after.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildProgram } from '../src/cli/program.ts';
import { SCOPES } from '../src/security/api-keys.ts';
import { ensureServerBuilt } from './support/build-server.ts';

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin/flowyte.js');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'flowyte-cli-'));
const env = {
  ...process.env,
  FLOWYTE_DATA_DIR: dataDir,
  LOG_LEVEL: 'info',
  FLOWYTE_MASTER_KEY: '',
  DATABASE_URL: '',
};
const children: ChildProcess[] = [];

beforeAll(ensureServerBuilt, 300_000);

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

async function flowyte(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], {
      env,
      cwd: root,
      timeout: 30_000,
    });
    return { stdout, stderr, code: 0 };
  } catch (e: any) {
    return { stdout: e.stdout ?? '', stderr: e.stderr ?? '', code: e.code ?? 1 };
  }
}

/** `flowyte serve` on a free port; resolves with its URL once it logs that it listens. */
function serve(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [bin, 'serve'], { env: { ...env, PORT: '0' }, cwd: root });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`serve did not start: ${out}`));
    }, 20_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening at (http:\/\/[^"\s]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1], child });
      }
    });
    child.stderr!.on('data', (d) => (out += d));
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
  });
}

const stop = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });

// Each command starts Node on the compiled dist/ (well under a second; more on a loaded CI machine).
describe('flowyte CLI', { timeout: 120_000 }, () => {
  let created: { orgId: string; keyId: string; key: string };

  test('keys create --json prints { orgId, keyId, key } and creates the organization', async () => {
    const res = await flowyte(
      'keys',
      'create',
      '--org',
      'clinic-x',
      '--scopes',
      'integrations:read,integrations:write',
      '--json',
    );
    expect(res.code, res.stderr).toBe(0);
    created = JSON.parse(res.stdout);
    expect(Object.keys(created).sort()).toEqual(['key', 'keyId', 'orgId']);
    expect(created.key).toMatch(/^flowyte_sk_live_[A-Za-z0-9_-]{20,}$/);
    expect(created.keyId).toMatch(/^key_/);
    expect(created.orgId).toMatch(/^org_/);
  });

  test('keys create reuses an existing organization, takes --expires, and refuses unknown scopes', async () => {
    const again = JSON.parse(
      (
        await flowyte(
          'keys',
          'create',
          '--org',
          'clinic-x',
          '--scopes',
          'agents:read',
          '--expires',
          '30d',
          '--json',
        )
      ).stdout,
    );
    expect(again.orgId).toBe(created.orgId);
    const listed = JSON.parse((await flowyte('keys', 'list', '--org', 'clinic-x', '--json')).stdout);
    const expiry = Date.parse(listed.find((k: any) => k.keyId === again.keyId).expiresAt);
    expect(Math.abs(expiry - Date.now() - 30 * 86_400_000)).toBeLessThan(120_000);
    const bad = await flowyte('keys', 'create', '--org', 'clinic-x', '--scopes', 'a,b');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/unknown scope/);
    // The refusal lists what would have been accepted.
    for (const scope of SCOPES) expect(bad.stderr).toContain(scope);
    for (const org of ['', '   ']) {
      const empty = await flowyte('keys', 'create', '--org', org, '--scopes', 'agents:read');
      expect(empty.code).not.toBe(0);
      expect(empty.stderr).toMatch(/organization name must not be empty/);
    }
    const orgs = JSON.parse((await flowyte('orgs', 'list', '--json')).stdout);
    expect(orgs.map((o: any) => o.name)).not.toContain('');
    expect(
      (await flowyte('keys', 'create', '--org', 'clinic-x', '--scopes', 'agents:read', '--expires', 'soon'))
        .code,
    ).not.toBe(0);
  });

  test('keys create in text mode prints the key once with a warning', async () => {
    const res = await flowyte('keys', 'create', '--org', 'clinic-y', '--scopes', 'skills:invoke');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^flowyte_sk_live_\S+\n/);
    expect(res.stdout).toMatch(/shown only this once/);
  });

  test('keys list shows prefix and last four, never the key', async () => {
    const labelled = JSON.parse(
      (
        await flowyte(
          'keys',
          'create',
          '--org',
          'clinic-x',
          '--scopes',
          'agents:read',
          '--label',
          'front desk',
          '--expires',
          '2d',
          '--json',
        )
      ).stdout,
    );
    const res = await flowyte('keys', 'list');
    expect(res.code).toBe(0);
    const [header, ...rows] = res.stdout.trim().split('\n');
    expect(header.split(/\s{2,}/)).toEqual([
      'KEY ID',
      'KEY',
      'ORG',
      'SCOPES',
      'STATUS',
      'LABEL',
      'EXPIRES',
      'LAST USED',
    ]);
    const row = rows.find((r) => r.startsWith(labelled.keyId))!;
    expect(row).toContain('front desk');
    expect(row).toMatch(new RegExp(new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10)));
    expect(rows.find((r) => r.startsWith(created.keyId))).toMatch(/\bnever\b/);
    expect(res.stdout).toContain(created.keyId);
    expect(res.stdout).toContain(created.key.slice(-4));
    expect(res.stdout).not.toContain(created.key);
    expect(res.stdout).toMatch(/clinic-x/);
    const json = JSON.parse((await flowyte('keys', 'list', '--json')).stdout);
    expect(JSON.stringify(json)).not.toContain(created.key);
    expect((await flowyte('keys', 'list', '--org', 'no-such-org')).code).not.toBe(0);
  });

  test('orgs list shows every organization', async () => {
    const orgs = JSON.parse((await flowyte('orgs', 'list', '--json')).stdout);
    expect(orgs.map((o: any) => o.name).sort()).toEqual(['clinic-x', 'clinic-y']);
    expect((await flowyte('orgs', 'list')).stdout).toContain(created.orgId);
  });

  test('rotate-master re-wraps the data keys, and the server still opens the store and honours old keys', async () => {
    const keyFile = path.join(dataDir, 'master.key');
    const before = readFileSync(keyFile, 'utf8');
    const res = await flowyte('keys', 'rotate-master', '--json');
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ rotated: true, file: keyFile });
    expect(readFileSync(keyFile, 'utf8')).not.toBe(before);
    expect(readFileSync(`${keyFile}.previous`, 'utf8')).toBe(before);
    expect(res.stdout).not.toContain(before.trim());

    const { url, child } = await serve();
    const catalog = await fetch(`${url}/api/v1/integrations/catalog`, {
      headers: { authorization: `Bearer ${created.key}` },
    });
    expect(catalog.status).toBe(200);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    await stop(child);
  });

  test('keys revoke <keyId> revokes it: the server refuses the key afterwards', async () => {
    const res = await flowyte('keys', 'revoke', created.keyId, '--json');
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ keyId: created.keyId, revokedAt: expect.any(String) });
    expect((await flowyte('keys', 'revoke', created.keyId)).code).not.toBe(0);
    expect((await flowyte('keys', 'revoke', 'key_nonexistent')).code).not.toBe(0);
    const { url, child } = await serve();
    const res401 = await fetch(`${url}/api/v1/integrations/catalog`, {
      headers: { authorization: `Bearer ${created.key}` },
    });
    expect(res401.status).toBe(401);
    await stop(child);
  });

  test('--version prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
    for (const flag of ['--version', '-V']) expect((await flowyte(flag)).stdout.trim()).toBe(pkg.version);
  });

  test('a bad configuration stops the command with a one-line reason', async () => {
    const res = await run(process.execPath, [bin, 'orgs', 'list'], {
      env: { ...env, PORT: 'eighty' },
      cwd: root,
    }).catch((e) => e);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/PORT must be an integer/);
    expect(existsSync(dataDir)).toBe(true);
  });
});

describe('flowyte CLI help', () => {
  const all = (c: Command): Command[] => [c, ...c.commands.flatMap(all)];

  test('every command, argument and option has a description', () => {
    const commands = all(buildProgram());
    expect(commands.map((c) => c.name())).toEqual(
      expect.arrayContaining([
        'serve',
        'demo',
        'create',
        'list',
        'revoke',
        'rotate-master',
        'users',
        'logout',
      ]),
    );
    const missing = commands.flatMap((c) => [
      ...(c.description() ? [] : [`command ${c.name()}`]),
      ...c.options.filter((o) => !o.description).map((o) => `${c.name()} ${o.flags}`),
      ...c.registeredArguments.filter((a) => !a.description).map((a) => `${c.name()} <${a.name()}>`),
    ]);
    expect(missing).toEqual([]);
  });

  test('demo --help names the sandbox it starts and what stays real', () => {
    const demo = buildProgram().commands.find((c) => c.name() === 'demo')!;
    expect(demo.description()).toMatch(/FLOWYTE_SANDBOX=1/);
    expect(demo.description()).toMatch(/Google.*Shopify/);
    expect(demo.description()).toMatch(/SQL databases and webhooks are real/);
  });
});
