/** The connect body shared by the PostgreSQL and MySQL providers (SPEC §3). */

import { randomBytes } from 'node:crypto';
import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { AppError } from '../../errors.ts';

export const SSL_MODES = ['disable', 'require', 'verify-ca', 'verify-full'] as const;
export type SslMode = (typeof SSL_MODES)[number];

/** "1" … "65535" as text, without leading zeros or a sign. */
const PORT_TEXT =
  '^(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])$';

export const SqlCredentials = Type.Object(
  {
    host: Type.String({
      minLength: 1,
      maxLength: 253,
      description: 'Host name or IP address of the database server',
    }),
    // Flowyte's docs send the port as text ("5432"): a number or a string of digits, 1–65535.
    port: Type.Union([Type.Integer({ minimum: 1, maximum: 65535 }), Type.String({ pattern: PORT_TEXT })], {
      description: 'A number or a string of digits, 1–65535; stored as a number',
      examples: [5432, '5432'],
    }),
    database: Type.String({ minLength: 1, maxLength: 128 }),
    user: Type.String({ minLength: 1, maxLength: 128 }),
    password: Type.String({ maxLength: 1024 }),
    sslmode: Type.Union(
      SSL_MODES.map((m) => Type.Literal(m)),
      { description: '`disable` only where the operator allows plaintext (FLOWYTE_SQL_ALLOW_PLAINTEXT)' },
    ),
    ca_pem: Type.Optional(
      Type.String({ maxLength: 64 * 1024, description: 'PEM of the CA that signed the server certificate' }),
    ),
  },
  { additionalProperties: false },
);

/** Credentials as read: the port is always a number, whichever form the body sent. */
export type SqlCredentials = Omit<Static<typeof SqlCredentials>, 'port'> & { port: number };

/** A port as sent (number or digits) → the number; the schema has already bounded it. */
export const portNumber = (port: number | string): number => (typeof port === 'number' ? port : Number(port));

/** The fields stored after a successful verify: the same shape, trimmed, without an empty CA. */
export function normalizeCredentials(c: Static<typeof SqlCredentials>): SqlCredentials {
  const out: SqlCredentials = {
    host: c.host.trim(),
    port: portNumber(c.port),
    database: c.database,
    user: c.user,
    password: c.password,
    sslmode: c.sslmode,
  };
  if (c.ca_pem?.trim()) out.ca_pem = c.ca_pem;
  return out;
}

/**
 * Checks an untyped credentials object. Core validates first; this keeps a provider safe when it is
 * called directly (tests, discovery, execution) with a stored or hand-built object.
 */
export function parseSqlCredentials(input: unknown): SqlCredentials {
  if (Value.Check(SqlCredentials, input)) return { ...input, port: portNumber(input.port) };
  const errors = [...Value.Errors(SqlCredentials, input)].slice(0, 20).map((e) => ({
    field: ['credentials', ...e.path.split('/').filter(Boolean)].join('.'),
    message: e.message,
  }));
  throw new AppError('validation_error', 'the credentials are not valid', { errors });
}

// ---------- names and secrets for the generated role scripts ----------

/**
 * A strong password for a generated role: 192 random bits in base64url, drawn again until it holds an
 * upper- and lower-case letter, a digit and a symbol, so strict password policies (MySQL's
 * validate_password) accept it. Its alphabet never needs escaping inside a SQL string.
 */
export function generateRolePassword(): string {
  for (;;) {
    const pw = randomBytes(24).toString('base64url');
    if (/[A-Z]/.test(pw) && /[a-z]/.test(pw) && /[0-9]/.test(pw) && /[-_]/.test(pw)) return pw;
  }
}

/** A role name that needs no quoting on either engine and will not collide with an earlier one. */
export const generateRoleName = () => `flowyte_reader_${randomBytes(4).toString('hex')}`;

const hasControlCharacter = (s: string) => [...s].some((ch) => ch.charCodeAt(0) < 0x20 || ch === '\u007f');

/**
 * Validates a database, schema or table name for a generated script: quoting makes any text safe to
 * embed, but NUL and control characters are never legitimate names, and an over-long name would be
 * truncated by the server into a different one.
 */
export function checkSqlName(raw: unknown, field: string, maxBytes: number): string {
  const name = typeof raw === 'string' ? raw.trim() : '';
  const problem =
    typeof raw !== 'string' || name === ''
      ? 'must not be empty'
      : hasControlCharacter(name)
        ? 'must not contain NUL or control characters'
        : Buffer.byteLength(name, 'utf8') > maxBytes
          ? `must be at most ${maxBytes} bytes`
          : null;
  if (problem) {
    throw new AppError('validation_error', `${field} is not a valid name`, {
      errors: [{ field, message: problem }],
    });
  }
  return name;
}

/** `schema.table` or `table` (a table in the default schema) → its parts, each validated. */
export function splitTableName(
  raw: unknown,
  field: string,
  maxBytes: number,
): { schema: string | null; table: string } {
  const text = checkSqlName(raw, field, maxBytes * 2 + 1);
  const dot = text.indexOf('.');
  if (dot < 0) return { schema: null, table: checkSqlName(text, field, maxBytes) };
  return {
    schema: checkSqlName(text.slice(0, dot), field, maxBytes),
    table: checkSqlName(text.slice(dot + 1), field, maxBytes),
  };
}
