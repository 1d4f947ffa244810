/** Identifier shapes that look like Google's, so clients that sniff prefixes behave as in production. */
import { randomBytes, randomInt } from 'node:crypto';

const BASE32HEX = '0123456789abcdefghijklmnopqrstuv';

/** Calendar event ids use base32hex characters (a-v, 0-9). */
export function eventId(): string {
  const bytes = randomBytes(26);
  let out = '';
  for (const b of bytes) out += BASE32HEX[b % 32];
  return out;
}

/** Google accepts client-supplied event ids of 5-1024 base32hex characters only. */
export function isValidEventId(id: string): boolean {
  return /^[a-v0-9]{5,1024}$/.test(id);
}

export function spreadsheetId(): string {
  return `1${randomBytes(33).toString('base64url').slice(0, 43)}`;
}

export function driveFileId(): string {
  return `1${randomBytes(24).toString('base64url').slice(0, 32)}`;
}

export function calendarId(): string {
  return `c_${randomBytes(16).toString('hex')}@group.calendar.google.com`;
}

/** Google subjects are 21-digit decimal strings. */
export function subject(): string {
  let s = String(randomInt(1, 10));
  for (let i = 0; i < 20; i++) s += String(randomInt(0, 10));
  return s;
}

export function sheetId(): number {
  return randomInt(1, 2_000_000_000);
}

export function accessToken(): string {
  return `ya29.${randomBytes(48).toString('base64url')}`;
}

export function refreshToken(): string {
  return `1//${randomBytes(48).toString('base64url')}`;
}

export function authCode(): string {
  return `4/${randomBytes(36).toString('base64url')}`;
}
