// Bytebeam's error answers, encoded in the media type the client accepts (JSON when it accepts
// none of ours): `{"error": "<HTTP reason>"}`, reitit's coercion error for invalid bodies,
// and muuntaja's text/plain "Malformed" line for bodies that cannot be decoded.
import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Forbidden, InvalidCredential, NotFound } from '../../keys/errors.js';
import { COERCION_IN, humanize } from '../../frameworks/reitit/humanize.js';
import { statusOf } from '../../http/status-error.js';
import { RequestValidationError } from '../../http/validation.js';
import { z } from 'zod';
import { KEYFORGE_MARK, type DocumentedAnswer, type DocumentedAnswers } from '../../http/answers.js';
import { MEDIA_TYPES, type MediaType } from './codecs.js';
import { coercionError as coercionErrorSchema, errorBody, malformedBody } from './schemas.js';
import { answerIn, negotiate } from './negotiation.js';
import { keyword, MalformedBody, type Answer } from './wire.js';
import { ExpectedError } from '../../expected-error.js';

/** A key of that name already exists in the tenant: names identify keys (delete is by name). */
export class DuplicateName extends ExpectedError {
  readonly statusCode = 400;
  override readonly refusal = 'conflict';
  constructor(name: string) {
    super(`API key ${JSON.stringify(name)} already exists`);
  }
}

export function bytebeamErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  // Plain text whatever the Accept header, as muuntaja answers (and not through answerIn's encoder).
  if (error instanceof MalformedBody)
    return reply.code(400).type('text/plain; charset=utf-8').serializer(String).send(error.message);
  const { status, body } = errorAnswer(error, request.body);
  if (status === 500) request.log.error({ err: error }, 'bytebeam request failed');
  return answerIn(reply.code(status), negotiate(request.headers.accept)).send(body);
}

export function bytebeamNotFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return answerIn(reply.code(404), negotiate(request.headers.accept)).send(reason(404));
}

function errorAnswer(error: unknown, body: unknown): { status: number; body: Answer } {
  if (error instanceof RequestValidationError) return { status: 400, body: coercionError(error, body) };
  if (error instanceof DuplicateName) return { status: 400, body: { error: error.message } };
  if (error instanceof InvalidCredential) return { status: 401, body: reason(401) };
  if (error instanceof Forbidden) return { status: 403, body: reason(403) };
  if (error instanceof NotFound) return { status: 404, body: reason(404) };
  // Fastify's own 4xx (413, 400 bad content length) and app-level StatusErrors
  // (fault injection, rate limits); anything else is ours and answers 500.
  const status = statusOf(error);
  return { status, body: reason(status) };
}

const reason = (status: number): Answer => ({ error: STATUS_CODES[status] ?? 'Error' });

/**
 * reitit.ring.coercion's answer, with the keywords a Clojure client reads back from transit or
 * EDN: `{:type :reitit.coercion/request-coercion, :coercion :malli, :in [:request :body-params], :humanized {…}}`.
 */
function coercionError(error: RequestValidationError, body: unknown): Answer {
  return {
    type: keyword('reitit.coercion/request-coercion'),
    coercion: keyword('malli'),
    in: COERCION_IN[error.part].map(keyword),
    humanized: humanize(error.issues, error.part === 'body' ? body : undefined),
  };
}

/** The same error body in each media type Bytebeam writes, with its example in the text ones. */
function inEveryType(description: string, reasonText: string): DocumentedAnswer {
  const content: DocumentedAnswer['content'] = {};
  for (const mediaType of MEDIA_TYPES)
    content[mediaType] = {
      schema: errorBody,
      ...(TEXT_EXAMPLES[mediaType] ? { example: TEXT_EXAMPLES[mediaType](reasonText) } : {}),
    };
  return { description: `${description} ${KEYFORGE_MARK}`, content };
}

const TEXT_EXAMPLES: Partial<Record<MediaType, (text: string) => unknown>> = {
  'application/json': (text) => ({ error: text }),
  'application/transit+json': (text) => ['^ ', '~:error', text],
  'application/edn': (text) => `{:error ${JSON.stringify(text)}}`,
};

const COERCION = { type: 'reitit.coercion/request-coercion', coercion: 'malli', in: ['request', 'body-params'] };

/** What an operation answers besides its success; Bytebeam's document lists none. */
export function bytebeamAnswers({
  decodesBody,
  findsKey,
  receivesBody,
}: {
  decodesBody: boolean;
  findsKey: boolean;
  receivesBody: boolean;
}): DocumentedAnswers {
  const badRequest: DocumentedAnswer = {
    description: `Bad Request: a body that does not decode in its type (text/plain), breaks the schema (reitit's coercion error), or names a key the tenant already has. ${KEYFORGE_MARK}`,
    content: {
      'application/json': {
        schema: z.union([coercionErrorSchema, errorBody]),
        example: { ...COERCION, humanized: { name: ['missing required key'], extra: ['disallowed key'] } },
      },
      'application/transit+json': { schema: z.union([coercionErrorSchema, errorBody]) },
      'application/transit+msgpack': { schema: z.union([coercionErrorSchema, errorBody]) },
      'application/edn': { schema: z.union([coercionErrorSchema, errorBody]) },
      'text/plain': { schema: malformedBody, example: 'Malformed "application/json" request.' },
    },
  };
  return {
    ...(decodesBody
      ? { 400: badRequest }
      : receivesBody
        ? { 400: { ...badRequest, content: { 'text/plain': badRequest.content!['text/plain']! } } }
        : {}),
    401: inEveryType(
      'Unauthorized: a key or tenant header missing or repeated, or a key unknown to that tenant.',
      'Unauthorized',
    ),
    403: inEveryType("Forbidden: the key's role is not admin.", 'Forbidden'),
    ...(findsKey ? { 404: inEveryType('Not Found: no key of that name in the tenant.', 'Not Found') } : {}),
    ...(receivesBody
      ? { 413: inEveryType('Payload Too Large: the body is over --body-limit.', 'Payload Too Large') }
      : {}),
    429: inEveryType('Too Many Requests: this credential is over --rate-limit calls per minute.', 'Too Many Requests'),
    503: inEveryType(
      'Service Unavailable: the database does not answer, or a fault injected with PUT /_keyforge/faults.',
      'Service Unavailable',
    ),
    default: inEveryType(
      'Any other status a fault injected with PUT /_keyforge/faults answers, in this shape.',
      'Bad Gateway',
    ),
  };
}
