// Peaka runs on Spring Boot, so every error is Spring's `{timestamp,status,error,message,path}`
// body; the wording of each message is ours (see docs/vendors/peaka.md).
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { springErrorBody, springErrorReply } from '../common/spring.js';
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
