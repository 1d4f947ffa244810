/**
 * The outbound network policy against every spelling of a private address, names that resolve to
 * them, and the undici dispatcher refusing private hosts and redirects to them.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { EgressError, EgressPolicy } from '../src/security/egress.ts';

type Answers = Record<string, string[]>;

/** A resolver that answers from a table, as DNS would (unknown names do not resolve). */
const tableResolver = (answers: Answers) => async (host: string) => {
  const list = answers[host.toLowerCase()];
  if (!list) throw Object.assign(new Error(`ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return list.map((address) => ({ address, family: net.isIPv6(address) ? 6 : 4 }));
};

const DNS: Answers = {
  'public.example': ['93.184.216.34'],
  'v6.example': ['2606:4700:4700::1111'],
  'two-public.example': ['1.1.1.1', '8.8.8.8'],
  'rebind.example': ['127.0.0.1'],
  'metadata.example': ['169.254.169.254'],
  'mixed.example': ['93.184.216.34', '10.0.0.7'],
  'mixed-v6.example': ['93.184.216.34', '::1'],
  'mapped.example': ['::ffff:127.0.0.1'],
  'nat64.example': ['64:ff9b::a9fe:a9fe'],
  'ula.example': ['fd00:ec2::254'],
  'empty.example': [],
};

const refused = [
  '0x7f.1',
  '017700000001',
  '2130706433',
  '127.1',
  '127.0.0.1',
  '0177.0.0.1',
  '0x7f000001',
  '[::ffff:127.0.0.1]',
  '::ffff:7f00:1',
  '::ffff:169.254.169.254',
  '169.254.169.254',
  'fd00:ec2::254',
  '100.64.0.1',
  '0.0.0.0',
  '0',
  '::',
  '::1',
  '[::1]',
  '224.0.0.1',
  'ff02::1',
  'fe80::1',
  '64:ff9b::a9fe:a9fe',
  '64:ff9b::7f00:1',
  // IPv4-compatible IPv6 (::/96): the embedded loopback, metadata, or any address at all.
  '[::7f00:1]',
  '::a9fe:a9fe',
  '::808:808',
  '2002:7f00:1::',
  '2001::1',
  '10.0.0.1',
  '172.16.0.1',
  '192.168.1.1',
  '255.255.255.255',
  '198.18.0.1',
  '192.0.2.1',
  '2001:db8::1',
  // Names: the answer decides, and every answer must pass.
  'rebind.example',
  'metadata.example',
  'mixed.example',
  'mixed-v6.example',
  'mapped.example',
  'nat64.example',
  'ula.example',
];

describe('EgressPolicy.resolve', () => {
  const policy = new EgressPolicy([], tableResolver(DNS));

  test.each(refused)('%s is refused as a private or reserved address', async (host) => {
    await expect(policy.resolve(host)).rejects.toMatchObject({
      name: 'EgressError',
      reason: 'private_address',
    });
  });

  test.each([
    ['8.8.8.8', '8.8.8.8'],
    ['0x08.0x08.0x08.0x08', '8.8.8.8'],
    ['::ffff:8.8.8.8', '8.8.8.8'],
    ['2606:4700:4700::1111', '2606:4700:4700::1111'],
    ['[2606:4700:4700::1111]', '2606:4700:4700::1111'],
    ['public.example', '93.184.216.34'],
    ['PUBLIC.example', '93.184.216.34'],
    ['v6.example', '2606:4700:4700::1111'],
    ['two-public.example', '1.1.1.1'],
  ])('%s is allowed and pinned to %s', async (host, address) => {
    expect((await policy.resolve(host)).address).toBe(address);
  });

  test.each([
    ['fe80::1%eth0'],
    [''],
    ['   '],
    ['exa mple.com'],
    ['a'.repeat(254)],
    ['http://x.example'],
    ['x.example/path'],
    ['127.0.0.1.'],
    ['-bad.example'],
    ['a..b'],
  ])('%j is refused as an invalid host', async (host) => {
    await expect(policy.resolve(host)).rejects.toMatchObject({ reason: 'invalid_host' });
  });

  test.each([['nowhere.example'], ['empty.example']])(
    '%s, which does not resolve, is refused',
    async (host) => {
      await expect(policy.resolve(host)).rejects.toMatchObject({ reason: 'unresolvable' });
    },
  );

  test('localhost is refused through the system resolver', async () => {
    await expect(new EgressPolicy([]).resolve('localhost')).rejects.toBeInstanceOf(EgressError);
  });
});

describe('a refusal names the address and the setting that would allow it', () => {
  const policy = new EgressPolicy([], tableResolver(DNS));

  test.each([
    ['10.0.0.7', '10.0.0.7/32'],
    ['0x7f.1', '127.0.0.1/32'],
    ['rebind.example', '127.0.0.1/32'],
    ['mixed-v6.example', '::1/128'],
    ['mapped.example', '127.0.0.1/32'],
  ])('%s → FLOWYTE_ALLOW_PRIVATE_NETWORKS=%s', async (host, cidr) => {
    const err = await policy.resolve(host).catch((e: Error) => e);
    expect(err).toBeInstanceOf(EgressError);
    expect((err as Error).message).toContain(`FLOWYTE_ALLOW_PRIVATE_NETWORKS=${cidr}`);
    expect((err as Error).message).toContain(cidr.split('/')[0]);
  });
});

describe('FLOWYTE_ALLOW_PRIVATE_NETWORKS', () => {
  const policy = new EgressPolicy(
    ['10.0.0.0/8', '127.0.0.1/32', 'fd00::/8'],
    tableResolver({ ...DNS, 'db.internal': ['10.1.2.3'] }),
  );

  test.each([
    ['10.1.2.3'],
    ['127.0.0.1'],
    ['0x7f.0.0.1'],
    ['::ffff:127.0.0.1'],
    ['fd00:ec2::254'],
    ['db.internal'],
    ['mixed.example'],
    ['rebind.example'],
  ])('%s inside an allowed CIDR is permitted', async (host) => {
    await expect(policy.resolve(host)).resolves.toMatchObject({ address: expect.any(String) });
  });

  test.each([
    ['127.0.0.2'],
    ['192.168.0.1'],
    ['169.254.169.254'],
    ['::1'],
    ['metadata.example'],
    ['mixed-v6.example'],
  ])('%s outside the allowed CIDRs is still refused', async (host) => {
    await expect(policy.resolve(host)).rejects.toMatchObject({ reason: 'private_address' });
  });

  test('a value that is not a CIDR stops the start', () => {
    expect(() => new EgressPolicy(['10.0.0.0/33'])).toThrow(/not a CIDR/);
    expect(() => new EgressPolicy(['not-a-network'])).toThrow(/not a CIDR/);
  });
});

describe('connections through the policy', () => {
  let redirector: http.Server;
  let secret: http.Server;
  let port: number;
  let secretHits = 0;
  const hosts: string[] = [];

  beforeAll(async () => {
    // The "internal" service lives on 127.0.0.2; the public-looking one on 127.0.0.1 redirects to it.
    secret = http.createServer((_req, res) => {
      secretHits++;
      res.end('internal secret');
    });
    await new Promise<void>((r) => secret.listen(0, '127.0.0.2', r));
    port = (secret.address() as AddressInfo).port;
    redirector = http.createServer((req, res) => {
      hosts.push(String(req.headers.host));
      if (req.url === '/ok') return res.end('public page');
      const target =
        req.url === '/to-literal' ? `http://127.0.0.2:${port}/` : `http://internal.example:${port}/`;
      res.writeHead(302, { location: target }).end();
    });
    await new Promise<void>((r) => redirector.listen(port, '127.0.0.1', r));
  });

  afterAll(() => {
    redirector.close();
    secret.close();
  });

  const names = () => ({
    'public.example': ['127.0.0.1'],
    'internal.example': ['127.0.0.2'],
    'private.example': ['10.9.9.9'],
  });

  test('the dispatcher connects to the checked address and keeps the name in the Host header', async () => {
    const policy = new EgressPolicy(['127.0.0.1/32'], tableResolver(names()));
    const res = await fetch(`http://public.example:${port}/ok`, { dispatcher: policy.dispatcher() });
    expect(await res.text()).toBe('public page');
    expect(hosts.at(-1)).toBe(`public.example:${port}`);
  });

  test('the dispatcher refuses a host that resolves to a private address', async () => {
    const policy = new EgressPolicy([], tableResolver(names()));
    const err = await fetch(`http://private.example:${port}/`, { dispatcher: policy.dispatcher() }).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(TypeError);
    expect(err.cause).toBeInstanceOf(EgressError);
  });

  test.each([['/to-name'], ['/to-literal']])(
    'a redirect (%s) to a private address is refused and never reached',
    async (path) => {
      const policy = new EgressPolicy(['127.0.0.1/32'], tableResolver(names()));
      const before = secretHits;
      const err = await fetch(`http://public.example:${port}${path}`, {
        dispatcher: policy.dispatcher(),
      }).catch((e) => e);
      expect(err).toBeInstanceOf(TypeError);
      expect(err.cause).toMatchObject({ reason: 'private_address' });
      expect(secretHits).toBe(before);
    },
  );

  test('the same redirect is followed when the operator allows that network (the check is what stops it)', async () => {
    const policy = new EgressPolicy(['127.0.0.1/32', '127.0.0.2/32'], tableResolver(names()));
    const res = await fetch(`http://public.example:${port}/to-name`, { dispatcher: policy.dispatcher() });
    expect(await res.text()).toBe('internal secret');
  });

  test('the net/tls lookup hook refuses private answers', async () => {
    const policy = new EgressPolicy([], tableResolver(names()));
    const err = await new Promise<NodeJS.ErrnoException>((resolve) => {
      const socket = net.connect({ host: 'public.example', port, lookup: policy.lookup() });
      socket.once('error', resolve);
      socket.once('connect', () => {
        socket.destroy();
        resolve(new Error('connected') as NodeJS.ErrnoException);
      });
    });
    expect(err.code).toBe('EGRESS_REFUSED');
  });

  test('the lookup hook yields only the checked address when allowed', async () => {
    const policy = new EgressPolicy(['127.0.0.1/32'], tableResolver(names()));
    const remote = await new Promise<string | undefined>((resolve, reject) => {
      const socket = net.connect({ host: 'public.example', port, lookup: policy.lookup() });
      socket.once('error', reject);
      socket.once('connect', () => {
        resolve(socket.remoteAddress);
        socket.destroy();
      });
    });
    expect(remote).toBe('127.0.0.1');
  });
});
