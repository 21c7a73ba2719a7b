// The four media types Bytebeam reads and writes (muuntaja's defaults), each with the library
// that encodes it. Requests decode to plain data; answers encode from Answer values.
import { readEdn, writeEdn } from './edn.js';
import { readTransitJson, readTransitMsgpack, writeTransitJson, writeTransitMsgpack } from './transit.js';
import { MalformedBody, type Answer, type Plain } from './wire.js';

export const MEDIA_TYPES = ['application/json', 'application/transit+json', 'application/transit+msgpack', 'application/edn'] as const;
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
  // Keyword and Uuid values write themselves as strings (toJSON), as jsonista writes them.
  'application/json': { decode: (raw) => JSON.parse(text(raw)) as Plain, encode: (value) => JSON.stringify(value) },
  'application/transit+json': { decode: (raw) => readTransitJson(text(raw)), encode: writeTransitJson },
  'application/transit+msgpack': { decode: readTransitMsgpack, encode: writeTransitMsgpack },
  'application/edn': { decode: (raw) => readEdn(text(raw)), encode: writeEdn },
};

/** A request body as plain data; any failure to decode (including an empty body) is MalformedBody. */
export function decodeBody(mediaType: MediaType, raw: Buffer): Plain {
  try {
    return CODECS[mediaType].decode(raw);
  } catch {
    throw new MalformedBody(mediaType);
  }
}

export function encodeAnswer(mediaType: MediaType, value: Answer): string | Buffer {
  const encoded = CODECS[mediaType].encode(value);
  return typeof encoded === 'string' ? encoded : Buffer.from(encoded.buffer, encoded.byteOffset, encoded.byteLength);
}
