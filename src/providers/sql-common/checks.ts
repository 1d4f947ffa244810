/**
 * The ordered connection checks of `POST /integrations/{kind}/sql/test`, shared by both engines. A
 * credential problem is a failed check, never a throw: the route always answers 200. Nothing is
 * stored; the one connection opened is closed before returning.
 */
import net from 'node:net';
import type { ProviderContext, SqlCheck } from '../types.ts';
import { parseSqlCredentials, type SqlCredentials } from './credentials.ts';
import { classifySqlError, describeSqlError, withTimeout } from './errors.ts';
import { planTls, type TlsPlan } from './tls.ts';

/** What one engine provides on an open connection. */
export interface SqlCheckSession {
  /** Negotiated TLS protocol (`TLSv1.3`), or null for plaintext. */
  tlsProtocol(): string | null;
  /** Who we are signed in as and the server version, for the auth detail. */
  identity(): Promise<{ user: string; version: string }>;
  /** Tables and views the role can read in the connected database. */
  catalog(): Promise<{ tables: number; views: number }>;
  /** One trivial round trip. */
  probe(): Promise<void>;
  /** Where the role may INSERT, UPDATE or DELETE, as short phrases; empty when it cannot write. */
  writeGrants(): Promise<string[]>;
  /** Tears the connection down now (used when a step overruns the time bound). */
  destroy(): void;
  close(): Promise<void>;
}

export interface SqlCheckEngine {
  kind: 'postgres' | 'mysql';
  open(creds: SqlCredentials, ctx: ProviderContext): Promise<SqlCheckSession>;
}

export const SKIPPED = 'skipped: an earlier check failed';
export const CHECK_NAMES = [
  'resolve',
  'tls',
  'auth',
  'catalog',
  'read_probe',
  'read_only',
  'latency',
] as const;
const PROBES = 5;

export function latencyVerdict(medianMs: number): { ok: boolean; verdict: string } {
  if (medianMs < 20) return { ok: true, verdict: 'good for live calls' };
  if (medianMs < 150) return { ok: true, verdict: 'usable for live calls' };
  return { ok: false, verdict: 'too slow for live calls' };
}

const round = (ms: number) => Math.round(ms * 10) / 10;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Opens (and closes) a plain TCP connection to the pinned address: tells "nothing listens" apart. */
function tcpReachable(address: string, port: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: address, port });
    socket.setTimeout(timeoutMs, () =>
      socket.destroy(Object.assign(new Error('connect timed out'), { code: 'ETIMEDOUT' })),
    );
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', reject);
  });
}

export async function runSqlChecks(
  engine: SqlCheckEngine,
  input: unknown,
  ctx: ProviderContext,
): Promise<SqlCheck[]> {
  const creds = parseSqlCredentials(input);
  const checks: SqlCheck[] = [];
  let failed = false;
  const target = { ...creds };
  const describe = (err: unknown) => describeSqlError(err, target);

  /** Runs one check unless an essential one failed before; `essential` failures skip the rest. */
  const step = async (
    name: string,
    essential: boolean,
    fn: () => Promise<{ ok: boolean; detail: string }>,
  ) => {
    if (failed) {
      checks.push({ name, ok: false, detail: SKIPPED, ms: 0 });
      return;
    }
    const t0 = performance.now();
    let result: { ok: boolean; detail: string };
    try {
      result = await fn();
    } catch (err) {
      result = { ok: false, detail: describe(err) };
    }
    checks.push({ name, ...result, ms: round(performance.now() - t0) });
    if (!result.ok && essential) failed = true;
  };

  let pinned: { address: string; family: 4 | 6 } | undefined;
  await step('resolve', true, async () => {
    pinned = await withTimeout(ctx.resolveHost(creds.host.trim()), ctx.timeoutMs, () => {}, ctx.signal);
    await tcpReachable(pinned.address, creds.port, ctx.timeoutMs);
    const shown =
      pinned.address === creds.host.trim() ? pinned.address : `${creds.host.trim()} → ${pinned.address}`;
    return {
      ok: true,
      detail: `${shown} is allowed by the network policy; port ${creds.port} accepts connections`,
    };
  });

  // Later connections reuse the address checked above rather than resolving again.
  const pinnedCtx: ProviderContext = { ...ctx, resolveHost: async () => pinned! };
  let plan: TlsPlan | undefined;
  let session: SqlCheckSession | undefined;
  let connectError: unknown;
  let connectMs = 0;
  try {
    if (!failed) {
      const t0 = performance.now();
      try {
        plan = planTls(creds, ctx);
        session = await engine.open(creds, pinnedCtx);
      } catch (err) {
        connectError = err;
      }
      connectMs = performance.now() - t0;
    }
    // A rejected login proves the TLS layer (when asked for) came up: auth happens inside it.
    const authFailure =
      connectError !== undefined && plan !== undefined && classifySqlError(connectError) === 'auth';
    const tlsFailure = connectError !== undefined && !authFailure && (plan === undefined || plan.encrypted);

    if (failed) await step('tls', true, async () => ({ ok: false, detail: SKIPPED }));
    else {
      checks.push({
        name: 'tls',
        ok: !tlsFailure,
        detail: tlsFailure ? describe(connectError) : tlsDetail(plan!, session),
        ms: round(connectMs),
      });
      if (tlsFailure) failed = true;
    }

    await step('auth', true, async () => {
      if (connectError !== undefined) return { ok: false, detail: describe(connectError) };
      const id = await bounded(session!, ctx, session!.identity());
      return { ok: true, detail: `signed in as ${id.user} to ${creds.database} (server ${id.version})` };
    });

    await step('catalog', false, async () => {
      const { tables, views } = await bounded(session!, ctx, session!.catalog());
      if (tables + views === 0) {
        return {
          ok: false,
          detail: `the role can read no tables or views in ${creds.database}; grant SELECT (see sql/scripts)`,
        };
      }
      return {
        ok: true,
        detail: `the role can read ${plural(tables, 'table')} and ${plural(views, 'view')}`,
      };
    });

    let probeMedian = Number.NaN;
    await step('read_probe', true, async () => {
      const times: number[] = [];
      for (let i = 0; i < PROBES; i++) {
        const t0 = performance.now();
        await bounded(session!, ctx, session!.probe());
        times.push(performance.now() - t0);
      }
      probeMedian = median(times);
      return { ok: true, detail: `${PROBES} trivial reads, median ${round(probeMedian)} ms` };
    });

    await step('read_only', false, async () => {
      const grants = await bounded(session!, ctx, session!.writeGrants());
      if (grants.length === 0)
        return { ok: true, detail: 'the role holds no INSERT, UPDATE or DELETE privilege' };
      return {
        ok: false,
        detail:
          `the role can write (${grants.join('; ')}); for live calls prefer a read-only role: ` +
          `GET /integrations/${engine.kind}/sql/scripts`,
      };
    });

    await step('latency', false, async () => {
      const { ok, verdict } = latencyVerdict(probeMedian);
      return { ok, detail: `median round trip ${round(probeMedian)} ms: ${verdict}` };
    });
  } finally {
    await session?.close().catch(() => session?.destroy());
  }
  return checks;
}

function tlsDetail(plan: TlsPlan, session: SqlCheckSession | undefined): string {
  if (!plan.encrypted) return plan.verification;
  const protocol = session?.tlsProtocol() ?? 'TLS';
  return `${protocol}, ${plan.verification}`;
}

/** Bounds one step on an open session; an overrun tears the connection down so nothing lingers. */
function bounded<T>(session: SqlCheckSession, ctx: ProviderContext, work: Promise<T>): Promise<T> {
  return withTimeout(work, ctx.timeoutMs, () => session.destroy(), ctx.signal);
}
