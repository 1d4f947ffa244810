import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors.ts';
import { EgressError } from '../../security/egress.ts';
import {
  classifySqlError,
  describeSqlError,
  SqlTimeoutError,
  toCredentialsRejected,
  withTimeout,
} from './errors.ts';

const target = {
  host: 'db.example.com',
  port: 5432,
  database: 'shop',
  user: 'reader',
  password: 'hunter2-canary',
};
const err = (props: Record<string, unknown>) => Object.assign(new Error(String(props.message ?? 'x')), props);

describe('classifySqlError', () => {
  it.each([
    [{ code: '28P01' }, 'auth'],
    [{ code: '3D000' }, 'auth'],
    [{ code: 'ER_ACCESS_DENIED_ERROR', errno: 1045 }, 'auth'],
    [{ code: 'ER_BAD_DB_ERROR', errno: 1049 }, 'auth'],
    [{ message: 'SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string' }, 'auth'],
    [{ code: 'ECONNREFUSED' }, 'unreachable'],
    [{ code: 'ENOTFOUND' }, 'unreachable'],
    [{ message: 'Connection terminated unexpectedly' }, 'unreachable'],
    [{ code: 'PROTOCOL_CONNECTION_LOST' }, 'unreachable'],
    [{ code: 'ETIMEDOUT' }, 'timeout'],
    [{ message: 'timeout expired' }, 'timeout'],
    [{ message: 'Query read timeout' }, 'timeout'],
    [{ code: '57014' }, 'timeout'],
    [{ code: 'SELF_SIGNED_CERT_IN_CHAIN' }, 'tls'],
    [{ code: 'ERR_TLS_CERT_ALTNAME_INVALID' }, 'tls'],
    [{ code: 'HANDSHAKE_NO_SSL_SUPPORT' }, 'tls'],
    [{ message: 'The server does not support SSL connections' }, 'tls'],
    [{ code: '42P01' }, 'other'],
  ])('%o is %s', (props, expected) => {
    expect(classifySqlError(err(props))).toBe(expected);
  });

  it('treats a network-policy refusal and our own deadline as such', () => {
    expect(classifySqlError(new EgressError('private_address', '10.0.0.1 is private'))).toBe('unreachable');
    expect(classifySqlError(new SqlTimeoutError(100))).toBe('timeout');
  });
});

describe('describeSqlError', () => {
  it('explains each connect failure without the password', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ code: '28P01' }, /authentication failed for user "reader"/],
      [{ code: 'ER_BAD_DB_ERROR', errno: 1049 }, /database "shop" does not exist/],
      [{ code: 'ECONNREFUSED' }, /db\.example\.com:5432 refused the connection/],
      [{ code: 'ETIMEDOUT' }, /did not answer in time/],
      [{ code: 'EHOSTUNREACH' }, /unreachable/],
      [{ code: 'ENOTFOUND' }, /does not resolve/],
      [{ code: 'HANDSHAKE_NO_SSL_SUPPORT' }, /does not support TLS/],
      [{ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }, /not trusted: supply the CA .* as ca_pem/],
      [{ code: 'ERR_TLS_CERT_ALTNAME_INVALID' }, /does not name db\.example\.com/],
      [
        {
          code: '28000',
          message: 'no pg_hba.conf entry for host "1.2.3.4", user "reader", database "shop", no encryption',
        },
        /refuses unencrypted/,
      ],
    ];
    for (const [props, pattern] of cases) {
      const detail = describeSqlError(err(props), target);
      expect(detail).toMatch(pattern);
      expect(detail).not.toContain(target.password);
    }
  });

  it('masks the password if a driver message ever echoes it, and drops stacks and extra lines', () => {
    const detail = describeSqlError(
      err({ code: 'XX000', message: `bad thing near hunter2-canary\n    at foo (bar.js:1)` }),
      target,
    );
    expect(detail).not.toContain('hunter2-canary');
    expect(detail).not.toContain('bar.js');
    expect(detail).toContain('***');
  });

  it('words a network-policy refusal', () => {
    const detail = describeSqlError(
      new EgressError('private_address', '10.0.0.1 is a private address'),
      target,
    );
    expect(detail).toBe('10.0.0.1 is a private address');
  });
});

describe('toCredentialsRejected', () => {
  it('wraps driver errors as 422 credentials_rejected with the failure class, and passes AppErrors through', () => {
    const e = toCredentialsRejected(err({ code: '28P01' }), target);
    expect(e).toMatchObject({
      code: 'credentials_rejected',
      status: 422,
      extras: { extensions: { reason: 'auth' } },
    });
    const own = new AppError('validation_error', 'bad');
    expect(toCredentialsRejected(own, target)).toBe(own);
  });
});

describe('withTimeout', () => {
  it('rejects with SqlTimeoutError and runs the teardown when the work overruns', async () => {
    let tornDown = false;
    const never = new Promise<void>(() => {});
    await expect(
      withTimeout(never, 20, () => {
        tornDown = true;
      }),
    ).rejects.toBeInstanceOf(SqlTimeoutError);
    expect(tornDown).toBe(true);
  });

  it('stops at once on an aborted signal and passes results through otherwise', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(withTimeout(new Promise(() => {}), 10_000, () => {}, ac.signal)).rejects.toMatchObject({
      code: 'FLOWYTE_TIMEOUT',
    });
    await expect(withTimeout(Promise.resolve(7), 100, () => {})).resolves.toBe(7);
  });
});

describe('mysql2 TLS failures', () => {
  it('recovers the cause from the message, since mysql2 overwrites the code with HANDSHAKE_SSL_ERROR', () => {
    const untrusted = err({
      code: 'HANDSHAKE_SSL_ERROR',
      message: 'self-signed certificate in certificate chain',
    });
    const name = err({
      code: 'HANDSHAKE_SSL_ERROR',
      message: "Hostname/IP does not match certificate's altnames: Host: x.",
    });
    const other = err({ code: 'HANDSHAKE_SSL_ERROR', message: 'wrong version number' });
    expect(describeSqlError(untrusted, target)).toContain('not trusted');
    expect(describeSqlError(name, target)).toContain('does not name db.example.com');
    expect(describeSqlError(other, target)).toContain('TLS handshake');
    for (const e of [untrusted, name, other]) expect(classifySqlError(e)).toBe('tls');
  });
});
