/**
 * Throwaway database servers for the TLS and password tests: a PostgreSQL and a MariaDB on spare
 * ports with a self-signed CA and a server certificate (SAN: localhost, 127.0.0.1) made by openssl,
 * and password authentication on TCP so a wrong password is really refused (the shared local
 * PostgreSQL trusts 127.0.0.1). Binaries missing: skip with a reason, or fail under
 * FLOWYTE_TEST_REQUIRE_SERVICES=1.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import type { ProviderContext } from '../../src/providers/types.ts';
import { EgressPolicy } from '../../src/security/egress.ts';
import { requireServices } from './services.ts';

const run = promisify(execFile);

/**
 * A provider context for loopback test servers: the real egress policy with 127.0.0.0/8 allowed,
 * and every host name resolving to 127.0.0.1, so a test can connect by a name that is (localhost)
 * or is not (anything else) on the server certificate.
 */
export function loopbackContext(over: Partial<ProviderContext> = {}): ProviderContext {
  const policy = new EgressPolicy(['127.0.0.0/8'], async () => [{ address: '127.0.0.1', family: 4 }]);
  return {
    endpoints: { googleApiUrl: 'http://127.0.0.1:9', shopifyApiUrl: null, shopifyApiVersion: '2026-10' },
    resolveHost: (host) => policy.resolve(host),
    allowPlaintextSql: true,
    timeoutMs: 5000,
    ...over,
  };
}

export interface TestCertificates {
  dir: string;
  caPem: string;
  /** A second, unrelated CA: trusting it must not make the server's certificate valid. */
  otherCaPem: string;
  certPath: string;
  keyPath: string;
  caPath: string;
}

export interface ThrowawayServer {
  host: '127.0.0.1';
  port: number;
  user: string;
  password: string;
  database: string;
  certs: TestCertificates;
  stop(): Promise<void>;
}

function findBinary(candidates: string[]): string | null {
  return candidates.find((c) => existsSync(c)) ?? null;
}

function postgresBin(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).filter((v) => existsSync(path.join(root, v, 'bin/initdb')));
  versions.sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(root, versions[0], 'bin') : null;
}

const OPENSSL = () => findBinary(['/usr/bin/openssl', '/usr/local/bin/openssl']);
const MARIADBD = () => findBinary(['/usr/sbin/mariadbd', '/usr/bin/mariadbd']);
const MARIADB_INSTALL = () => findBinary(['/usr/bin/mariadb-install-db', '/usr/bin/mysql_install_db']);

/** Null when the tools are present, else the reason to skip (throws under FLOWYTE_TEST_REQUIRE_SERVICES=1). */
export function missingTools(engine: 'postgres' | 'mariadb'): string | null {
  const missing: string[] = [];
  if (!OPENSSL()) missing.push('openssl');
  if (engine === 'postgres' && !postgresBin()) missing.push('PostgreSQL server binaries (initdb, pg_ctl)');
  if (engine === 'postgres' && process.getuid?.() === 0 && !existsSync('/usr/sbin/runuser'))
    missing.push('runuser');
  if (engine === 'mariadb' && (!MARIADBD() || !MARIADB_INSTALL()))
    missing.push('mariadbd / mariadb-install-db');
  if (missing.length === 0) return null;
  const reason = `throwaway ${engine} server: ${missing.join(', ')} not available`;
  if (requireServices) throw new Error(`${reason} (FLOWYTE_TEST_REQUIRE_SERVICES=1)`);
  console.warn(`skipping: ${reason}`);
  return reason;
}

export function sparePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function openssl(args: string[], cwd: string): Promise<void> {
  await run(OPENSSL()!, args, { cwd });
}

// Argument lists as one string each: none of them holds a space.
const EC_KEY = '-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes';

async function makeCa(dir: string, name: string): Promise<void> {
  const args = `req -x509 ${EC_KEY} -days 2 -keyout ${name}.key -out ${name}.crt -subj /CN=flowyte-${name}-test-ca`;
  await openssl(
    [
      ...args.split(' '),
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
}

/** A CA, a server certificate it signs for localhost/127.0.0.1, and an unrelated second CA. */
export async function makeCertificates(dir: string): Promise<TestCertificates> {
  await makeCa(dir, 'ca');
  await makeCa(dir, 'other');
  const ext = [
    'subjectAltName=DNS:localhost,IP:127.0.0.1',
    'basicConstraints=CA:FALSE',
    'extendedKeyUsage=serverAuth',
  ];
  writeFileSync(path.join(dir, 'server.ext'), ext.join('\n'));
  await openssl(`req ${EC_KEY} -keyout server.key -out server.csr -subj /CN=localhost`.split(' '), dir);
  const sign =
    'x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -out server.crt -extfile server.ext';
  await openssl(sign.split(' '), dir);
  return {
    dir,
    caPem: readFileSync(path.join(dir, 'ca.crt'), 'utf8'),
    otherCaPem: readFileSync(path.join(dir, 'other.crt'), 'utf8'),
    certPath: path.join(dir, 'server.crt'),
    keyPath: path.join(dir, 'server.key'),
    caPath: path.join(dir, 'ca.crt'),
  };
}

const asRoot = process.getuid?.() === 0;

/** initdb and postgres refuse to run as root: run them as the postgres user. */
async function asPostgres(bin: string, args: string[]): Promise<string> {
  const { stdout } = asRoot
    ? await run('/usr/sbin/runuser', ['-u', 'postgres', '--', bin, ...args])
    : await run(bin, args);
  return stdout;
}

/** A PostgreSQL with TLS on (or off) and scram-sha-256 for every TCP login, superuser `postgres`. */
export async function startPostgres(opts: { tls?: boolean } = {}): Promise<ThrowawayServer> {
  const bin = postgresBin()!;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flowyte-pg-'));
  const data = path.join(dir, 'data');
  const stop = async () => {
    if (existsSync(path.join(data, 'postmaster.pid'))) {
      await asPostgres(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(
        () => {},
      );
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const certs = await makeCertificates(dir);
    const password = `pw-${randomBytes(9).toString('base64url')}`;
    writeFileSync(path.join(dir, 'pwfile'), `${password}\n`);
    chmodSync(dir, 0o700);
    chmodSync(certs.keyPath, 0o600);
    if (asRoot) await run('chown', ['-R', 'postgres:postgres', dir]);
    const initdb = ['-D', data, '-U', 'postgres', '--auth-local=trust', '--auth-host=scram-sha-256'];
    await asPostgres(path.join(bin, 'initdb'), [
      ...initdb,
      `--pwfile=${path.join(dir, 'pwfile')}`,
      '-E',
      'UTF8',
      '--no-sync',
    ]);
    const port = await sparePort();
    const tls =
      opts.tls === false
        ? ['ssl=off']
        : ['ssl=on', `ssl_cert_file=${certs.certPath}`, `ssl_key_file=${certs.keyPath}`];
    const settings = [
      `-p ${port} -k ${dir}`,
      ...['listen_addresses=127.0.0.1', 'fsync=off', ...tls].map((c) => `-c ${c}`),
    ];
    const log = path.join(dir, 'log');
    await asPostgres(path.join(bin, 'pg_ctl'), [
      '-D',
      data,
      '-l',
      log,
      '-o',
      settings.join(' '),
      '-w',
      '-t',
      '30',
      'start',
    ]);
    return { host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres', certs, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function waitFor(
  check: () => Promise<boolean>,
  ms: number,
  what: string,
  child: ChildProcess,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}`);
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${what} did not start within ${ms} ms`);
}

/** A MariaDB with TLS and a password user `flowyte` (all privileges) on database `flowyte_tls`. */
export async function startMariadb(): Promise<ThrowawayServer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flowyte-my-'));
  const certs = await makeCertificates(dir);
  const data = path.join(dir, 'data');
  const socketPath = path.join(dir, 's.sock');
  await run(
    MARIADB_INSTALL()!,
    [
      '--no-defaults',
      '--user=root',
      `--datadir=${data}`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
    ],
    { timeout: 60_000 },
  );
  const port = await sparePort();
  const child = spawn(
    MARIADBD()!,
    [
      '--no-defaults',
      '--user=root',
      `--datadir=${data}`,
      `--socket=${socketPath}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      '--skip-name-resolve',
      `--pid-file=${path.join(dir, 'pid')}`,
      `--log-error=${path.join(dir, 'err.log')}`,
      '--innodb-buffer-pool-size=16M',
      '--innodb-log-file-size=8M',
      `--ssl-ca=${certs.caPath}`,
      `--ssl-cert=${certs.certPath}`,
      `--ssl-key=${certs.keyPath}`,
    ],
    { stdio: 'ignore' },
  );
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const password = `pw-${randomBytes(9).toString('base64url')}`;
  try {
    await waitFor(
      async () => {
        try {
          const c = await mysql.createConnection({ socketPath, user: 'root' });
          await c.end();
          return true;
        } catch {
          return false;
        }
      },
      60_000,
      'mariadbd',
      child,
    );
    const admin = await mysql.createConnection({ socketPath, user: 'root' });
    try {
      await admin.query('CREATE DATABASE flowyte_tls');
      await admin.query(`CREATE USER 'flowyte'@'%' IDENTIFIED BY ?`, [password]);
      await admin.query(`GRANT ALL ON *.* TO 'flowyte'@'%'`);
    } finally {
      await admin.end();
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { host: '127.0.0.1', port, user: 'flowyte', password, database: 'flowyte_tls', certs, stop };
}
