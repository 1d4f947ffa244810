/** `flowyte users create|list|remove`: the operators who log in to the dashboard. */
import { Command, InvalidArgumentError } from 'commander';
import { MIN_PASSWORD_LENGTH, Operators, ROLES, type Role } from '../core/access/index.ts';
import type { Services } from '../services.ts';
import { listUsersWithOrgs } from '../store/users.ts';
import { readPassword } from './password-input.ts';

type WithServices = <T>(fn: (s: Services) => Promise<T>) => Promise<T>;
type Print = (json: boolean, value: unknown, text: string) => void;

export function usersCommand(withServices: WithServices, print: Print): Command {
  const users = new Command('users').description('dashboard operators (email + password)');

  users
    .command('create')
    .description(
      `create an operator, or add an existing one to another organization (password: prompted, or one line on stdin; at least ${MIN_PASSWORD_LENGTH} characters)`,
    )
    .requiredOption('--email <address>', 'the login email')
    .requiredOption('--org <name>', 'organization name (created if needed)')
    .option('--role <role>', 'owner (every scope) or member (no keys, no deletes)', (v) => {
      if (!ROLES.includes(v as Role)) throw new InvalidArgumentError('use owner or member');
      return v;
    })
    .option('--json', 'print JSON')
    .action(async (opts) => {
      // Read before opening the store, so a slow typist holds no database connection.
      const password = await readPassword('Password: ');
      await withServices(async (s) => {
        const made = await new Operators(s.store).createUser({
          email: opts.email,
          orgName: opts.org,
          role: (opts.role ?? 'owner') as Role,
          password,
        });
        print(
          Boolean(opts.json),
          made,
          `${made.created ? 'created' : 'updated'} ${made.email} as ${made.role} of ${opts.org} (${made.orgId})`,
        );
      });
    });

  users
    .command('list')
    .description('list the operators with their organizations and roles')
    .option('--json', 'print JSON')
    .action((opts) =>
      withServices(async (s) => {
        const rows = await listUsersWithOrgs(s.store);
        const list = rows.map((r) => ({
          userId: r.id,
          email: r.email,
          org: r.org_name,
          role: r.role,
          createdAt: r.created_at,
        }));
        const lines = list.map(
          (u) => `${u.userId}  ${u.email}  ${u.org ?? '(no organization)'}  ${u.role ?? ''}`,
        );
        print(Boolean(opts.json), list, lines.join('\n') || '(no users)');
      }),
    );

  users
    .command('remove')
    .description('remove an operator; their sessions end at once')
    .requiredOption('--email <address>', 'the operator to remove (their sessions end at once)')
    .option('--json', 'print JSON')
    .action((opts) =>
      withServices(async (s) => {
        await new Operators(s.store).removeUser(opts.email);
        print(Boolean(opts.json), { removed: opts.email }, `removed ${opts.email}`);
      }),
    );

  users
    .command('logout')
    .description('end every session of an operator (a lost laptop, a changed password)')
    .requiredOption('--email <address>', 'the operator')
    .option('--json', 'print JSON')
    .action((opts) =>
      withServices(async (s) => {
        const ended = await new Operators(s.store).logoutEverywhere(opts.email);
        print(Boolean(opts.json), { email: opts.email, ended }, `ended ${ended} session(s) of ${opts.email}`);
      }),
    );

  return users;
}
