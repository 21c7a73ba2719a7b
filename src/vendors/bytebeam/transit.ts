// transit+json and transit+msgpack through transit-js. transit-js reads and writes JSON only,
// so transit+msgpack is the same marshalled tree carried by @msgpack/msgpack, with the two
// differences transit-java's msgpack emitter (Bytebeam's server) makes: maps are native
// msgpack maps instead of ["^ ", k, v, …] arrays, and a UUID is ["~#u", [msb, lsb]], its two
// signed 64-bit halves, instead of a "~u…" string.
import { encode } from '@msgpack/msgpack';
import transit from 'transit-js';
import { decodeMsgpack } from '../../http/msgpack.js';
import { transitDecoder, WriteCache } from './transit-cache.js';
import {
  isAnswerMap,
  Keyword,
  mapKeyKind,
  Opaque,
  otherKey,
  plainMap,
  stringKey,
  Uuid,
  type Answer,
  type Plain,
} from './wire.js';

// A writer keeps a key cache only for the duration of one write, so one serves every answer.
// The cache is ours: transit-js's own is a plain object keyed by the strings written, and a
// client's key "__proto__" made it write onto Object.prototype (transit-cache.ts).
const writer = transit.writer('json', { cache: new WriteCache() });

/** Request bodies never need a UUID, but one must decode (to a value validation refuses), not crash. */
const decoder = transitDecoder({ u: () => new Opaque('uuid') });

export function writeTransitJson(value: Answer): string {
  return writer.write(toTransit(value));
}

export function writeTransitMsgpack(value: Answer): Uint8Array {
  return encode(toMsgpackTree(writer.write(toTransit(value), { marshalTop: false })), { useBigInt64: true });
}

export function readTransitJson(text: string): Plain {
  // What transit's JSON reader does: JSON.parse, whose objects hold "__proto__" as an own key.
  return fromTransit(decoder.decode(JSON.parse(text), transit.readCache()));
}

export function readTransitMsgpack(bytes: Uint8Array): Plain {
  return fromTransit(decoder.decode(transitTree(decodeMsgpack(bytes)), transit.readCache()));
}

/**
 * A msgpack tree as the transit tree transit-java's msgpack parser reads: a map is ["^ ", k, v, …]
 * (transit's own array form, so no key becomes a property name), and a map whose one key is a
 * tag ("~#u") is that tagged value, as the verbose form ["~#u", rep] is.
 */
function transitTree(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(transitTree);
  if (!(node instanceof Map)) return node;
  const [first] = node.keys();
  if (node.size === 1 && typeof first === 'string' && first.startsWith('~#'))
    return [first, transitTree(node.get(first))];
  const pairs: unknown[] = ['^ '];
  for (const [key, value] of node) pairs.push(key, transitTree(value));
  return pairs;
}

/** Answers as transit values: keyword keys (as a Clojure service holds them), keywords, UUIDs. */
function toTransit(value: Answer): unknown {
  if (value instanceof Keyword) return transit.keyword(value.name);
  if (value instanceof Uuid) return transit.uuid(value.value);
  if (Array.isArray(value)) return value.map(toTransit);
  if (isAnswerMap(value)) {
    return transit.map(Object.entries(value).flatMap(([key, v]) => [transitKey(key), toTransit(v)]));
  }
  return value;
}

/** A keyword for a field name (transit writes any name as one); a key the client sent as a string (or as something else) goes back as a string. */
function transitKey(key: string): unknown {
  const { kind, text } = mapKeyKind(key);
  return kind === 'keyword' ? transit.keyword(text) : text;
}

function toMsgpackTree(node: unknown): unknown {
  if (Array.isArray(node)) {
    if (node[0] !== '^ ') return node.map(toMsgpackTree);
    // Keys are strings ("~:role", cache codes "^0"); @msgpack/msgpack writes objects, not Maps,
    // as msgpack maps. fromEntries keeps the order (index-like keys aside) and any "__proto__".
    const entries: Array<[string, unknown]> = [];
    for (let i = 1; i < node.length; i += 2) entries.push([String(node[i]), toMsgpackTree(node[i + 1])]);
    return Object.fromEntries(entries);
  }
  // Strings that start with "~u" are always UUIDs: the writer escapes a literal "~u…" as "~~u…".
  if (typeof node === 'string' && node.startsWith('~u')) return ['~#u', uuidHalves(node.slice(2))];
  return node;
}

/** java.util.UUID's getMostSignificantBits and getLeastSignificantBits. */
function uuidHalves(uuid: string): [number | bigint, number | bigint] {
  const hex = uuid.replace(/-/g, '');
  const half = (digits: string) => compact(BigInt.asIntN(64, BigInt(`0x${digits}`)));
  return [half(hex.slice(0, 16)), half(hex.slice(16))];
}

/**
 * msgpack-java packs a long in the fewest bytes: int/uint 8–32 when it fits, else int64 (d3) if
 * negative or uint64 (cf). @msgpack/msgpack does the same for numbers in 32-bit range and for
 * bigints, but with useBigInt64 it writes a larger safe integer as a float64, so those stay bigints.
 */
function compact(value: bigint): number | bigint {
  return value >= -(2n ** 31n) && value < 2n ** 32n ? Number(value) : value;
}

/** Decoded transit values as plain data; keyword keys become field names, other keys stay apart (wire.ts). */
function fromTransit(value: unknown): Plain {
  // transit-js yields undefined for a cache code that names nothing: the document is broken.
  if (value === undefined) throw new Error('transit cache reference to nothing');
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return value;
  if (Array.isArray(value)) return value.map(fromTransit);
  if (transit.isMap(value)) {
    const entries: Array<[string, Plain]> = [];
    value.forEach((v, key) => entries.push([keyName(key), fromTransit(v)]));
    return plainMap(entries);
  }
  return new Opaque(transit.isKeyword(value) ? 'keyword' : 'transit value');
}

function keyName(key: unknown): string {
  // A cache code that names nothing, used as a key: as broken as one used as a value.
  if (key === undefined) throw new Error('transit cache reference to nothing');
  if (transit.isKeyword(key)) return key.toString().slice(1); // ":ns/name" → "ns/name"
  if (typeof key === 'string') return stringKey(key);
  return otherKey(String(key));
}
