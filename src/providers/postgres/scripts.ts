/**
 * Least-privilege SQL for `GET /integrations/postgres/sql/scripts`: a login role that can read, and
 * optionally insert/update a few named tables. Identifiers go through pg's own quoting; the password
 * is generated here and returned once.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { AppError } from '../../errors.ts';
import {
  checkSqlName,
  generateRoleName,
  generateRolePassword,
  splitTableName,
} from '../sql-common/credentials.ts';
import type { SqlScripts, SqlScriptsRequest } from '../types.ts';

// NAMEDATALEN - 1: a longer name is silently truncated by the server into another one.
const MAX_NAME_BYTES = 63;
const MAX_TABLES = 200;

const ident = (name: string) => pg.escapeIdentifier(name);
const literal = (text: string) => pg.escapeLiteral(text);

/** A dollar-quoted block whose tag cannot occur in its body (table names could hold `$flowyte$`). */
export function dollarQuoted(body: string): string {
  let tag = '$flowyte$';
  while (body.includes(tag)) tag = `$flowyte_${randomBytes(3).toString('hex')}$`;
  return `${tag}\n${body}\n${tag}`;
}

function readOnlyScript(database: string, role: string, password: string): string {
  const grants = [
    'DECLARE s name;',
    'BEGIN',
    // Every user schema this script's runner may grant on; system and toast schemas stay out.
    '  FOR s IN SELECT nspname FROM pg_catalog.pg_namespace',
    "           WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\\_%'",
    "             AND has_schema_privilege(oid, 'USAGE WITH GRANT OPTION')",
    '  LOOP',
    `    EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', s, ${literal(role)});`,
    `    EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA %I TO %I', s, ${literal(role)});`,
    `    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT ON TABLES TO %I', s, ${literal(role)});`,
    '  END LOOP;',
    'END',
  ].join('\n');
  return [
    `-- Read-only role for Flowyte on database ${ident(database)}.`,
    `-- Run as the owner of the tables (or a superuser) while connected to ${ident(database)}.`,
    '-- Tables created later by the same owner become readable too (default privileges).',
    '-- The password appears only here: paste it into the connect form, then discard this script.',
    `CREATE ROLE ${ident(role)} LOGIN PASSWORD ${literal(password)}`,
    '  NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION;',
    `GRANT CONNECT ON DATABASE ${ident(database)} TO ${ident(role)};`,
    `DO ${dollarQuoted(grants)};`,
    '',
  ].join('\n');
}

function writeScript(
  database: string,
  role: string,
  tables: { schema: string | null; table: string }[],
): string {
  const names = tables.map((t) => (t.schema ? `${ident(t.schema)}.${ident(t.table)}` : ident(t.table)));
  // serial columns draw from a sequence the role must be allowed to use; identity columns need nothing.
  const sequences = [
    'DECLARE seq text;',
    'BEGIN',
    '  FOR seq IN SELECT DISTINCT pg_catalog.pg_get_serial_sequence(a.attrelid::regclass::text, a.attname)',
    '             FROM pg_catalog.pg_attribute a',
    `             WHERE a.attrelid IN (${names.map((n) => `${literal(n)}::regclass`).join(', ')})`,
    '               AND a.attnum > 0 AND NOT a.attisdropped',
    '  LOOP',
    '    IF seq IS NOT NULL THEN',
    `      EXECUTE format('GRANT USAGE ON SEQUENCE %s TO %I', seq, ${literal(role)});`,
    '    END IF;',
    '  END LOOP;',
    'END',
  ].join('\n');
  return [
    `-- Lets ${ident(role)} insert and update rows of these tables only (no DELETE, no other table).`,
    `-- Run after the read-only script, connected to ${ident(database)}.`,
    `GRANT INSERT, UPDATE ON TABLE ${names.join(', ')} TO ${ident(role)};`,
    `DO ${dollarQuoted(sequences)};`,
    '',
  ].join('\n');
}

/** Read-only and write scripts for a fresh role; `write` is null when no tables are named. */
export function postgresScripts(request: SqlScriptsRequest): SqlScripts {
  const database = checkSqlName(request.database, 'database', MAX_NAME_BYTES);
  const list = request.tables ?? [];
  if (list.length > MAX_TABLES) {
    throw new AppError('validation_error', `at most ${MAX_TABLES} tables`, {
      errors: [{ field: 'tables', message: `at most ${MAX_TABLES} tables` }],
    });
  }
  const seen = new Set<string>();
  const tables = list
    .map((t) => splitTableName(t, 'tables', MAX_NAME_BYTES))
    .filter((t) => {
      const key = `${t.schema ?? ''}\u0000${t.table}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  const role = generateRoleName();
  const password = generateRolePassword();
  return {
    role,
    password,
    readOnly: readOnlyScript(database, role, password),
    write: tables.length ? writeScript(database, role, tables) : null,
  };
}
