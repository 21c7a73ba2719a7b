// Bytebeam's error answers, encoded in the media type the client accepts (JSON when it accepts
// none of ours): `{"error": "<HTTP reason>"}`, reitit's coercion error for invalid bodies,
// and muuntaja's text/plain "Malformed" line for bodies that cannot be decoded.
import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Forbidden, InvalidCredential, NotFound } from '../../keys/errors.js';
import { COERCION_IN, humanize } from '../common/reitit.js';
import { statusOf } from '../common/status-error.js';
import { RequestValidationError } from '../common/validation.js';
import { DEFAULT_MEDIA_TYPE } from './codecs.js';
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
  if (error instanceof MalformedBody) return reply.code(400).type('text/plain; charset=utf-8').serializer(String).send(error.message);
  const { status, body } = errorAnswer(error, request.body);
  if (status === 500) request.log.error({ err: error }, 'bytebeam request failed');
  return answerIn(reply.code(status), negotiate(request.headers.accept) ?? DEFAULT_MEDIA_TYPE).send(body);
}

export function bytebeamNotFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return answerIn(reply.code(404), negotiate(request.headers.accept) ?? DEFAULT_MEDIA_TYPE).send(reason(404));
}

function errorAnswer(error: unknown, body: unknown): { status: number; body: Answer } {
  if (error instanceof RequestValidationError) return { status: 400, body: coercionError(error, body) };
  if (error instanceof DuplicateName) return { status: 400, body: { error: error.message } };
  if (error instanceof InvalidCredential) return { status: 401, body: reason(401) };
  if (error instanceof Forbidden) return { status: 403, body: reason(403) };
  if (error instanceof NotFound) return { status: 404, body: reason(404) };
  // Fastify's own 4xx (413, 415, 400 bad content length), 406, and app-level StatusErrors
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
