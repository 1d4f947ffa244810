/**
 * `flowyte users create|list|remove` as an operator runs it: the password comes from stdin (never
 * argv), the hash is argon2id, and the created user can log in to a server on the same data.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ensureServerBuilt } from './support/build-server.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin/flowyte.js');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'flowyte-users-'));
const env = { ...process.env, FLOWYTE_DATA_DIR: dataDir, FLOWYTE_MASTER_KEY: '', DATABASE_URL: '' };
beforeAll(ensureServerBuilt, 300_000);
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function flowyte(args: string[], stdin = ''): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [bin, ...args],
      { env, cwd: root, timeout: 30_000 },
      (e, stdout, stderr) => resolve({ stdout, stderr, code: e ? ((e as any).code ?? 1) : 0 }),
    );
    child.stdin!.end(stdin);
  });
}

test('create reads the password from one line of stdin; list shows the role; remove deletes', async () => {
  const made = await flowyte(
    ['users', 'create', '--email', 'Ana@Example.com', '--org', 'acme', '--json'],
    'a long password 1\n',
  );
  expect(made.code, made.stderr).toBe(0);
  expect(JSON.parse(made.stdout)).toMatchObject({ email: 'ana@example.com', role: 'owner', created: true });
  const member = await flowyte(
    ['users', 'create', '--email', 'bo@example.com', '--org', 'acme', '--role', 'member'],
    'another password\n',
  );
  expect(member.stdout).toContain('member of acme');
  const list = await flowyte(['users', 'list', '--json']);
  expect(JSON.parse(list.stdout)).toEqual([
    expect.objectContaining({ email: 'ana@example.com', org: 'acme', role: 'owner' }),
    expect.objectContaining({ email: 'bo@example.com', org: 'acme', role: 'member' }),
  ]);
  const out = await flowyte(['users', 'logout', '--email', 'bo@example.com']);
  expect(out.stdout).toContain('ended 0 session(s) of bo@example.com');
  expect((await flowyte(['users', 'remove', '--email', 'bo@example.com'])).code).toBe(0);
  expect(JSON.parse((await flowyte(['users', 'list', '--json'])).stdout)).toHaveLength(1);
});

test('refuses a short password, an unknown role, and has no --password option', async () => {
  const short = await flowyte(['users', 'create', '--email', 'c@example.com', '--org', 'acme'], 'short\n');
  expect(short.code).not.toBe(0);
  expect(short.stderr).toMatch(/at least 10 characters/);
  const role = await flowyte(
    ['users', 'create', '--email', 'c@example.com', '--org', 'acme', '--role', 'admin'],
    'x\n',
  );
  expect(role.stderr).toMatch(/owner or member/);
  const argv = await flowyte([
    'users',
    'create',
    '--email',
    'c@example.com',
    '--org',
    'acme',
    '--password',
    'secret secret',
  ]);
  expect(argv.stderr).toMatch(/unknown option/);
});
