import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../errors.ts';
import { EgressError } from '../../security/egress.ts';
import type { ProviderContext } from '../types.ts';
import {
  CHECK_NAMES,
  latencyVerdict,
  runSqlChecks,
  SKIPPED,
  type SqlCheckEngine,
  type SqlCheckSession,
} from './checks.ts';

// The shared runner with a scripted engine: ordering, skipping and verdicts without a database.
let server: net.Server;
let port: number;
beforeAll(async () => {
  server = net.createServer((s) => s.destroy());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as net.AddressInfo).port;
});
afterAll(() => {
  server.close();
});

const ctx = (over: Partial<ProviderContext> = {}): ProviderContext => ({
  endpoints: { googleApiUrl: 'http://127.0.0.1:9', shopifyApiUrl: null, shopifyApiVersion: '2026-10' },
  resolveHost: async () => ({ address: '127.0.0.1', family: 4 }),
  allowPlaintextSql: true,
  timeoutMs: 1000,
  ...over,
});
const creds = (over: Record<string, unknown> = {}) => ({
  host: 'db.example.test',
  port,
  database: 'shop',
  user: 'reader',
  password: 'pw-canary',
  sslmode: 'disable',
  ...over,
});

function fakeSession(over: Partial<SqlCheckSession> = {}): SqlCheckSession & { closed: boolean } {
  const s = {
    closed: false,
    tlsProtocol: () => null,
    identity: async () => ({ user: '"reader"', version: 'PostgreSQL 15.20' }),
    catalog: async () => ({ tables: 3, views: 1 }),
    probe: async () => {},
    writeGrants: async () => [] as string[],
    destroy: () => {},
    close: async () => {
      s.closed = true;
    },
    ...over,
  };
  return s;
}

const engineWith = (open: SqlCheckEngine['open']): SqlCheckEngine => ({ kind: 'postgres', open });

describe('runSqlChecks', () => {
  it('runs the seven checks in order and closes the connection', async () => {
    const session = fakeSession();
    const checks = await runSqlChecks(
      engineWith(async () => session),
      creds(),
      ctx(),
    );
    expect(checks.map((c) => c.name)).toEqual([...CHECK_NAMES]);
    expect(checks.every((c) => c.ok)).toBe(true);
    expect(checks[0].detail).toBe(
      `db.example.test → 127.0.0.1 is allowed by the network policy; port ${port} accepts connections`,
    );
    expect(checks[1].detail).toBe('plaintext allowed by operator');
    expect(checks[2].detail).toBe('signed in as "reader" to shop (server PostgreSQL 15.20)');
    expect(checks[3].detail).toBe('the role can read 3 tables and 1 view');
    expect(checks[4].detail).toMatch(/^5 trivial reads, median [\d.]+ ms$/);
    expect(checks[6].detail).toMatch(/good for live calls$/);
    expect(session.closed).toBe(true);
  });

  it('skips everything after a network-policy refusal, and never throws', async () => {
    const refuse = async (): Promise<never> => {
      throw new EgressError(
        'private_address',
        '10.0.0.5 is a private address, which the network policy refuses',
      );
    };
    const checks = await runSqlChecks(
      engineWith(async () => fakeSession()),
      creds(),
      ctx({ resolveHost: refuse }),
    );
    expect(checks[0]).toMatchObject({
      name: 'resolve',
      ok: false,
      detail: '10.0.0.5 is a private address, which the network policy refuses',
    });
    expect(checks.slice(1).every((c) => !c.ok && c.detail === SKIPPED && c.ms === 0)).toBe(true);
    expect(checks.map((c) => c.name)).toEqual([...CHECK_NAMES]);
  });

  it('reports plaintext refused by the operator as the tls check', async () => {
    const checks = await runSqlChecks(
      engineWith(async () => fakeSession()),
      creds(),
      ctx({ allowPlaintextSql: false }),
    );
    expect(checks[0].ok).toBe(true);
    expect(checks[1]).toMatchObject({
      name: 'tls',
      ok: false,
      detail: expect.stringContaining('FLOWYTE_SQL_ALLOW_PLAINTEXT'),
    });
    expect(checks[2].detail).toBe(SKIPPED);
  });

  it('a rejected login passes tls and fails auth, without the password in any detail', async () => {
    const open = async (): Promise<never> => {
      throw Object.assign(new Error('password authentication failed for user "reader"'), { code: '28P01' });
    };
    const checks = await runSqlChecks(engineWith(open), creds({ sslmode: 'require' }), ctx());
    expect(checks[1]).toMatchObject({ name: 'tls', ok: true });
    expect(checks[2]).toMatchObject({
      name: 'auth',
      ok: false,
      detail: expect.stringContaining('wrong user name or password'),
    });
    expect(JSON.stringify(checks)).not.toContain('pw-canary');
  });

  it('a TLS failure fails the tls check with advice', async () => {
    const open = async (): Promise<never> => {
      throw Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    };
    const checks = await runSqlChecks(engineWith(open), creds({ sslmode: 'verify-ca' }), ctx());
    expect(checks[1]).toMatchObject({ ok: false, detail: expect.stringContaining('ca_pem') });
    expect(checks[2].detail).toBe(SKIPPED);
  });

  it('an empty catalog and write grants are advisory: the probe and latency still run', async () => {
    const session = fakeSession({
      catalog: async () => ({ tables: 0, views: 0 }),
      writeGrants: async () => ['INSERT/UPDATE/DELETE on 2 tables: a, b'],
    });
    const checks = await runSqlChecks(
      engineWith(async () => session),
      creds(),
      ctx(),
    );
    const byName = Object.fromEntries(checks.map((c) => [c.name, c]));
    expect(byName.catalog).toMatchObject({
      ok: false,
      detail: expect.stringContaining('can read no tables'),
    });
    expect(byName.read_probe.ok).toBe(true);
    expect(byName.read_only).toMatchObject({
      ok: false,
      detail: expect.stringContaining('GET /integrations/postgres/sql/scripts'),
    });
    expect(byName.latency.ok).toBe(true);
  });

  it('a step that overruns the time bound fails, tears the connection down, and the rest are skipped', async () => {
    let destroyed = false;
    const session = fakeSession({
      probe: () => new Promise(() => {}),
      destroy: () => {
        destroyed = true;
      },
    });
    const checks = await runSqlChecks(
      engineWith(async () => session),
      creds(),
      ctx({ timeoutMs: 100 }),
    );
    const byName = Object.fromEntries(checks.map((c) => [c.name, c]));
    expect(byName.read_probe).toMatchObject({
      ok: false,
      detail: expect.stringContaining('did not answer in time'),
    });
    expect(byName.read_only.detail).toBe(SKIPPED);
    expect(destroyed).toBe(true);
  });

  it('a closed port fails the resolve check', async () => {
    const checks = await runSqlChecks(
      engineWith(async () => fakeSession()),
      creds({ port: 1 }),
      ctx(),
    );
    expect(checks[0]).toMatchObject({ ok: false, detail: expect.stringContaining('refused the connection') });
  });

  it('shape errors are validation errors (core validates before)', async () => {
    await expect(
      runSqlChecks(
        engineWith(async () => fakeSession()),
        { host: 'x' },
        ctx(),
      ),
    ).rejects.toBeInstanceOf(AppError);
  });
});

describe('latencyVerdict', () => {
  it.each([
    [3, true, 'good for live calls'],
    [19.9, true, 'good for live calls'],
    [20, true, 'usable for live calls'],
    [149, true, 'usable for live calls'],
    [150, false, 'too slow for live calls'],
  ])('%d ms → ok %s, %s', (ms, ok, verdict) => {
    expect(latencyVerdict(ms)).toEqual({ ok, verdict });
  });
});
