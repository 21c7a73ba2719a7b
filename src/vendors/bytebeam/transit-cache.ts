// The two places transit-js keys a plain object by strings from the wire, made prototype-free.
// transit-js 0.8 (the newest) keeps its writer's key cache in `{}` (caching.js, WriteCache:
// `entry = this.cache[string]`, then `entry[1] = gen; entry[0] = code`): writing a map key
// "__proto__" made `entry` Object.prototype and wrote "0" and "1" onto it, for every tenant and
// vendor in the process. Its decoder looks tag handlers up in `{}` too (`this.handlers[tag]`),
// so a tag "~#constructor" or "~#toString" called Object or Object.prototype.toString. Both are
// covered by test/vendors/bytebeam-transit-safety.test.ts, which fails if an upgrade moves them.
import transit, { type Decoder } from 'transit-js';

// transit's cache codes (caching.js): "^" and one or two digits of base 44 from "0".
const CODE_DIGITS = 44;
const MAX_ENTRIES = CODE_DIGITS * CODE_DIGITS;
const digit = (n: number) => String.fromCharCode(n + 48);
const code = (index: number) =>
  index < CODE_DIGITS ? `^${digit(index)}` : `^${digit(Math.floor(index / CODE_DIGITS))}${digit(index % CODE_DIGITS)}`;

/** transit-js's WriteCache algorithm on a Map: the same codes, so the bytes stay transit-java's. */
export class WriteCache {
  private readonly codes = new Map<string, string>();

  write(text: string, asMapKey: boolean): string {
    if (!isCacheable(text, asMapKey)) return text;
    if (this.codes.size === MAX_ENTRIES) this.clear();
    const cached = this.codes.get(text);
    if (cached !== undefined) return cached;
    this.codes.set(text, code(this.codes.size));
    return text;
  }

  /** The writer calls this after every write: a cache lives for one document. */
  clear(): void {
    this.codes.clear();
  }
}

/** caching.isCacheable: map keys, keywords, symbols and tags longer than three characters. */
function isCacheable(text: string, asMapKey: boolean): boolean {
  if (text.length <= 3) return false;
  return asMapKey || (text[0] === '~' && (text[1] === ':' || text[1] === '$' || text[1] === '#'));
}

/** A transit decoder whose tag handlers are looked up in an object without a prototype. */
export function transitDecoder(handlers: Record<string, (rep: unknown) => unknown>): Decoder {
  const decoder = transit.decoder({ handlers });
  const table = (decoder as unknown as { handlers?: object }).handlers;
  if (typeof table !== 'object' || table === null)
    throw new Error('transit-js changed: its decoder has no handlers table to make prototype-free');
  Object.setPrototypeOf(table, null);
  return decoder;
}
