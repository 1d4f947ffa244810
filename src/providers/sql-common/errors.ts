/**
 * Driver errors → what a user can act on. Details name the host, port, database and user but never
 * the password, a stack or a raw driver dump; the same classification serves connect-time rejection
 * and, later, runtime failures (retry or not, reconnect or not).
 */
import { AppError } from '../../errors.ts';
import { EgressError } from '../../security/egress.ts';

export type SqlFailureClass = 'auth' | 'unreachable' | 'timeout' | 'tls' | 'other';

/** Our own bound on a connect or a query: the server never answered in time. */
export class SqlTimeoutError extends Error {
  readonly code = 'FLOWYTE_TIMEOUT';
  constructor(
    readonly ms: number,
    what = 'the database',
  ) {
    super(`${what} did not answer within ${ms} ms`);
    this.name = 'SqlTimeoutError';
  }
}

/**
 * Races a promise against a deadline; on expiry `onTimeout` tears the attempt down (destroys the
 * socket) so a silent server cannot keep a handle open after we gave up.
 */
export function withTimeout<T>(
  work: Promise<T>,
  ms: number,
  onTimeout: () => void,
  signal?: AbortSignal,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const fail = (err: Error) => {
      cleanup();
      try {
        onTimeout();
      } catch {
        // tearing down is best effort
      }
      reject(err);
    };
    const timer = setTimeout(() => fail(new SqlTimeoutError(ms)), ms);
    const onAbort = () => fail(new SqlTimeoutError(ms, 'the request was cancelled:'));
    const cleanup = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        cleanup();
        resolve(v);
      },
      (e) => {
        cleanup();
        reject(e);
      },
    );
  });
}

interface DriverError {
  code?: string | number;
  errno?: number;
  message?: string;
  name?: string;
  reason?: string;
}

const asDriverError = (err: unknown): DriverError =>
  err && typeof err === 'object' ? (err as DriverError) : {};
/**
 * The error's code; mysql2 overwrites the code of TLS failures with HANDSHAKE_SSL_ERROR but keeps
 * Node's message, from which the original code is recovered.
 */
function codeOf(e: DriverError): string {
  const code = String(e.code ?? '');
  if (code !== 'HANDSHAKE_SSL_ERROR') return code;
  const msg = String(e.message ?? '');
  if (/altnames|does not match certificate/i.test(msg)) return 'ERR_TLS_CERT_ALTNAME_INVALID';
  if (/expired|not yet valid/i.test(msg)) return 'CERT_HAS_EXPIRED';
  if (/self.signed|unable to verify|issuer certificate|untrusted|unable to get/i.test(msg))
    return 'UNABLE_TO_VERIFY_LEAF_SIGNATURE';
  return code;
}
const messageOf = (e: DriverError) => String(e.message ?? '');

const isEgress = (err: unknown): err is EgressError =>
  err instanceof EgressError || asDriverError(err).name === 'EgressError';

// PostgreSQL SQLSTATEs and MySQL/MariaDB error numbers that mean "these credentials are wrong".
const AUTH_CODES = new Set([
  '28P01',
  '28000',
  '3D000',
  '42501',
  'ER_ACCESS_DENIED_ERROR',
  'ER_DBACCESS_DENIED_ERROR',
  'ER_BAD_DB_ERROR',
  'ER_ACCESS_DENIED_NO_PASSWORD_ERROR',
  'ER_HOST_NOT_PRIVILEGED',
  'ER_NOT_SUPPORTED_AUTH_MODE',
  'ER_SECURE_TRANSPORT_REQUIRED',
  'ER_ACCOUNT_HAS_BEEN_LOCKED',
  'ER_MUST_CHANGE_PASSWORD_LOGIN',
  'AUTH_SWITCH_PLUGIN_ERROR',
]);
const AUTH_ERRNOS = new Set([1044, 1045, 1049, 1130, 1251, 1698, 1862, 3118, 3159, 4151]);
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNRESET',
  'EPIPE',
  'EADDRNOTAVAIL',
  'PROTOCOL_CONNECTION_LOST',
  'EGRESS_REFUSED',
  '57P01',
  '57P02',
  '57P03',
  '53300',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
]);
const TIMEOUT_CODES = new Set([
  'FLOWYTE_TIMEOUT',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  '57014',
  'ER_QUERY_TIMEOUT',
  'ER_STATEMENT_TIMEOUT',
]);
// MariaDB's max_statement_time (1969, unnamed in mysql2) and MySQL's max_execution_time (3024).
const TIMEOUT_ERRNOS = new Set([1969, 3024]);
/** The server itself cancelled the statement (and with it anything it had written). */
const SERVER_CANCEL_CODES = new Set(['57014', 'ER_QUERY_TIMEOUT', 'ER_STATEMENT_TIMEOUT']);

export function cancelledByServer(err: unknown): boolean {
  const e = asDriverError(err);
  return SERVER_CANCEL_CODES.has(codeOf(e)) || (e.errno !== undefined && TIMEOUT_ERRNOS.has(e.errno));
}
const TLS_UNTRUSTED = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REJECTED',
  'INVALID_CA',
]);
const TLS_EXPIRED = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);

// pg refuses, client-side, to answer a SCRAM challenge without a password.
const NO_PASSWORD = /client password must be/i;

const tlsNotSupported = (e: DriverError) =>
  codeOf(e) === 'HANDSHAKE_NO_SSL_SUPPORT' || /does not support SSL/i.test(messageOf(e));
const isTls = (e: DriverError) => {
  const code = codeOf(e);
  return (
    tlsNotSupported(e) ||
    TLS_UNTRUSTED.has(code) ||
    TLS_EXPIRED.has(code) ||
    code === 'ERR_TLS_CERT_ALTNAME_INVALID' ||
    code === 'EPROTO' ||
    code === 'HANDSHAKE_SSL_ERROR' ||
    code.startsWith('ERR_SSL_') ||
    code.startsWith('ERR_TLS_') ||
    /error establishing an SSL connection/i.test(messageOf(e))
  );
};

/** Which kind of failure this is: decides retry (unreachable, timeout) versus reconnect (auth, tls). */
export function classifySqlError(err: unknown): SqlFailureClass {
  if (isEgress(err)) return 'unreachable';
  const e = asDriverError(err);
  const code = codeOf(e);
  const msg = messageOf(e);
  if (isTls(e)) return 'tls';
  if (
    TIMEOUT_CODES.has(code) ||
    (e.errno !== undefined && TIMEOUT_ERRNOS.has(e.errno)) ||
    /timeout expired|connection timeout|read timeout|timed out/i.test(msg)
  )
    return 'timeout';
  if (AUTH_CODES.has(code) || (e.errno !== undefined && AUTH_ERRNOS.has(e.errno)) || NO_PASSWORD.test(msg))
    return 'auth';
  if (
    UNREACHABLE_CODES.has(code) ||
    code.startsWith('08') ||
    /Connection terminated|connection error and is not queryable/i.test(msg)
  ) {
    return 'unreachable';
  }
  return 'other';
}

export interface RejectionTarget {
  host: string;
  port: number;
  database: string;
  user: string;
  password?: string;
}

/** A driver message made safe to show: one line, bounded, the password masked if it ever appears. */
export function safeMessage(err: unknown, password?: string): string {
  let msg = messageOf(asDriverError(err)).split('\n')[0].slice(0, 300);
  if (password && password.length > 0) msg = msg.split(password).join('***');
  return msg || 'unknown error';
}

/** A human explanation of a connect failure, for `credentials_rejected` and for sql/test details. */
export function describeSqlError(err: unknown, t: RejectionTarget): string {
  if (err instanceof AppError) return err.message;
  if (isEgress(err)) return err.message;
  const e = asDriverError(err);
  const code = codeOf(e);
  const where = `${t.host}:${t.port}`;
  const msg = messageOf(e);
  if (code === '28P01' || code === 'ER_ACCESS_DENIED_ERROR' || e.errno === 1045) {
    return `authentication failed for user "${t.user}": wrong user name or password`;
  }
  if (NO_PASSWORD.test(msg)) return `the server requires a password for user "${t.user}"`;
  if (code === '3D000' || code === 'ER_BAD_DB_ERROR' || e.errno === 1049)
    return `database "${t.database}" does not exist`;
  if (code === 'ER_DBACCESS_DENIED_ERROR' || e.errno === 1044) {
    return `user "${t.user}" may not access database "${t.database}" (or it does not exist)`;
  }
  if (code === '28000' && /no encryption/i.test(msg)) {
    return `the server refuses unencrypted connections for user "${t.user}"; use sslmode require or stronger`;
  }
  if (code === '28000' && /does not exist/i.test(msg)) return `role "${t.user}" does not exist`;
  if (code === '28000')
    return `the server does not allow user "${t.user}" to connect from this address (pg_hba.conf)`;
  if (code === 'ER_HOST_NOT_PRIVILEGED' || e.errno === 1130) {
    return `the server does not allow connections from this address for user "${t.user}"`;
  }
  if (code === 'ER_SECURE_TRANSPORT_REQUIRED' || e.errno === 3159) {
    return 'the server requires TLS; use sslmode require or stronger';
  }
  if (code === '42501') return `user "${t.user}" lacks the CONNECT privilege on database "${t.database}"`;
  if (tlsNotSupported(e))
    return `the server at ${where} does not support TLS; ask for TLS to be enabled on it`;
  if (TLS_UNTRUSTED.has(code)) {
    return 'the server certificate is not trusted: supply the CA that signed it as ca_pem (sslmode verify-ca or verify-full)';
  }
  if (TLS_EXPIRED.has(code)) return 'the server certificate has expired or is not yet valid';
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return `the server certificate does not name ${t.host}; connect by a name on the certificate or use sslmode verify-ca`;
  }
  if (isTls(e)) return `the TLS handshake with ${where} failed (${safeMessage(err, t.password)})`;
  if (code === 'ECONNREFUSED') return `${where} refused the connection: nothing is listening on that port`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `${t.host} does not resolve`;
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EADDRNOTAVAIL')
    return `${where} is unreachable`;
  if (classifySqlError(err) === 'timeout')
    return `${where} did not answer in time (a firewall may be dropping the connection)`;
  if (code === 'ER_CON_COUNT_ERROR' || code === '53300')
    return 'the server has too many connections; try again later';
  if (classifySqlError(err) === 'unreachable') return `the connection to ${where} was closed unexpectedly`;
  return `the database refused the connection: ${safeMessage(err, t.password)}`;
}

/** The typed rejection `verify` throws: AppErrors pass through, everything else becomes credentials_rejected. */
export function toCredentialsRejected(err: unknown, t: RejectionTarget): AppError {
  if (err instanceof AppError) return err;
  return new AppError('credentials_rejected', describeSqlError(err, t), {
    extensions: { reason: classifySqlError(err) },
  });
}
