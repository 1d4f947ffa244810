/**
 * The one door for outbound connections to user-given hosts. A host is resolved, every address it
 * resolves to must be public unicast (or inside an operator-allowed CIDR), and the connection is then
 * pinned to the checked address so a second DNS answer cannot swap it (DNS rebinding).
 */
import dns from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { Agent, buildConnector } from 'undici';

export type EgressRefusal = 'invalid_host' | 'unresolvable' | 'private_address';

export class EgressError extends Error {
  constructor(
    readonly reason: EgressRefusal,
    message: string,
  ) {
    super(message);
    this.name = 'EgressError';
  }
}

export interface ResolvedHost {
  address: string;
  family: 4 | 6;
}

type Resolver = (host: string) => Promise<{ address: string; family: number }[]>;

const systemResolver: Resolver = (host) => dns.lookup(host, { all: true, verbatim: true });

// Hostnames per RFC 1123 (labels of letters, digits, hyphens; underscores tolerated as some records use them).
const HOSTNAME =
  /^(?=.{1,253}$)([a-zA-Z0-9_]([a-zA-Z0-9_-]{0,61}[a-zA-Z0-9_])?)(\.[a-zA-Z0-9_]([a-zA-Z0-9_-]{0,61}[a-zA-Z0-9_])?)*\.?$/;

/** IPv4 inside IPv6 (mapped, NAT64, 6to4) is judged as the IPv4 address it carries. */
function normalize(addr: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | ipaddr.IPv6 {
  if (addr.kind() === 'ipv6') {
    const v6 = addr as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) return v6.toIPv4Address();
  }
  return addr;
}

/** How an operator lets a refused address through: the setting and the narrowest CIDR naming it. */
const allowHint = (address: string) =>
  `an operator can allow it with FLOWYTE_ALLOW_PRIVATE_NETWORKS=${address}/${address.includes(':') ? 128 : 32}`;

export class EgressPolicy {
  private readonly allowed: [ipaddr.IPv4 | ipaddr.IPv6, number][];

  constructor(
    allowCidrs: string[] = [],
    private readonly resolver: Resolver = systemResolver,
  ) {
    this.allowed = allowCidrs.map((cidr) => {
      try {
        return ipaddr.parseCIDR(cidr);
      } catch {
        throw new Error(`FLOWYTE_ALLOW_PRIVATE_NETWORKS: "${cidr}" is not a CIDR`);
      }
    });
  }

  /** Whether a connection to this literal address is permitted. */
  isAllowedAddress(text: string): boolean {
    let addr: ipaddr.IPv4 | ipaddr.IPv6;
    try {
      addr = normalize(ipaddr.parse(text));
    } catch {
      return false;
    }
    if (this.allowed.some(([net, bits]) => net.kind() === addr.kind() && addr.match(net, bits))) return true;
    // IPv4-compatible IPv6 (::/96, deprecated by RFC 4291): ipaddr.js calls [::7f00:1] unicast, but
    // stacks that still honour it reach the embedded IPv4 address (loopback, metadata).
    if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).parts.slice(0, 6).every((p) => p === 0)) return false;
    // Only ordinary public unicast: this refuses loopback, private, link-local (cloud metadata),
    // CGNAT, multicast, unspecified, reserved, unique-local, NAT64, 6to4, Teredo and the like.
    return addr.range() === 'unicast';
  }

  /** Checks a host name or literal and returns the single address to connect to. */
  async resolve(hostInput: string): Promise<ResolvedHost> {
    const host = hostInput.trim().replace(/^\[(.*)\]$/, '$1');
    if (!host || host.includes('%') || host.length > 253) {
      throw new EgressError('invalid_host', 'the host is not a valid name or address');
    }
    if (ipaddr.isValid(host)) {
      const addr = normalize(ipaddr.parse(host));
      const text = addr.toString();
      if (!this.isAllowedAddress(text)) {
        throw new EgressError(
          'private_address',
          `the address ${hostInput} is a ${addr.range()} address, which the network policy refuses; ${allowHint(text)}`,
        );
      }
      return { address: text, family: addr.kind() === 'ipv4' ? 4 : 6 };
    }
    if (!HOSTNAME.test(host) || /^[0-9.]+$/.test(host)) {
      throw new EgressError('invalid_host', 'the host is not a valid name or address');
    }
    let answers: { address: string; family: number }[];
    try {
      answers = await this.resolver(host);
    } catch {
      throw new EgressError('unresolvable', `the host ${hostInput} does not resolve; check its spelling`);
    }
    if (answers.length === 0)
      throw new EgressError('unresolvable', `the host ${hostInput} does not resolve; check its spelling`);
    // Every answer must pass: otherwise a name with one public and one private address could be
    // steered to the private one by whoever controls its DNS.
    const refused = answers.find((a) => !this.isAllowedAddress(a.address));
    if (refused) {
      const text = normalize(ipaddr.parse(refused.address)).toString();
      throw new EgressError(
        'private_address',
        `the host ${hostInput} resolves to ${text}, a private or reserved address, which the network policy refuses; ${allowHint(text)}`,
      );
    }
    const first = normalize(ipaddr.parse(answers[0].address));
    return { address: first.toString(), family: first.kind() === 'ipv4' ? 4 : 6 };
  }

  /** A `net`/`tls` lookup function that only ever yields checked addresses. */
  lookup(): LookupFunction {
    return (hostname, options, callback) => {
      this.resolve(hostname).then(
        ({ address, family }) => {
          if ((options as { all?: boolean }).all) (callback as any)(null, [{ address, family }]);
          else callback(null, address, family);
        },
        (err: Error) =>
          callback(Object.assign(err, { code: 'EGRESS_REFUSED' }) as NodeJS.ErrnoException, '', 0),
      );
    };
  }

  /**
   * An undici dispatcher for `fetch` whose every connection (each redirect hop too) is checked and
   * then made to the checked address; TLS still verifies the certificate against the original name.
   */
  dispatcher(opts: { connectTimeoutMs?: number } = {}): Agent {
    const base = buildConnector({ timeout: opts.connectTimeoutMs ?? 10_000 });
    const connect: buildConnector.connector = (options, callback) => {
      const hostname = options.hostname;
      this.resolve(hostname).then(
        ({ address }) => {
          const servername =
            options.servername ||
            (ipaddr.isValid(hostname.replace(/^\[(.*)\]$/, '$1')) ? undefined : hostname);
          base({ ...options, hostname: address, servername }, callback);
        },
        (err: Error) => callback(err, null),
      );
    };
    return new Agent({ connect });
  }
}
