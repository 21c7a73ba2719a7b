// The four media types Bytebeam reads and writes (muuntaja's defaults), each with the library
// that encodes it. Requests decode to plain data; answers encode from Answer values.
import { readEdn, writeEdn } from './edn.js';
import { isEmptyInput } from './empty-input.js';
import { readTransitJson, readTransitMsgpack, writeTransitJson, writeTransitMsgpack } from './transit.js';
import { isAnswerMap, mapKeyKind, MalformedBody, type Answer, type Plain } from './wire.js';

export const MEDIA_TYPES = [
  'application/json',
  'application/transit+json',
  'application/transit+msgpack',
  'application/edn',
] as const;
export type MediaType = (typeof MEDIA_TYPES)[number];

/** What a client gets without asking for anything in particular. */
export const DEFAULT_MEDIA_TYPE: MediaType = 'application/json';

interface Codec {
  decode(raw: Buffer): Plain;
  encode(value: Answer): string | Uint8Array;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const text = (raw: Buffer) => utf8.decode(raw);

const CODECS: Record<MediaType, Codec> = {
  'application/json': { decode: (raw) => JSON.parse(text(raw)) as Plain, encode: writeJson },
  'application/transit+json': { decode: (raw) => readTransitJson(text(raw)), encode: writeTransitJson },
  'application/transit+msgpack': { decode: readTransitMsgpack, encode: writeTransitMsgpack },
  'application/edn': { decode: (raw) => readEdn(text(raw)), encode: writeEdn },
};

/**
 * A request body as plain data, or undefined for a body muuntaja reads as none (empty-input.ts):
 * a bodiless DELETE with a Content-Type works, and an empty create fails coercion like a missing
 * body. Any other failure to decode is MalformedBody.
 */
export function decodeBody(mediaType: MediaType, raw: Buffer): Plain | undefined {
  try {
    if (isEmptyInput(mediaType, raw, () => text(raw))) return undefined;
    return CODECS[mediaType].decode(raw);
  } catch {
    throw new MalformedBody(mediaType);
  }
}

/**
 * JSON as jsonista writes an answer: keywords and UUIDs as strings (their toJSON), and every
 * map key as its text, so an error naming both `:name` and the string key `"name"` repeats the
 * key "name", exactly as Bytebeam's service would. JSON.stringify writes the rest; only a text
 * that shows a marked key (wire.ts) is written again key by key.
 */
function writeJson(value: Answer): string {
  const written = JSON.stringify(value);
  return written.includes('"\\"') || written.includes('\\u0000') ? jsonOf(value) : written;
}

function jsonOf(value: Answer): string {
  if (Array.isArray(value)) return `[${value.map(jsonOf).join(',')}]`;
  if (isAnswerMap(value))
    return `{${Object.entries(value)
      .map(([key, v]) => `${JSON.stringify(mapKeyKind(key).text)}:${jsonOf(v)}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

export function encodeAnswer(mediaType: MediaType, value: Answer): string | Buffer {
  const encoded = CODECS[mediaType].encode(value);
  return typeof encoded === 'string' ? encoded : Buffer.from(encoded.buffer, encoded.byteOffset, encoded.byteLength);
}
