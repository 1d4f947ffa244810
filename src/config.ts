/** Every environment variable, parsed in one place, typed; a bad value stops the start. */
import path from 'node:path';
import type { LlmSettings } from './core/automap-llm.ts';

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
  sandbox: boolean;
  google: {
    authUrl: string;
    tokenUrl: string;
    revokeUrl: string;
    apiUrl: string;
    clientId: string | null;
    clientSecret: string | null;
  };
  shopifyApiUrl: string | null;
  /** The optional OpenAI-compatible model that ranks auto-map's candidates; null: built-in only. */
  automapLlm: LlmSettings | null;
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
  const googleBase = sandbox ? `${publicUrl}/sandbox/google` : null;
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
    sandbox,
    google: {
      authUrl:
        env.FLOWYTE_GOOGLE_AUTH_URL ||
        (googleBase ? `${googleBase}/o/oauth2/v2/auth` : 'https://accounts.google.com/o/oauth2/v2/auth'),
      tokenUrl:
        env.FLOWYTE_GOOGLE_TOKEN_URL ||
        (googleBase ? `${googleBase}/token` : 'https://oauth2.googleapis.com/token'),
      revokeUrl:
        env.FLOWYTE_GOOGLE_REVOKE_URL ||
        (googleBase ? `${googleBase}/revoke` : 'https://oauth2.googleapis.com/revoke'),
      apiUrl: env.FLOWYTE_GOOGLE_API_URL || googleBase || 'https://www.googleapis.com',
      clientId: env.GOOGLE_CLIENT_ID || (sandbox ? 'sandbox-client' : null),
      clientSecret: env.GOOGLE_CLIENT_SECRET || (sandbox ? 'sandbox-secret' : null),
    },
    shopifyApiUrl: env.FLOWYTE_SHOPIFY_API_URL || null,
    automapLlm: automapLlm(env),
  };
}
