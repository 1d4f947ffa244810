/**
 * Webhook signatures, as Standard Webhooks defines them (symmetric `v1`), so a receiver can verify
 * with any of its libraries (`standardwebhooks` on npm, PyPI, …). Every call carries
 *
 *   webhook-id: msg_<random>          unique per call
 *   webhook-timestamp: <t>            Unix time in seconds
 *   webhook-signature: v1,<base64 HMAC-SHA-256(key, "<id>.<t>.<payload>")>
 *
 * where the key is the base64-decoded part of the per-skill secret after `whsec_` (the secret is
 * shown once at creation), and <payload> is the exact raw request body (for GET and DELETE, which
 * carry no body, the value of the `arguments` query parameter). A receiver recomputes the HMAC over
 * the bytes it received, compares in constant time and refuses a stale <t> (replay). The signature
 * header may list several space-separated `v1,…` entries (secret rotation): any match is accepted.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { randomBase64url } from '../../ids.ts';

export const ID_HEADER = 'webhook-id';
export const TIMESTAMP_HEADER = 'webhook-timestamp';
export const SIGNATURE_HEADER = 'webhook-signature';
export const SIGNATURE_HEADERS = [ID_HEADER, TIMESTAMP_HEADER, SIGNATURE_HEADER];
export const SECRET_PREFIX = 'whsec_';
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** A fresh per-skill signing secret: `whsec_` + 32 random bytes in base64 (Standard Webhooks' format). */
export function generateSigningSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64');
}

/** The HMAC key of a secret. Node's base64 decoder also reads base64url, as older secrets were. */
const keyOf = (secret: string): Buffer =>
  Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');

function hmacBase64(secret: string, id: string, timestamp: number, payload: string | Uint8Array): string {
  const mac = createHmac('sha256', keyOf(secret));
  mac.update(`${id}.${timestamp}.`);
  mac.update(payload);
  return mac.digest('base64');
}

export type SignatureHeaders = {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
};

/** The three headers to send with `payload`, as message `id` (new by default) at `timestamp` (seconds; now). */
export function signWebhookPayload(
  secret: string,
  payload: string | Uint8Array,
  opts: { id?: string; timestamp?: number } = {},
): SignatureHeaders {
  const id = opts.id ?? `msg_${randomBase64url(18)}`;
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': `v1,${hmacBase64(secret, id, timestamp, payload)}`,
  };
}

type HeaderValue = string | string[] | undefined | null;

/**
 * For receivers and tests: whether the three headers sign `rawBody` with `secret`, at a timestamp
 * within `toleranceSeconds` of now. Never throws on malformed input.
 */
export function verifyWebhookSignature(
  secret: string,
  rawBody: string | Uint8Array,
  headers: Record<string, HeaderValue>,
  toleranceSeconds: number = DEFAULT_TOLERANCE_SECONDS,
  nowSeconds: number = Math.floor(Date.now() / 1000),
): boolean {
  const id = headers[ID_HEADER];
  const t = headers[TIMESTAMP_HEADER];
  const signature = headers[SIGNATURE_HEADER];
  if (typeof id !== 'string' || typeof t !== 'string' || typeof signature !== 'string') return false;
  if (id.length > 256 || signature.length > 4096 || !/^\d{1,12}$/.test(t)) return false;
  const timestamp = Number(t);
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const candidates = signature
    .split(' ')
    .filter((s) => s.startsWith('v1,'))
    .map((s) => Buffer.from(s.slice(3), 'base64'))
    .filter((b) => b.length === 32);
  if (candidates.length === 0) return false;
  const expected = Buffer.from(hmacBase64(secret, id, timestamp, rawBody), 'base64');
  let ok = false;
  // Compare against every candidate without an early exit, so timing says nothing about which matched.
  for (const candidate of candidates) if (timingSafeEqual(expected, candidate)) ok = true;
  return ok;
}
