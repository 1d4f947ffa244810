/**
 * Detects the local services the integration suites need. On a fresh clone without them the suites
 * skip with a one-line reason; under FLOWYTE_TEST_REQUIRE_SERVICES=1 (CI) a missing one fails instead.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import mysql from 'mysql2/promise';
import pg from 'pg';

export const requireServices = process.env.FLOWYTE_TEST_REQUIRE_SERVICES === '1';
export const sharedDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared');

export const PG = { host: '127.0.0.1', port: 5432, user: 'postgres', password: '' };
export const MY = { host: '127.0.0.1', port: 3306, user: 'root', password: '' };

// A type alias, not an interface, so it passes where a Record<string, unknown> is expected.
export type SqlCredentialsInput = {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  sslmode?: string;
};

/** Credentials for a database on the local server of that engine, plaintext (loopback only). */
export const localCredentials = (kind: 'postgres' | 'mysql', database: string): SqlCredentialsInput => {
  const c = kind === 'postgres' ? PG : MY;
  return { host: c.host, port: c.port, user: c.user, password: c.password, database, sslmode: 'disable' };
};

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.setTimeout(1000);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
    s.once('timeout', () => {
      s.destroy();
      resolve(false);
    });
  });
}

async function pgHas(database: string): Promise<boolean> {
  if (!(await portOpen(PG.port))) return false;
  const c = new pg.Client({ ...PG, database: 'postgres' });
  try {
    await c.connect();
    const r = await c.query('select 1 from pg_database where datname = $1', [database]);
    return r.rowCount === 1;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => {});
  }
}

async function myHas(database: string): Promise<boolean> {
  if (!(await portOpen(MY.port))) return false;
  try {
    const c = await mysql.createConnection({ ...MY });
    try {
      const [rows] = await c.query(
        'select count(*) n from information_schema.schemata where schema_name = ?',
        [database],
      );
      return (rows as any)[0].n === 1;
    } finally {
      await c.end();
    }
  } catch {
    return false;
  }
}

/**
 * Returns null when the service is there, else the reason to skip. Throws under
 * FLOWYTE_TEST_REQUIRE_SERVICES=1 so CI cannot pass by skipping.
 */
async function need(what: string, ok: boolean): Promise<string | null> {
  if (ok) return null;
  const reason = `${what} not available`;
  if (requireServices) throw new Error(`${reason} (FLOWYTE_TEST_REQUIRE_SERVICES=1)`);
  console.warn(`skipping: ${reason}`);
  return reason;
}

export const postgresServer = async () => need('PostgreSQL at 127.0.0.1:5432', await portOpen(PG.port));
export const mariadbServer = async () => need('MariaDB at 127.0.0.1:3306', await portOpen(MY.port));
export const postgresDb = async (db: string) => need(`PostgreSQL sample database ${db}`, await pgHas(db));
export const mariadbDb = async (db: string) => need(`MariaDB sample database ${db}`, await myHas(db));
export const shellCommand = async (name: string) => {
  let found = true;
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
  } catch {
    found = false;
  }
  return need(`the ${name} command`, found);
};
export const sharedFile = async (rel: string) =>
  need(`../shared/${rel}`, existsSync(path.join(sharedDir, rel)));
