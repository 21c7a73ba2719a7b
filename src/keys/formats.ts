// Key formats of the five vendors, built from crypto.randomBytes. A format names the
// non-secret part of a key (its lookup id) so verification finds one row before any argon2 work.
import { randomFillSync, randomUUID } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * Bytes from the CSPRNG, drawn 4 KiB at a time: one draw per ~60 keys instead of two per key
 * (each draw has a fixed cost; Node pools randomUUID's bytes the same way). Each byte is used once.
 */
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;

function randomByte(): number {
  if (poolOffset === pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  return pool[poolOffset++]!;
}

/** Uniform base62 via rejection sampling: bytes >= 248 are dropped so no character is favoured. */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    const byte = randomByte();
    if (byte < 248) out += BASE62[byte % 62];
  }
  return out;
}

export interface KeyFormat {
  /** A new secret in the vendor's format. */
  generate(): string;
  /** The lookup id of a well-formed secret, or null when the string is not of this format. */
  lookupId(secret: string): string | null;
  /** Finds secrets of this format inside any text (global), so journals and logs can redact them. */
  readonly pattern: RegExp;
}

/** A global, unanchored copy of an anchored pattern, for finding secrets inside text. */
function searchable(anchored: RegExp): RegExp {
  return new RegExp(anchored.source.replace(/^\^/, '').replace(/\$$/, ''), 'g');
}

const base62 = (n: number) => `[0-9A-Za-z]{${n}}`;

/** `<lookup>.<secret>`, e.g. Baseten and Peaka: 8 base62, a dot, 32 base62. */
export function dottedFormat(lookupLength: number, secretLength: number): KeyFormat {
  const pattern = new RegExp(`^(${base62(lookupLength)})\\.${base62(secretLength)}$`);
  return {
    generate: () => `${randomBase62(lookupLength)}.${randomBase62(secretLength)}`,
    lookupId: (secret) => pattern.exec(secret)?.[1] ?? null,
    pattern: searchable(pattern),
  };
}

/** `<prefix><body>` where the first characters of the body name the key, e.g. Basic's `bsk_`. */
export function prefixedFormat(prefix: string, bodyLength: number, lookupLength: number): KeyFormat {
  const pattern = new RegExp(`^${escape(prefix)}(${base62(lookupLength)})${base62(bodyLength - lookupLength)}$`);
  return {
    generate: () => `${prefix}${randomBase62(bodyLength)}`,
    lookupId: (secret) => pattern.exec(secret)?.[1] ?? null,
    pattern: searchable(pattern),
  };
}

/** `<prefix>_<lookup>_<secret>` where the prefix and lookup together name the key, e.g. `imt_test_AbCd1234_…`. */
export function underscoredFormat(prefix: string, lookupLength: number, secretLength: number): KeyFormat {
  const pattern = new RegExp(`^(${escape(prefix)}_${base62(lookupLength)})_${base62(secretLength)}$`);
  return {
    generate: () => `${prefix}_${randomBase62(lookupLength)}_${randomBase62(secretLength)}`,
    lookupId: (secret) => pattern.exec(secret)?.[1] ?? null,
    pattern: searchable(pattern),
  };
}

/** A random (v4) UUID is the whole key; its first hex digits serve as lookup id (Bytebeam). */
export function uuidFormat(lookupLength: number): KeyFormat {
  const pattern = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
  return {
    generate: () => randomUUID(),
    lookupId: (secret) => (pattern.test(secret) ? secret.slice(0, lookupLength) : null),
    pattern: searchable(pattern),
  };
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
