/** The `flowyte` command tree: serve, demo, keys, orgs, users (parsed by index.ts). */
import { existsSync, readFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { loadConfig } from '../config.ts';
import { AppError } from '../errors.ts';
import { runUntilSignalled } from '../main.ts';
import { parseDuration, SCOPES } from '../security/api-keys.ts';
import { createServices } from '../services.ts';
import { listOrgs } from '../store/orgs.ts';
import { usersCommand } from './users.ts';

async function withServices<T>(
  fn: (s: Awaited<ReturnType<typeof createServices>>) => Promise<T>,
): Promise<T> {
  const services = await createServices(loadConfig());
  try {
    return await fn(services);
  } finally {
    await services.close();
  }
}

const print = (json: boolean, value: unknown, text: string) =>
  console.log(json ? JSON.stringify(value, null, 2) : text);

/** The version in flowyte's package.json, the nearest one up from this file (src/, dist/ or elsewhere). */
function version(): string {
  for (let dir = new URL('.', import.meta.url); ; ) {
    const file = new URL('package.json', dir);
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8'));
      if (pkg.name === 'flowyte') return String(pkg.version);
    }
    const up = new URL('..', dir);
    if (up.href === dir.href) return 'unknown';
    dir = up;
  }
}

const nonEmpty = (what: string) => (v: string) => {
  if (!v.trim()) throw new InvalidArgumentError(`${what} must not be empty`);
  return v.trim();
};

function scopeList(v: string): string[] {
  const scopes = v
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  const bad = scopes.filter((x) => !(SCOPES as readonly string[]).includes(x));
  if (bad.length || scopes.length === 0)
    throw new InvalidArgumentError(
      `unknown scope(s): ${bad.join(', ') || '(none given)'}; the scopes are ${SCOPES.join(', ')}`,
    );
  return scopes;
}

/** A table with a header row, columns padded to their widest cell. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [header, ...rows]
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const keyStatus = (k: { revokedAt: string | null; expiresAt: string | null }) =>
  k.revokedAt ? 'revoked' : k.expiresAt && Date.parse(k.expiresAt) < Date.now() ? 'expired' : 'active';

export function buildProgram(): Command {
  const program = new Command('flowyte')
    .description('Flowyte integrations server: connect business systems, serve them as skills to AI agents')
    .version(version(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help for a command')
    .helpCommand('help [command]', 'show help for a command')
    .showHelpAfterError();

  program
    .command('serve')
    .description(
      'run the server; settings come from environment variables (PORT, HOST, DATABASE_URL, …: see the README)',
    )
    .action(() => runUntilSignalled());

  program
    .command('demo')
    .description(
      'run the server with FLOWYTE_SANDBOX=1: HTTP fakes of Google (OAuth, Calendar, Sheets, Drive) and Shopify (Admin GraphQL) under /sandbox/, seeded with a demo calendar, spreadsheets and shop, so those providers work with no account; SQL databases and webhooks are real (docs/sandbox.md)',
    )
    .action(() => {
      process.env.FLOWYTE_SANDBOX = '1';
      return runUntilSignalled();
    });

  const keys = program.command('keys').description('API keys and the master key');

  keys
    .command('create')
    .description('create an API key for an organization; the key is printed once')
    .requiredOption(
      '--org <name>',
      'organization name (created if needed)',
      nonEmpty('the organization name'),
    )
    .requiredOption('--scopes <list>', `comma-separated scopes, of: ${SCOPES.join(', ')}`, scopeList)
    .option('--expires <duration>', 'lifetime such as 30d, 12h, 90m', (v) => {
      const ms = parseDuration(v);
      if (!ms) throw new InvalidArgumentError('use a number followed by m, h or d (e.g. 30d)');
      return ms;
    })
    .option('--label <text>', 'a note to recognize the key by')
    .option('--json', 'print { orgId, keyId, key } as JSON')
    .action((opts) =>
      withServices(async (s) => {
        const created = await s.apiKeys.create({
          orgName: opts.org,
          scopes: opts.scopes,
          expiresInMs: opts.expires ?? null,
          label: opts.label ?? null,
        });
        const out = { orgId: created.orgId, keyId: created.keyId, key: created.key };
        print(
          Boolean(opts.json),
          out,
          `${created.key}\n\nkey ${created.keyId} for org ${opts.org} (${created.orgId}); it is shown only this once.`,
        );
      }),
    );

  keys
    .command('list')
    .description('list API keys: prefix and last four characters, never the key')
    .option('--org <name>', 'only this organization')
    .option('--json', 'print JSON')
    .action((opts) =>
      withServices(async (s) => {
        const orgs = await listOrgs(s.store);
        const org = opts.org ? orgs.find((o) => o.name === opts.org) : undefined;
        if (opts.org && !org) throw new AppError('not_found', `no organization named ${opts.org}`);
        const list = await s.apiKeys.list(org?.id);
        const names = new Map(orgs.map((o) => [o.id, o.name]));
        const rows = list.map((k) => [
          k.keyId,
          `${k.prefix}…${k.last4}`,
          names.get(k.orgId) ?? k.orgId,
          k.scopes.join(','),
          keyStatus(k),
          k.label ?? '-',
          k.expiresAt ?? 'never',
          k.lastUsedAt ?? 'never',
        ]);
        const header = ['KEY ID', 'KEY', 'ORG', 'SCOPES', 'STATUS', 'LABEL', 'EXPIRES', 'LAST USED'];
        print(Boolean(opts.json), list, rows.length ? table(header, rows) : '(no keys)');
      }),
    );

  keys
    .command('revoke')
    .description('revoke an API key: the server refuses it from then on')
    .argument('<keyId>', 'the key id (key_…), as keys list shows it')
    .option('--json', 'print JSON')
    .action((keyId, opts) =>
      withServices(async (s) => print(Boolean(opts.json), await s.apiKeys.revoke(keyId), `revoked ${keyId}`)),
    );

  keys
    .command('rotate-master')
    .description('re-wrap the data keys under a new master key (running servers keep serving)')
    .option('--new-key <base64>', 'the new master key (base64 of 32 bytes); generated when omitted')
    .option('--json', 'print JSON')
    .action((opts) =>
      withServices(async (s) => {
        const next = opts.newKey ? Buffer.from(opts.newKey, 'base64') : undefined;
        const { newMasterKey, file } = await s.vault.rotateMaster(next);
        const text = file
          ? `master key rotated; the new key is in ${file} (the old one is kept as ${file}.previous)`
          : `master key rotated. Set FLOWYTE_MASTER_KEY=${newMasterKey} (and FLOWYTE_MASTER_KEY_PREVIOUS to the old key until every instance has restarted).`;
        print(Boolean(opts.json), { rotated: true, file, masterKey: file ? undefined : newMasterKey }, text);
      }),
    );

  const orgs = program.command('orgs').description('organizations');
  orgs
    .command('list')
    .description('list the organizations')
    .option('--json', 'print JSON')
    .action((opts) =>
      withServices(async (s) => {
        const list = await listOrgs(s.store);
        print(
          Boolean(opts.json),
          list.map((o) => ({ orgId: o.id, name: o.name, createdAt: o.created_at })),
          list.map((o) => `${o.id}  ${o.name}`).join('\n') || '(no organizations)',
        );
      }),
    );

  program.addCommand(usersCommand(withServices, print));
  return program;
}
