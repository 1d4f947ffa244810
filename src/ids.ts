import { randomFillSync } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

function base32(bytes: Buffer): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

/**
 * `prefix_` + 48-bit millisecond time + 80 random bits, base32: ids sort by creation, so a cursor is
 * simply the last id seen.
 */
let lastTime = 0;
const lastRandom = Buffer.alloc(10);
/** Random bytes drawn 4 KiB at a time: one call into the system's generator per ~400 ids, not per id. */
const entropy = Buffer.alloc(4096);
let entropyAt = entropy.length;

function nextRandom(into: Buffer): void {
  if (entropyAt + into.length > entropy.length) {
    randomFillSync(entropy);
    entropyAt = 0;
  }
  entropy.copy(into, 0, entropyAt, entropyAt + into.length);
  entropyAt += into.length;
}

/** `bytes` random bytes as base64url, from the same pool: a webhook's message id costs no system call. */
export function randomBase64url(bytes: number): string {
  if (entropyAt + bytes > entropy.length) {
    randomFillSync(entropy);
    entropyAt = 0;
  }
  const text = entropy.toString('base64url', entropyAt, entropyAt + bytes);
  entropyAt += bytes;
  return text;
}

/** Time then random, reused: an id is read out of it before the next one is written. */
const idBytes = Buffer.alloc(16);

export function newId(prefix: string): string {
  const now = Date.now();
  if (now <= lastTime) {
    // Same millisecond (or a clock step back): count up from the last id, so ids made by this
    // process keep their creation order.
    for (let i = lastRandom.length - 1; i >= 0; i--) {
      lastRandom[i] = (lastRandom[i] + 1) & 0xff;
      if (lastRandom[i] !== 0) break;
    }
  } else {
    lastTime = now;
    nextRandom(lastRandom);
  }
  idBytes.writeUIntBE(lastTime, 0, 6);
  lastRandom.copy(idBytes, 6);
  return `${prefix}_${base32(idBytes)}`;
}

export const nowIso = (): string => new Date().toISOString();
