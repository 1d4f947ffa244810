/**
 * The transport of both SQL providers: a socket pinned to the address the egress policy checked, and
 * sslmode → TLS options with libpq semantics. Since the socket connects to the pinned IP, every
 * certificate check here names the host the user typed.
 */
import { X509Certificate } from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';
import { AppError } from '../../errors.ts';
import type { ProviderContext } from '../types.ts';
import type { SqlCredentials, SslMode } from './credentials.ts';

export interface TlsPlan {
  sslmode: SslMode;
  encrypted: boolean;
  verifyChain: boolean;
  verifyHost: boolean;
  /** Options for `tls.connect` (pg's `ssl`), or null for plaintext. */
  node: tls.ConnectionOptions | null;
  /** How the certificate is (or is not) checked, for details and the sql/test report. */
  verification: string;
}

export const PLAINTEXT_REFUSED =
  'plaintext connections are disabled on this server; set FLOWYTE_SQL_ALLOW_PLAINTEXT=true or use TLS';

/** The host as a certificate would name it: IPv6 literals lose their brackets. */
export const bareHost = (host: string) => host.trim().replace(/^\[(.*)\]$/, '$1');

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Node ignores unparsable CA text silently (and then trusts nothing): refuse it up front instead. */
export function parseCaPem(pem: string): string {
  const blocks = pem.match(PEM_BLOCK) ?? [];
  const invalid = () =>
    new AppError('validation_error', 'ca_pem is not a PEM certificate', {
      errors: [
        {
          field: 'credentials.ca_pem',
          message: 'must hold one or more PEM certificates (-----BEGIN CERTIFICATE-----)',
        },
      ],
    });
  if (blocks.length === 0) throw invalid();
  for (const block of blocks) {
    try {
      new X509Certificate(block);
    } catch {
      throw invalid();
    }
  }
  return blocks.join('\n');
}

const skipIdentity = (): undefined => undefined;

export function planTls(creds: SqlCredentials, ctx: Pick<ProviderContext, 'allowPlaintextSql'>): TlsPlan {
  const sslmode = creds.sslmode;
  if (sslmode === 'disable') {
    if (!ctx.allowPlaintextSql) throw new AppError('credentials_rejected', PLAINTEXT_REFUSED);
    return {
      sslmode,
      encrypted: false,
      verifyChain: false,
      verifyHost: false,
      node: null,
      verification: 'plaintext allowed by operator',
    };
  }
  const ca = creds.ca_pem?.trim() ? parseCaPem(creds.ca_pem) : undefined;
  // libpq: `require` with a root certificate present behaves like verify-ca.
  const verifyChain = sslmode !== 'require' || ca !== undefined;
  const verifyHost = sslmode === 'verify-full';
  const host = bareHost(creds.host);
  const node: tls.ConnectionOptions = {
    rejectUnauthorized: verifyChain,
    minVersion: 'TLSv1.2',
    // Node checks the identity against servername/host, which the drivers may set to the pinned
    // address: check against the user's host explicitly instead.
    checkServerIdentity: verifyHost ? (_name, cert) => tls.checkServerIdentity(host, cert) : skipIdentity,
  };
  if (ca) node.ca = ca;
  // SNI carries names only (RFC 6066).
  if (net.isIP(host) === 0) node.servername = host;
  const against = ca ? 'the supplied CA' : 'the system CAs';
  const verification = !verifyChain
    ? 'certificate not verified (sslmode require)'
    : verifyHost
      ? `certificate chain (against ${against}) and host name verified`
      : `certificate chain verified against ${against}, host name not checked`;
  return { sslmode, encrypted: true, verifyChain, verifyHost, node, verification };
}

/** mysql2's `ssl` option: it takes no checkServerIdentity, only `verifyIdentity` against its `host`. */
export interface MysqlSsl {
  ca?: string;
  rejectUnauthorized: boolean;
  verifyIdentity: boolean;
  minVersion: tls.SecureVersion;
}

export function mysqlSsl(plan: TlsPlan): MysqlSsl | undefined {
  if (!plan.node) return undefined;
  const out: MysqlSsl = {
    rejectUnauthorized: plan.verifyChain,
    verifyIdentity: plan.verifyHost,
    minVersion: 'TLSv1.2',
  };
  if (typeof plan.node.ca === 'string') out.ca = plan.node.ca;
  return out;
}

/** The negotiated protocol of a live socket, e.g. `TLSv1.3`, or null when it is not TLS. */
export function tlsProtocolOf(socket: unknown): string | null {
  if (socket instanceof tls.TLSSocket) return socket.getProtocol() ?? 'TLS';
  return null;
}

/**
 * An unconnected socket whose `connect(port)` first asks the network policy for the host and then
 * connects to exactly the address it checked (no second DNS answer can swap it). Both drivers take it
 * as their `stream`: pg calls `connect(port, host)` itself, mysql2 gets it already connecting.
 */
export function pinnedSocket(host: string, ctx: Pick<ProviderContext, 'resolveHost'>): net.Socket {
  const socket = new net.Socket();
  const connect = socket.connect.bind(socket) as (port: number, host: string) => net.Socket;
  (socket as unknown as { connect: (port: number) => net.Socket }).connect = (port: number) => {
    ctx.resolveHost(bareHost(host)).then(
      ({ address }) => {
        if (!socket.destroyed) connect(port, address);
      },
      (err: Error) => socket.destroy(err),
    );
    return socket;
  };
  return socket;
}
