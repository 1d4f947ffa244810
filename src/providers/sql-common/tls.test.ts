import tls from 'node:tls';
import { describe, expect, it } from 'vitest';
import type { SqlCredentials } from './credentials.ts';
import { mysqlSsl, PLAINTEXT_REFUSED, parseCaPem, planTls } from './tls.ts';

const base: SqlCredentials = {
  host: 'db.example.com',
  port: 5432,
  database: 'app',
  user: 'reader',
  password: 'secret',
  sslmode: 'require',
};
// Any well-formed certificate will do for parsing: take one from Node's bundled roots.
const SOME_CA = tls.rootCertificates[0];

describe('planTls (libpq sslmode semantics)', () => {
  it('disable is refused unless the operator allows plaintext', () => {
    expect(() => planTls({ ...base, sslmode: 'disable' }, { allowPlaintextSql: false })).toThrow(
      PLAINTEXT_REFUSED,
    );
    try {
      planTls({ ...base, sslmode: 'disable' }, { allowPlaintextSql: false });
    } catch (e) {
      expect(e).toMatchObject({ code: 'credentials_rejected', status: 422 });
    }
    const plan = planTls({ ...base, sslmode: 'disable' }, { allowPlaintextSql: true });
    expect(plan).toMatchObject({
      encrypted: false,
      node: null,
      verification: 'plaintext allowed by operator',
    });
  });

  it('require encrypts without verifying, unless a CA is given (then it verifies the chain)', () => {
    const plain = planTls(base, { allowPlaintextSql: false });
    expect(plain).toMatchObject({ encrypted: true, verifyChain: false, verifyHost: false });
    expect(plain.node?.rejectUnauthorized).toBe(false);
    const withCa = planTls({ ...base, ca_pem: SOME_CA }, { allowPlaintextSql: false });
    expect(withCa).toMatchObject({ verifyChain: true, verifyHost: false });
    expect(withCa.node?.ca).toContain('BEGIN CERTIFICATE');
  });

  it('verify-ca checks the chain but never the host name', () => {
    const plan = planTls({ ...base, sslmode: 'verify-ca', ca_pem: SOME_CA }, { allowPlaintextSql: false });
    expect(plan).toMatchObject({ verifyChain: true, verifyHost: false });
    expect(plan.node?.checkServerIdentity?.('other.name', {} as tls.PeerCertificate)).toBeUndefined();
  });

  it('verify-full checks the host the user typed, whatever name the driver passes (the pinned IP)', () => {
    const plan = planTls({ ...base, sslmode: 'verify-full' }, { allowPlaintextSql: false });
    expect(plan).toMatchObject({ verifyChain: true, verifyHost: true });
    expect(plan.node?.servername).toBe('db.example.com');
    const cert = {
      subject: { CN: 'db.example.com' },
      subjectaltname: 'DNS:db.example.com',
    } as tls.PeerCertificate;
    expect(plan.node?.checkServerIdentity?.('203.0.113.5', cert)).toBeUndefined();
    const other = { subject: { CN: 'x' }, subjectaltname: 'DNS:other.example.com' } as tls.PeerCertificate;
    expect(plan.node?.checkServerIdentity?.('db.example.com', other)).toBeInstanceOf(Error);
  });

  it('sends no SNI for an IP literal host', () => {
    const plan = planTls(
      { ...base, host: '203.0.113.5', sslmode: 'verify-full' },
      { allowPlaintextSql: false },
    );
    expect(plan.node?.servername).toBeUndefined();
  });

  it('mysql2 gets verifyIdentity only for verify-full', () => {
    const ctx = { allowPlaintextSql: true };
    expect(mysqlSsl(planTls({ ...base, sslmode: 'disable' }, ctx))).toBeUndefined();
    expect(mysqlSsl(planTls(base, ctx))).toMatchObject({ rejectUnauthorized: false, verifyIdentity: false });
    expect(mysqlSsl(planTls({ ...base, sslmode: 'verify-ca' }, ctx))).toMatchObject({
      rejectUnauthorized: true,
      verifyIdentity: false,
    });
    expect(mysqlSsl(planTls({ ...base, sslmode: 'verify-full' }, ctx))).toMatchObject({
      rejectUnauthorized: true,
      verifyIdentity: true,
    });
  });
});

describe('parseCaPem', () => {
  it('refuses text that holds no certificate with a validation_error on credentials.ca_pem', () => {
    for (const bad of ['garbage', '-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----']) {
      try {
        parseCaPem(bad);
        expect.unreachable();
      } catch (e) {
        expect(e).toMatchObject({
          code: 'validation_error',
          extras: { errors: [{ field: 'credentials.ca_pem' }] },
        });
      }
    }
  });

  it('keeps every certificate of a bundle', () => {
    const bundle = `${tls.rootCertificates[0]}\n${tls.rootCertificates[1]}`;
    expect(parseCaPem(bundle).match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
  });
});
