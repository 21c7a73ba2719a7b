// Content negotiation for the Bytebeam plugin: request bodies are decoded by Content-Type,
// answers encoded by Accept. Registered inside the (encapsulated) Bytebeam plugin only, so no
// other vendor sees these parsers or this serializer.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ANY_CONTENT_TYPE, isParseableMediaType } from '../../http/media-type.js';
import { decodeBody, DEFAULT_MEDIA_TYPE, encodeAnswer, MEDIA_TYPES, type MediaType } from './codecs.js';
import type { Answer } from './wire.js';

/** What a Content-Type Fastify would refuse (415) before any parser is rewritten to: a type muuntaja has no decoder for either. */
const UNDECODABLE = 'application/x-keyforge-undecodable';

/**
 * muuntaja.core/-negotiate-content-type: the request's format is the text before the first `;`,
 * taken as it is (not trimmed, not lower-cased), when it names one of the four; else none, and
 * -decode-request-body leaves the body undecoded — reitit's coercion then refuses a route's
 * missing body-params, and a route that declares no body never notices. A body none of our
 * libraries can decode is a MalformedBody (400 text/plain).
 */
export function registerBodyParsers(app: FastifyInstance): void {
  app.addHook('onRequest', (request, _reply, done) => {
    const contentType = request.headers['content-type'];
    if (contentType !== undefined && !isParseableMediaType(contentType)) request.headers['content-type'] = UNDECODABLE;
    done();
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(ANY_CONTENT_TYPE, { parseAs: 'buffer' }, async (request: FastifyRequest, raw: Buffer) => {
    request.rawBody = raw;
    const format = requestFormat(request.headers['content-type']);
    return format === null ? undefined : decodeBody(format, raw);
  });
}

function requestFormat(contentType: string | undefined): MediaType | null {
  if (contentType === undefined) return null;
  const semicolon = contentType.indexOf(';');
  const raw = semicolon < 0 ? contentType : contentType.slice(0, semicolon);
  return (MEDIA_TYPES as readonly string[]).includes(raw) ? (raw as MediaType) : null;
}

/** Makes the reply answer in `mediaType`: `<type>; charset=utf-8`, as muuntaja labels every format. */
export function answerIn(reply: FastifyReply, mediaType: MediaType): FastifyReply {
  // Fastify sends a Buffer from a serializer as it is (msgpack); its typing only says string.
  const serialize = (payload: unknown) => encodeAnswer(mediaType, payload as Answer) as string;
  return reply.type(`${mediaType}; charset=utf-8`).serializer(serialize);
}

// muuntaja.parse/parse-accept's patterns for a media range and a parameter.
const ACCEPT_FRAGMENT = /^\s*((\*|[^()<>@,;:"/[\]?={} \t]+)\/(\*|[^()<>@,;:"/[\]?={} \t]+))$/;
const ACCEPT_PARAM = /([^()<>@,;:"/[\]?={} \t]+)=([^()<>@,;:"/[\]?={} \t]+|"[^"]*")$/;

/** muuntaja.parse/parse-q: a number clamped to 0..1, or nothing. */
function parseQ(text: string): number | undefined {
  const q = Number(text.trim());
  return text.trim() === '' || Number.isNaN(q) ? undefined : Math.max(0, Math.min(1, q));
}

/**
 * The media type to answer in, as muuntaja.core/-negotiate-accept picks it: the header's ranges
 * sorted by quality (stable; `*∕*` after the others), then the first that names one of the four
 * exactly — case-sensitively, with no wildcards, q=0 excluding nothing — else the default, JSON.
 * There is no 406: a client muuntaja cannot serve gets JSON.
 */
export function negotiate(accept: string | undefined): MediaType {
  if (accept === undefined) return DEFAULT_MEDIA_TYPE;
  const ranges = accept.split(/[\s\n\r]*,[\s\n\r]*/).map((fragment) => {
    const [range = '', ...params] = fragment.split(/\s*;\s*/);
    let q: number | undefined;
    for (const param of params) {
      const match = ACCEPT_PARAM.exec(param);
      if (match?.[1] === 'q') q ??= parseQ(match[2]!);
    }
    return { type: ACCEPT_FRAGMENT.exec(range)?.[1], q: q ?? 1 };
  });
  const sorted = [...ranges]
    .sort((a, b) => Number(a.type === '*/*') - Number(b.type === '*/*'))
    .sort((a, b) => b.q - a.q);
  return (
    (sorted.find(({ type }) => (MEDIA_TYPES as readonly (string | undefined)[]).includes(type))?.type as
      MediaType | undefined) ?? DEFAULT_MEDIA_TYPE
  );
}
