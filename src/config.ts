/** Every environment variable, parsed in one place, typed; a bad value stops the start. */
import path from 'node:path';
import type { LlmSettings } from './core/automap/index.ts';
import { DEFAULT_MIN_CONFIDENCE } from './core/automap/index.ts';

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  databaseUrl: string | null;
  /** base64 of 32 bytes; null means a key file in the data directory. */
  masterKey: string | null;
  /** The master key in use before the last rotation, so stored data keys still open during a roll. */
  previousMasterKey: string | null;
  allowPrivateNetworks: string[];
  sqlAllowPlaintext: boolean;
  publicUrl: string;
  logLevel: string;
  bodyLimitBytes: number;
  rateLimitPerMinute: number;
  connectTimeoutMs: number;
  /** On SIGTERM/SIGINT, how long in-flight requests may finish before connections are cut. */
  shutdownGraceMs: number;
  /** The deadline of one store statement (PostgreSQL statement timeout; SQLite's lock wait). */
  storeTimeoutMs: number;
  /** How long a request waits for a PostgreSQL store connection (from the pool or a new one). */
  storeConnectTimeoutMs: number;
  /** A client must have sent its request's headers within this (Node's headersTimeout). */
  headersTimeoutMs: number;
  sandbox: boolean;
  google: { apiUrl: string };
  /** OAuth apps by the name providers give in their spec (`auth.oauth.app`). */
  oauthApps: Record<string, OAuthAppConfig>;
  /** Replaces `https://{shop}` (a `{shop}` in it is replaced by the shop's domain). */
  shopifyApiUrl: string | null;
  shopifyApiVersion: string;
  /** The optional OpenAI-compatible model that ranks auto-map's candidates; null: built-in only. */
  automapLlm: LlmSettings | null;
  /** Auto-map refuses (422 goal_not_mappable) below this confidence, 0..1. */
  automapMinConfidence: number;
}

/**
 * An operator's OAuth app: its client and any endpoint the operator points elsewhere (a proxy, a
 * fake). Unset endpoints keep the provider's own. `settings` names the variables, for messages.
 */
export interface OAuthAppConfig {
  clientId: string | null;
  clientSecret: string | null;
  authorizeUrl?: string;
  tokenUrl?: string;
  revokeUrl?: string;
  userinfoUrl?: string;
  issuer?: string;
  settings: { clientId: string; clientSecret: string; issuer: string };
}

export class ConfigError extends Error {}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return n;
}

function fraction(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!/^\s*[0-9.]+\s*$/.test(raw) || !Number.isFinite(n) || n < 0 || n > 1) {
    throw new ConfigError(`${name} must be a number between 0 and 1, got "${raw}"`);
  }
  return n;
}

function bool(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = (env[name] ?? '').toLowerCase();
  if (raw === '' || raw === 'false' || raw === '0' || raw === 'no') return false;
  if (raw === 'true' || raw === '1' || raw === 'yes') return true;
  throw new ConfigError(`${name} must be true or false, got "${env[name]}"`);
}

function masterKeyValue(env: NodeJS.ProcessEnv, name: string): string | null {
  const raw = env[name];
  if (!raw) return null;
  if (Buffer.from(raw, 'base64').length !== 32) throw new ConfigError(`${name} must be base64 of 32 bytes`);
  return raw;
}

function automapLlm(env: NodeJS.ProcessEnv): LlmSettings | null {
  const url = env.FLOWYTE_AUTOMAP_LLM_URL;
  if (!url) return null;
  if (!/^https?:\/\/[^\s]+$/.test(url)) {
    throw new ConfigError('FLOWYTE_AUTOMAP_LLM_URL must be an http(s) URL, e.g. https://api.openai.com/v1');
  }
  return {
    url,
    model: env.FLOWYTE_AUTOMAP_LLM_MODEL || 'gpt-4o-mini',
    apiKey: env.FLOWYTE_AUTOMAP_LLM_API_KEY || null,
    timeoutMs: int(env, 'FLOWYTE_AUTOMAP_LLM_TIMEOUT_MS', 5000, 100, 60_000),
  };
}

/** The Google OAuth app: the sandbox's fake, or endpoints the operator points elsewhere. */
function googleApp(
  env: NodeJS.ProcessEnv,
  base: string | null,
  apiUrl: string,
  sandbox: boolean,
): OAuthAppConfig {
  const custom = Boolean(env.FLOWYTE_GOOGLE_API_URL || base);
  return {
    clientId: env.GOOGLE_CLIENT_ID || (sandbox ? 'sandbox-client' : null),
    clientSecret: env.GOOGLE_CLIENT_SECRET || (sandbox ? 'sandbox-secret' : null),
    authorizeUrl: env.FLOWYTE_GOOGLE_AUTH_URL || (base ? `${base}/o/oauth2/v2/auth` : undefined),
    tokenUrl: env.FLOWYTE_GOOGLE_TOKEN_URL || (base ? `${base}/token` : undefined),
    revokeUrl: env.FLOWYTE_GOOGLE_REVOKE_URL || (base ? `${base}/revoke` : undefined),
    // Userinfo is served beside the APIs, so it follows FLOWYTE_GOOGLE_API_URL.
    userinfoUrl: custom ? `${apiUrl}/oauth2/v3/userinfo` : undefined,
    issuer: env.FLOWYTE_GOOGLE_ISSUER || undefined,
    settings: {
      clientId: 'GOOGLE_CLIENT_ID',
      clientSecret: 'GOOGLE_CLIENT_SECRET',
      issuer: 'FLOWYTE_GOOGLE_ISSUER',
    },
  };
}

function shopifyApiVersion(env: NodeJS.ProcessEnv): string {
  const v = env.FLOWYTE_SHOPIFY_API_VERSION || '2026-10';
  if (!/^(\d{4}-(01|04|07|10)|unstable)$/.test(v)) {
    throw new ConfigError(
      `FLOWYTE_SHOPIFY_API_VERSION must look like 2026-10 (a quarterly release) or unstable, got "${v}"`,
    );
  }
  return v;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = int(env, 'PORT', 8080, 0, 65535);
  const host = env.HOST || '127.0.0.1';
  const databaseUrl = env.DATABASE_URL || null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must be a postgres:// URL');
  }
  const allowPrivateNetworks = (env.FLOWYTE_ALLOW_PRIVATE_NETWORKS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const publicUrl = (env.FLOWYTE_PUBLIC_URL || `http://${host}:${port}`).replace(/\/+$/, '');
  const sandbox = bool(env, 'FLOWYTE_SANDBOX');
  // The demo's Shopify fake is this server itself, reached through the network policy like a
  // real shop: on a loopback public URL (the default), allow that one address and nothing more.
  const selfHost = new URL(publicUrl).hostname.replace(/^\[(.*)\]$/, '$1');
  if (sandbox && !env.FLOWYTE_SHOPIFY_API_URL && /^(127\.\d+\.\d+\.\d+|::1)$/.test(selfHost)) {
    allowPrivateNetworks.push(selfHost.includes(':') ? `${selfHost}/128` : `${selfHost}/32`);
  }
  const googleBase = sandbox ? `${publicUrl}/sandbox/google` : null;
  const googleApiUrl = env.FLOWYTE_GOOGLE_API_URL || googleBase || 'https://www.googleapis.com';
  return {
    host,
    port,
    dataDir: path.resolve(env.FLOWYTE_DATA_DIR || '.flowyte'),
    databaseUrl,
    masterKey: masterKeyValue(env, 'FLOWYTE_MASTER_KEY'),
    previousMasterKey: masterKeyValue(env, 'FLOWYTE_MASTER_KEY_PREVIOUS'),
    allowPrivateNetworks,
    sqlAllowPlaintext: bool(env, 'FLOWYTE_SQL_ALLOW_PLAINTEXT'),
    publicUrl,
    logLevel: env.LOG_LEVEL || 'info',
    bodyLimitBytes: int(env, 'FLOWYTE_BODY_LIMIT_BYTES', 1_048_576, 1024, 64 * 1_048_576),
    rateLimitPerMinute: int(env, 'FLOWYTE_RATE_LIMIT_PER_MINUTE', 1200, 1, 10_000_000),
    connectTimeoutMs: int(env, 'FLOWYTE_CONNECT_TIMEOUT_MS', 10_000, 100, 120_000),
    shutdownGraceMs: int(env, 'FLOWYTE_SHUTDOWN_GRACE_MS', 8_000, 100, 120_000),
    storeTimeoutMs: int(env, 'FLOWYTE_STORE_TIMEOUT_MS', 3_000, 100, 120_000),
    storeConnectTimeoutMs: int(env, 'FLOWYTE_STORE_CONNECT_TIMEOUT_MS', 2_000, 100, 120_000),
    headersTimeoutMs: int(env, 'FLOWYTE_HEADERS_TIMEOUT_MS', 10_000, 100, 300_000),
    sandbox,
    google: { apiUrl: googleApiUrl },
    oauthApps: { google: googleApp(env, googleBase, googleApiUrl, sandbox) },
    shopifyApiUrl: env.FLOWYTE_SHOPIFY_API_URL || (sandbox ? `${publicUrl}/sandbox/shopify/{shop}` : null),
    shopifyApiVersion: shopifyApiVersion(env),
    automapLlm: automapLlm(env),
    automapMinConfidence: fraction(env, 'FLOWYTE_AUTOMAP_MIN_CONFIDENCE', DEFAULT_MIN_CONFIDENCE),
  };
}
