/**
 * Webhook signatures, Stripe-like. Every call carries
 *
 *   Flowyte-Timestamp: <t>
 *   Flowyte-Signature: t=<t>,v1=<hex HMAC-SHA-256(key, "<t>.<payload>")>
 *
 * where <t> is Unix time in seconds, the key is the UTF-8 bytes of the whole per-skill secret
 * (`whsec_…`, as shown once at creation), and <payload> is the exact raw request body (for GET and
 * DELETE, which carry no body, the value of the `arguments` query parameter). A receiver recomputes
 * the HMAC over the bytes it received, compares in constant time and refuses a stale <t> (replay).
 * Several `v1=` entries may appear (secret rotation): any match is accepted.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'Flowyte-Signature';
export const TIMESTAMP_HEADER = 'Flowyte-Timestamp';
export const SECRET_PREFIX = 'whsec_';
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** A fresh per-skill signing secret: `whsec_` + 32 random bytes, base64url. */
export function generateSigningSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64url');
}

function hmacHex(secret: string, timestamp: number, payload: string | Uint8Array): string {
  const mac = createHmac('sha256', secret);
  mac.update(`${timestamp}.`);
  mac.update(payload);
  return mac.digest('hex');
}

/** The two headers to send with `payload`, signed at `timestamp` (seconds; now by default). */
export function signWebhookPayload(
  secret: string,
  payload: string | Uint8Array,
  timestamp: number = Math.floor(Date.now() / 1000),
): { 'flowyte-signature': string; 'flowyte-timestamp': string } {
  return {
    'flowyte-signature': `t=${timestamp},v1=${hmacHex(secret, timestamp, payload)}`,
    'flowyte-timestamp': String(timestamp),
  };
}

/**
 * For receivers and tests: whether `header` (the Flowyte-Signature value) signs `rawBody` with
 * `secret` at a timestamp within `toleranceSeconds` of now. Never throws on malformed input.
 */
export function verifyWebhookSignature(
  secret: string,
  rawBody: string | Uint8Array,
  header: string | string[] | undefined | null,
  toleranceSeconds: number = DEFAULT_TOLERANCE_SECONDS,
  nowSeconds: number = Math.floor(Date.now() / 1000),
): boolean {
  if (typeof header !== 'string' || header.length > 4096) return false;
  let timestamp: number | undefined;
  const candidates: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/.test(value)) candidates.push(value);
  }
  if (timestamp === undefined || candidates.length === 0) return false;
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(hmacHex(secret, timestamp, rawBody), 'hex');
  let ok = false;
  // Compare against every candidate without an early exit, so timing says nothing about which matched.
  for (const candidate of candidates) {
    if (timingSafeEqual(expected, Buffer.from(candidate, 'hex'))) ok = true;
  }
  return ok;
}
