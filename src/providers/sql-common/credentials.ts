/** The connect body shared by the PostgreSQL and MySQL providers (SPEC §3). */
import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { AppError } from '../../errors.ts';

export const SSL_MODES = ['disable', 'require', 'verify-ca', 'verify-full'] as const;
export type SslMode = (typeof SSL_MODES)[number];

export const SqlCredentials = Type.Object(
  {
    host: Type.String({ minLength: 1, maxLength: 253, description: 'Host name or IP address of the database server' }),
    port: Type.Integer({ minimum: 1, maximum: 65535 }),
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

export type SqlCredentials = Static<typeof SqlCredentials>;

/** The fields stored after a successful verify: the same shape, trimmed, without an empty CA. */
export function normalizeCredentials(c: SqlCredentials): SqlCredentials {
  const out: SqlCredentials = {
    host: c.host.trim(),
    port: c.port,
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
  if (Value.Check(SqlCredentials, input)) return input;
  const errors = [...Value.Errors(SqlCredentials, input)].slice(0, 20).map((e) => ({
    field: ['credentials', ...e.path.split('/').filter(Boolean)].join('.'),
    message: e.message,
  }));
  throw new AppError('validation_error', 'the credentials are not valid', { errors });
}
