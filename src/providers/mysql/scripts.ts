/**
 * Least-privilege SQL for `GET /integrations/mysql/sql/scripts`: a user that can read one database,
 * and optionally insert/update a few named tables. Identifiers go through mysql2's own quoting; the
 * password is generated here and returned once.
 */
import mysql from 'mysql2';
import { AppError } from '../../errors.ts';
import {
  checkSqlName,
  generateRoleName,
  generateRolePassword,
  splitTableName,
} from '../sql-common/credentials.ts';
import type { SqlScripts, SqlScriptsRequest } from '../types.ts';

// MySQL and MariaDB identifiers: at most 64 characters; bytes bound it safely for ASCII and below.
const MAX_NAME_BYTES = 64;
const MAX_TABLES = 200;

// forbidQualified: a dot inside a name is part of the name, never a separator.
const ident = (name: string) => mysql.escapeId(name, true);
const literal = (text: string) => mysql.escape(text);

/** Read-only and write scripts for a fresh user; `write` is null when no tables are named. */
export function mysqlScripts(request: SqlScriptsRequest): SqlScripts {
  const database = checkSqlName(request.database, 'database', MAX_NAME_BYTES);
  const list = request.tables ?? [];
  if (list.length > MAX_TABLES) {
    throw new AppError('validation_error', `at most ${MAX_TABLES} tables`, {
      errors: [{ field: 'tables', message: `at most ${MAX_TABLES} tables` }],
    });
  }
  const names = [
    ...new Set(
      list.map((raw) => {
        // `db.table` names a table of another database; a bare name is a table of `database`.
        const t = splitTableName(raw, 'tables', MAX_NAME_BYTES);
        return `${ident(t.schema ?? database)}.${ident(t.table)}`;
      }),
    ),
  ];
  const role = generateRoleName();
  const password = generateRolePassword();
  // '%' lets the user sign in from any address, as Flowyte's may change; narrow it to Flowyte's
  // egress address where that is known.
  const account = `${literal(role)}@'%'`;
  const readOnly = [
    `-- Read-only user for Flowyte on database ${ident(database)}.`,
    "-- Run as an administrator. To accept only the Flowyte server, replace '%' with its address.",
    '-- The password appears only here: paste it into the connect form, then discard this script.',
    `CREATE USER ${account} IDENTIFIED BY ${literal(password)};`,
    `GRANT SELECT ON ${ident(database)}.* TO ${account};`,
    '',
  ].join('\n');
  const write = names.length
    ? [
        `-- Lets ${literal(role)} insert and update rows of these tables only (no DELETE, no other table).`,
        ...names.map((n) => `GRANT INSERT, UPDATE ON ${n} TO ${account};`),
        '',
      ].join('\n')
    : null;
  return { role, password, readOnly, write };
}
