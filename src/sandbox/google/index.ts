/**
 * HTTP-level fakes of Google's OAuth, Calendar v3, Sheets v4 and Drive v3 APIs, as one Fastify
 * plugin. Tests start it on a real socket; `npm run demo` mounts it under `/sandbox/google`.
 */
import Fastify, { type FastifyError, type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import { registerCalendar } from './calendar.ts';
import { registerDrive } from './drive.ts';
import { ApiError, familyOf, renderApiError } from './errors.ts';
import { FaultSwitches, installHooks, RequestLog, relativePath } from './faults.ts';
import { IdTokenSigner } from './id-token.ts';
import { registerOAuth } from './oauth.ts';
import { Seeder } from './seed.ts';
import { registerSheets } from './sheets.ts';
import { GoogleWorld } from './state.ts';
import type { TokenCounters } from './token-store.ts';

export type { EventInput } from './calendar-events.ts';
export { seedDemoWorld } from './demo-world.ts';
export type {
  FaultHandle,
  FaultScope,
  FaultSpec,
  FaultSwitches,
  LoggedRequest,
  RequestLog,
} from './faults.ts';
export type {
  AccountSeed,
  CalendarSeed,
  DriveFileSeed,
  Seeder,
  SheetSeed,
  SpreadsheetSeed,
  TokenSeed,
} from './seed.ts';
export type {
  Account,
  Calendar,
  CalendarEvent,
  CellValue,
  GoogleWorld,
  Sheet,
  Spreadsheet,
} from './state.ts';
export { SPREADSHEET_MIME } from './state.ts';
export type { IssuedTokens, TokenCounters } from './token-store.ts';

export interface GoogleFakeOptions {
  clientId: string;
  clientSecret: string;
  /** Exact redirect URIs the client may use; omitted: any http(s) URI is accepted. */
  redirectUris?: string[];
  /** Access token lifetime in seconds (default 3599, like Google). */
  accessTokenTtlSeconds?: number;
}

export interface GoogleFake {
  /** Register under a prefix: `app.register(fake.plugin, { prefix: '/sandbox/google' })`. */
  plugin: FastifyPluginAsync;
  /** The in-memory world: accounts, calendars, events, spreadsheets, Drive files, tokens, settings. */
  state: GoogleWorld;
  /** Direct builders for accounts, calendars, events, spreadsheets, Drive files and tokens. */
  seed: Seeder;
  /** Fault injection: 401, 429 + Retry-After, 5xx, slowness, invalid_grant. */
  faults: FaultSwitches;
  /** Every request the fake received (no Authorization header, OAuth secrets masked). */
  log: RequestLog;
  /** refreshGrants / codeGrants / revocations served. */
  counters: TokenCounters;
  /** Expires every access token issued so far; returns how many there were. */
  expireAccessTokens(): number;
  /** Moves the fake's clock forward (code and token expiry). */
  advanceTime(ms: number): void;
  /** Empties the world, faults, log and counters, and restores settings. */
  reset(): void;
}

function parseForm(body: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(body)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | ApiError, req, reply) => {
    const family = familyOf(relativePath(app, req.url));
    if (err instanceof ApiError) return reply.code(err.code).send(renderApiError(family, err));
    const code = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
    if (code >= 500) req.log.error({ err }, 'google fake failed');
    if (family === 'oauth') {
      return reply
        .code(code)
        .send({ error: code < 500 ? 'invalid_request' : 'internal_failure', error_description: err.message });
    }
    const message = code === 400 ? `Invalid JSON payload received. ${err.message}` : err.message;
    return reply
      .code(code)
      .send(
        renderApiError(family, new ApiError(code, message, code === 400 ? 'parseError' : 'backendError')),
      );
  });
  // Fastify allows one 404 handler per prefix; mounted at a host's root, the host's handler stays.
  if (!app.prefix) return;
  app.setNotFoundHandler((req, reply) => {
    const family = familyOf(relativePath(app, req.url));
    return reply.code(404).send(renderApiError(family, new ApiError(404, 'Not Found', 'notFound')));
  });
}

export function createGoogleFake(opts: GoogleFakeOptions): GoogleFake {
  const state = new GoogleWorld(
    opts.accessTokenTtlSeconds === undefined ? {} : { accessTokenTtlSeconds: opts.accessTokenTtlSeconds },
  );
  const seed = new Seeder(state, opts.clientId);
  const faults = new FaultSwitches();
  const log = new RequestLog();
  const signer = new IdTokenSigner();

  const plugin: FastifyPluginAsync = async (app) => {
    // The host may already parse forms (e.g. @fastify/formbody); its parser yields the same object shape.
    if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) {
      app.addContentTypeParser(
        'application/x-www-form-urlencoded',
        { parseAs: 'string' },
        (_req, body, done) => done(null, parseForm(body as string)),
      );
    }
    // Google accepts `Content-Type: application/json` with an empty body (some clients send it on
    // DELETE); Fastify's default parser refuses that, so wrap it, keeping its poisoning protection.
    const json = app.getDefaultJsonParser('error', 'error');
    if (app.hasContentTypeParser('application/json')) app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) =>
      body === '' ? done(null, undefined) : json(req, body as string, done),
    );
    installHooks(app, faults, log);
    installErrorHandling(app);
    registerOAuth(app, { world: state, seed, faults, signer, ...opts });
    registerCalendar(app, state);
    registerSheets(app, state);
    registerDrive(app, state);
  };

  return {
    plugin,
    state,
    seed,
    faults,
    log,
    counters: state.tokens.counters,
    expireAccessTokens: () => state.tokens.expireAllAccessTokens(),
    advanceTime: (ms) => state.clock.advance(ms),
    reset: () => {
      state.reset();
      faults.clear();
      log.clear();
    },
  };
}

/** Starts the fake alone on 127.0.0.1 (random port), mounted at the root. */
export async function startGoogleFake(
  opts: GoogleFakeOptions,
): Promise<{ url: string; fake: GoogleFake; close(): Promise<void> }> {
  const fake = createGoogleFake(opts);
  const app = Fastify({ logger: false, forceCloseConnections: true });
  await app.register(fake.plugin);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, fake, close: () => app.close() };
}
