// Basic answers errors as `{error, message}`. Its API document is @fastify/swagger output, so
// its backend is Fastify with the default Ajv: validation failures read like Fastify's
// (`body must have required property 'label'`, one error at a time), and body-parsing
// failures (empty, malformed, unsupported type, too large) are Fastify's own errors.
import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Forbidden, InvalidCredential, NotFound } from '../../keys/errors.js';
import { statusOf } from '../../http/status-error.js';
import { RequestValidationError } from '../../http/validation.js';
import { WORDING } from './auth.js';

export interface BasicErrorBody {
  error: string;
  message: string;
}

const body = (status: number, message: string): BasicErrorBody => ({ error: STATUS_CODES[status] ?? 'Error', message });

/** Basic's status and body for an error, or null for an unexpected failure (500). */
export function basicError(error: unknown, requestBody: unknown): { status: number; body: BasicErrorBody } | null {
  if (error instanceof RequestValidationError) return { status: 400, body: body(400, ajvMessage(error, requestBody)) };
  if (error instanceof InvalidCredential) return { status: 401, body: body(401, error.message || WORDING.invalid) };
  if (error instanceof Forbidden) return { status: 403, body: body(403, error.message || WORDING.forbidden) };
  if (error instanceof NotFound) return { status: 404, body: body(404, error.message || 'Not Found') };
  const status = statusOf(error);
  if (status === 500) return null;
  return { status, body: body(status, (error as Error).message || (STATUS_CODES[status] ?? 'Error')) };
}

/**
 * The message Fastify's default Ajv (allErrors: false) gives for the first failure: the value
 * is not an object, else the first missing required property, else the first wrong type.
 */
export function ajvMessage(error: RequestValidationError, data: unknown): string {
  const part = error.part;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return `${part} must be object`;
  const missing = error.issues.find((i) => i.path.length === 1 && !Object.hasOwn(data, i.path[0]!));
  if (missing) return `${part} must have required property '${String(missing.path[0])}'`;
  const first = error.issues[0];
  if (!first) return `${part} is invalid`;
  const where = [part, ...first.path.map(String)].join('/');
  return first.code === 'invalid_type' ? `${where} must be ${first.expected}` : `${where} ${first.message}`;
}

export function basicErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const mapped = basicError(error, request.body);
  if (mapped) return reply.code(mapped.status).send(mapped.body);
  request.log.error({ err: error }, 'basic request failed');
  return reply.code(500).send(body(500, 'An unexpected error occurred'));
}

/** Fastify's default 404 for unknown routes under /basic, in Basic's two-field shape. */
export function basicNotFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return reply.code(404).send(body(404, `Route ${request.method}:${request.url} not found`));
}

/** The methods stock Fastify reads a body for (its supported methods' `bodywith`). */
const BODY_METHODS = new Set(['DELETE', 'OPTIONS', 'PATCH', 'PUT', 'POST', 'QUERY']);

/** Fastify's 404 route parses the body of those methods, so its refusal is the answer. */
export function basicUnroutedBodyError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply | undefined {
  return BODY_METHODS.has(request.method) ? basicErrorHandler(error, request, reply) : undefined;
}

/** Fastify's own answer (onBadUrl, onMaxParamLength) to a URL its router cannot take, written as Fastify writes it: no charset. */
export function basicBadUrl(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
  const message = `'${request.url}' ${tooLong ? 'is exceeding the max param length' : 'is not a valid url component'}`;
  return reply
    .code(tooLong ? 414 : 400)
    .type('application/json')
    .send(Buffer.from(JSON.stringify({ error: 'Bad Request', message })));
}
