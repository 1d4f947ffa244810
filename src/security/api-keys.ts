/** API key format and hashing. Keys are shown once; only an HMAC of them is stored. */
import { createHmac, randomBytes } from 'node:crypto';

export const KEY_PREFIX = 'flowyte_sk_live_';

export const SCOPES = [
  'integrations:read',
  'integrations:write',
  'skills:write',
  'agents:read',
  'agents:write',
  'skills:invoke',
  'keys:write',
  'metrics:read',
] as const;

export type Scope = (typeof SCOPES)[number];

export const isScope = (s: string): s is Scope => (SCOPES as readonly string[]).includes(s);

export function generateApiKey(): { key: string; prefix: string; last4: string } {
  const key = KEY_PREFIX + randomBytes(24).toString('base64url');
  return { key, prefix: key.slice(0, KEY_PREFIX.length + 4), last4: key.slice(-4) };
}

/** Keyed hash: a stolen store cannot be used to check guesses without the server's secret. */
export function hashApiKey(key: string, secret: Buffer): string {
  return createHmac('sha256', secret).update(key).digest('hex');
}

export const looksLikeApiKey = (token: string): boolean =>
  token.startsWith(KEY_PREFIX) && token.length > KEY_PREFIX.length + 8 && token.length < 200;

/** Parses `30d`, `12h`, `90m` into milliseconds. */
export function parseDuration(text: string): number | null {
  const m = /^(\d{1,6})([mhd])$/.exec(text.trim());
  if (!m) return null;
  const unit = { m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'm' | 'h' | 'd'];
  return Number(m[1]) * unit;
}
