// Peaka runs on Spring Boot, so every error is Spring's `{timestamp,status,error,message,path}`
// body; the wording of each message is ours (see docs/vendors/peaka.md).
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { keyforgeAnswer } from '../../http/answers.js';
import { springAnswers, springErrorBody, springErrorReply } from '../../frameworks/spring/errors.js';
import { WORDING } from './auth.js';
import { MethodNotAllowed, refuseTrace } from './methods.js';

export function peakaErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  let mapped = springErrorReply(error, request, WORDING);
  if (!mapped) {
    request.log.error({ err: error }, 'peaka request failed');
    mapped = { status: 500, message: 'Internal Server Error' };
  }
  // RFC 6750: a bearer-protected resource names its scheme when it refuses a credential.
  if (mapped.status === 401) void reply.header('www-authenticate', 'Bearer');
  if (error instanceof MethodNotAllowed) void reply.header('allow', error.allow.join(', '));
  return reply.code(mapped.status).send(springErrorBody(request, mapped.status, mapped.message));
}

/**
 * Spring's answer to a path it has no handler for (Spring 6 NoHandlerFoundException wording).
 * Every call without a route comes here, so this is also where Tomcat's TRACE refusal is
 * answered, for any path (methods.ts).
 */
export function peakaNotFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (request.method === 'TRACE') return refuseTrace(request, reply);
  const path = request.url.split('?')[0]!;
  return reply.code(404).send(springErrorBody(request, 404, `No endpoint ${request.method} ${path}.`));
}

const EXAMPLE_PATH = '/api/v1/projects/mtKDhe1U/apiKeys';
const AUTH = {
  401: {
    description: 'Unauthorized: no Bearer credential, or a malformed, unknown, expired or deleted key.',
    message: WORDING.unauthorized,
  },
  403: { description: 'Forbidden: a Project API key; only Partner API keys manage keys.', message: WORDING.forbidden },
};
const NO_PROJECT = {
  description: 'Not Found: no such project, or one of another partner.',
  message: 'Project not found',
};
/** Spring MVC's 406 for an Accept that admits no JSON (common/spring-accept.ts). */
const NOT_ACCEPTABLE = {
  406: keyforgeAnswer(
    "Not Acceptable: the Accept header admits no JSON. Spring Boot's Whitelabel page for a client that accepts HTML; no body for any other.",
    z.string(),
    '<html><body><h1>Whitelabel Error Page</h1>…<div>There was an unexpected error (type=Not Acceptable, status=406).</div><div>Acceptable representations: [application/json].</div></body></html>',
    'text/html',
  ),
};
/** What each operation answers besides its success; Peaka's document lists none. */
export const ANSWERS = {
  create: {
    ...springAnswers(
      EXAMPLE_PATH,
      {
        400: {
          description: 'Bad Request: no body, malformed JSON, or a field that breaks the rules.',
          message: 'expiresAt: must be in the future',
        },
        ...AUTH,
        404: NO_PROJECT,
        415: {
          description: 'Unsupported Media Type: a body that is not JSON.',
          message: "Content-Type 'text/plain' is not supported",
        },
      },
      true,
    ),
    ...NOT_ACCEPTABLE,
  },
  list: { ...springAnswers(EXAMPLE_PATH, { ...AUTH, 404: NO_PROJECT }, false), ...NOT_ACCEPTABLE },
  delete: {
    200: { description: 'The key is deleted; the body is empty.' },
    ...NOT_ACCEPTABLE,
    ...springAnswers(
      `${EXAMPLE_PATH}/21fd1a8d-88d5-4295-b792-5b2113138057`,
      {
        ...AUTH,
        404: {
          description: 'Not Found: no such project or key, or one the partner cannot reach.',
          message: 'API key not found',
        },
      },
      true, // a body arrives with a DELETE too (413 over the limit), though none is read
    ),
  },
};
