// msgpack as a tree whose maps are JS Maps, for the two readers of transit+msgpack (Bytebeam's
// request bodies, the journal's decoded view). @msgpack/msgpack builds every map as a plain
// object and refuses a key "__proto__" outright, where transit-java (Bytebeam's server) reads
// it as an ordinary string key. So every key is decoded with a mark no string can collide with
// (its own key decoder and key converter, both public options) and the marked objects become
// Maps: no key a client sends is ever a property name of an object with a prototype.
import { decode, DecodeError } from '@msgpack/msgpack';

/** A decoded value: scalars, bigints, Uint8Array, arrays and Maps (keys: strings or numbers). */
export type MsgpackValue = unknown;

const STRING_KEY = 's';
const NUMBER_KEY = 'n';
const utf8 = new TextDecoder('utf-8');

const keyDecoder = {
  canBeCached: () => true,
  decode: (bytes: Uint8Array, offset: number, length: number) =>
    STRING_KEY + utf8.decode(bytes.subarray(offset, offset + length)),
};

function mapKeyConverter(key: unknown): string {
  if (typeof key === 'string') return key; // marked by keyDecoder
  if (typeof key === 'number') return NUMBER_KEY + String(key);
  throw new DecodeError(`a map key of type ${typeof key}`);
}

/** Decodes one msgpack document; throws on bytes that are not one. */
export function decodeMsgpack(bytes: Uint8Array, options: { useBigInt64?: boolean } = {}): MsgpackValue {
  return withMaps(decode(bytes, { useBigInt64: options.useBigInt64 ?? false, keyDecoder, mapKeyConverter }));
}

function withMaps(node: unknown): MsgpackValue {
  if (Array.isArray(node)) return node.map(withMaps);
  if (typeof node !== 'object' || node === null || Object.getPrototypeOf(node) !== Object.prototype) return node;
  const map = new Map<unknown, unknown>();
  for (const [marked, value] of Object.entries(node)) {
    map.set(marked.startsWith(NUMBER_KEY) ? Number(marked.slice(1)) : marked.slice(1), withMaps(value));
  }
  return map;
}
