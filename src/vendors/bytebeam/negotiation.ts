// Content negotiation for the Bytebeam plugin: request bodies are decoded by Content-Type,
// answers encoded by Accept. Registered inside the (encapsulated) Bytebeam plugin only, so no
// other vendor sees these parsers or this serializer.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { decodeBody, DEFAULT_MEDIA_TYPE, encodeAnswer, MEDIA_TYPES, type MediaType } from './codecs.js';
import type { Answer } from './wire.js';
import { ExpectedError } from '../../expected-error.js';

/** No media type we write is acceptable to the client. */
export class NotAcceptable extends ExpectedError {
  readonly statusCode = 406;
  override readonly refusal = 'not acceptable';
  constructor() {
    super('Not Acceptable');
  }
}

/**
 * Parsers for the four media types only: any other Content-Type is Fastify's 415, and a body
 * none of our libraries can decode is a MalformedBody (400 text/plain).
 */
export function registerBodyParsers(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  for (const mediaType of MEDIA_TYPES) {
    app.addContentTypeParser(mediaType, { parseAs: 'buffer' }, async (request: FastifyRequest, raw: Buffer) => {
      request.rawBody = raw;
      return decodeBody(mediaType, raw);
    });
  }
}

/** Makes the reply answer in `mediaType`: `<type>; charset=utf-8`, as muuntaja labels every format. */
export function answerIn(reply: FastifyReply, mediaType: MediaType): FastifyReply {
  // Fastify sends a Buffer from a serializer as it is (msgpack); its typing only says string.
  const serialize = (payload: unknown) => encodeAnswer(mediaType, payload as Answer) as string;
  return reply.type(`${mediaType}; charset=utf-8`).serializer(serialize);
}

interface MediaRange {
  type: string;
  subtype: string;
  q: number;
  /** Position in the header: among equal qualities, the client's first choice wins. */
  position: number;
}

/**
 * The media type to answer in, per RFC 9110 §12.5.1: each type we offer takes the quality of
 * the most specific range that matches it (q=0 excludes it); the highest quality wins, then
 * the range the client listed first, then our own order (JSON first, so `*∕*` means JSON).
 * No header, or one with no parseable range, means the default; null means nothing fits (406).
 */
export function negotiate(accept: string | undefined): MediaType | null {
  const ranges = parseAccept(accept ?? '');
  if (ranges.length === 0) return DEFAULT_MEDIA_TYPE;
  let best: { mediaType: MediaType; q: number; position: number } | null = null;
  for (const mediaType of MEDIA_TYPES) {
    const range = mostSpecificMatch(ranges, mediaType);
    if (!range || range.q === 0) continue;
    if (!best || range.q > best.q || (range.q === best.q && range.position < best.position)) {
      best = { mediaType, q: range.q, position: range.position };
    }
  }
  return best?.mediaType ?? null;
}

const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const RANGE = new RegExp(`^(${TOKEN})/(${TOKEN})$`);

function parseAccept(header: string): MediaRange[] {
  return header.split(',').flatMap((part, position) => {
    const [range = '', ...params] = part.split(';').map((s) => s.trim());
    const match = RANGE.exec(range.toLowerCase());
    if (!match) return [];
    let q = 1;
    for (const param of params) {
      const [name = '', value = ''] = param.split('=').map((s) => s.trim());
      if (name.toLowerCase() === 'q') q = /^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(value) ? Number(value) : NaN;
    }
    return Number.isNaN(q) ? [] : [{ type: match[1]!, subtype: match[2]!, q, position }];
  });
}

function mostSpecificMatch(ranges: MediaRange[], mediaType: MediaType): MediaRange | undefined {
  const [type, subtype] = mediaType.split('/');
  let found: MediaRange | undefined;
  let foundRank = -1;
  for (const range of ranges) {
    const rank =
      range.type === type && range.subtype === subtype ? 2 : range.type === type && range.subtype === '*' ? 1 : range.type === '*' && range.subtype === '*' ? 0 : -1;
    if (rank > foundRank) {
      found = range;
      foundRank = rank;
    }
  }
  return found;
}
