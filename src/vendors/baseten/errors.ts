// Baseten's API schema is pydantic-generated, so its errors follow FastAPI: 422 with a
// pydantic `detail` list, and `{"detail": "..."}` for auth (wording chosen, see docs/vendors/baseten.md).
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { fastApiErrorReply, sendFastApiJson } from '../../frameworks/fastapi/requests.js';
import { pythonBodyEcho } from '../../frameworks/fastapi/python-echo.js';

export const WORDING = {
  unauthorized: 'Invalid API key.',
  forbidden: 'You do not have permission to perform this action.',
};

export function basetenErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const mapped = fastApiErrorReply(error, pythonBodyEcho(request), WORDING);
  if (mapped) return sendFastApiJson(reply, mapped.status, mapped.body);
  request.log.error({ err: error }, 'baseten request failed');
  return reply.code(500).send({ detail: 'Internal Server Error' });
}
