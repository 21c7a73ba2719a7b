// Binary bodies the journal can still show as text. transit+msgpack (Bytebeam) is the transit
// tree carried by msgpack instead of JSON, so it reads back as the transit+json text of the same
// tree: maps become ["^ ", k, v, …] and a UUID's two 64-bit halves ["~#u", [msb, lsb]] become
// "~u<uuid>" again — which also lets redaction find a key that is a UUID (Bytebeam's secrets).
import { decodeMsgpack } from '../http/msgpack.js';

export const TRANSIT_MSGPACK = 'application/transit+msgpack';

/** The transit+json text of a transit+msgpack body, or undefined when it is not valid msgpack. */
export function transitMsgpackText(bytes: Uint8Array): string | undefined {
  try {
    return JSON.stringify(asTransitJson(decodeMsgpack(bytes, { useBigInt64: true })));
  } catch {
    return undefined;
  }
}

function asTransitJson(node: unknown): unknown {
  if (typeof node === 'bigint') return Number.isSafeInteger(Number(node)) ? Number(node) : String(node);
  if (node instanceof Uint8Array)
    return `~b${Buffer.from(node.buffer, node.byteOffset, node.byteLength).toString('base64')}`;
  if (node instanceof Date) return `~m${node.getTime()}`;
  if (Array.isArray(node)) {
    if (node.length === 2 && node[0] === '~#u' && Array.isArray(node[1]) && node[1].length === 2) {
      const uuid = uuidOf(node[1][0], node[1][1]);
      if (uuid !== undefined) return `~u${uuid}`;
    }
    return node.map(asTransitJson);
  }
  if (node instanceof Map) {
    const pairs: unknown[] = ['^ '];
    for (const [key, value] of node) pairs.push(key, asTransitJson(value));
    return pairs;
  }
  return node;
}

/** java.util.UUID from its most and least significant halves, as transit-java writes them. */
function uuidOf(msb: unknown, lsb: unknown): string | undefined {
  const half = (value: unknown) =>
    typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value))
      ? BigInt.asUintN(64, BigInt(value)).toString(16).padStart(16, '0')
      : undefined;
  const [high, low] = [half(msb), half(lsb)];
  if (high === undefined || low === undefined) return undefined;
  const hex = high + low;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
