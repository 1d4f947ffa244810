/** The `flowyte` command: serve, demo, keys, orgs, users. */
import { Command, InvalidArgumentError } from 'commander';
import { ConfigError, loadConfig } from '../config.ts';
import { AppError } from '../errors.ts';
import { runUntilSignalled } from '../main.ts';
import { parseDuration } from '../security/api-keys.ts';
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

const program = new Command('flowyte').description('Flowyte integrations server').showHelpAfterError();

program
  .command('serve')
  .description('run the server (PORT, HOST, DATABASE_URL, …)')
  .action(() => runUntilSignalled());

program
  .command('demo')
  .description('run the server with the built-in fakes of Google and Shopify (no accounts, no network)')
  .action(() => {
    process.env.FLOWYTE_SANDBOX = '1';
    return runUntilSignalled();
  });

const keys = program.command('keys').description('API keys');

keys
  .command('create')
  .requiredOption('--org <name>', 'organization name (created if needed)')
  .requiredOption('--scopes <list>', 'comma-separated scopes, e.g. integrations:read,skills:invoke')
  .option('--expires <duration>', 'lifetime such as 30d, 12h, 90m', (v) => {
    const ms = parseDuration(v);
    if (!ms) throw new InvalidArgumentError('use a number followed by m, h or d (e.g. 30d)');
    return ms;
  })
  .option('--label <text>', 'a note to recognize the key by')
  .option('--json', 'print { orgId, keyId, key } as JSON')
  .action((opts) =>
    withServices(async (s) => {
      const scopes = String(opts.scopes)
        .split(',')
        .map((x: string) => x.trim())
        .filter(Boolean);
      const created = await s.apiKeys.create({
        orgName: opts.org,
        scopes,
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
  .option('--org <name>', 'only this organization')
  .option('--json', 'print JSON')
  .action((opts) =>
    withServices(async (s) => {
      const orgs = await listOrgs(s.store);
      const org = opts.org ? orgs.find((o) => o.name === opts.org) : undefined;
      if (opts.org && !org) throw new AppError('not_found', `no organization named ${opts.org}`);
      const list = await s.apiKeys.list(org?.id);
      const names = new Map(orgs.map((o) => [o.id, o.name]));
      const lines = list.map(
        (k) =>
          `${k.keyId}  ${k.prefix}…${k.last4}  ${names.get(k.orgId)}  ${k.scopes.join(',')}  ${k.revokedAt ? 'revoked' : k.expiresAt && Date.parse(k.expiresAt) < Date.now() ? 'expired' : 'active'}  last used ${k.lastUsedAt ?? 'never'}`,
      );
      print(Boolean(opts.json), list, lines.join('\n') || '(no keys)');
    }),
  );

keys
  .command('revoke <keyId>')
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

program.parseAsync(process.argv).catch((e: unknown) => {
  if (e instanceof AppError || e instanceof ConfigError) console.error(`flowyte: ${e.message}`);
  else console.error(`flowyte: ${(e as Error)?.message ?? e}`);
  process.exit(1);
});
