// Imtegrate is a FastAPI service: 422 with pydantic's `detail` list, `{"detail": "..."}` for
// every other error (wording chosen, see docs/vendors/imtegrate.md). Its 404, 405 and
// trailing-slash redirect are Starlette's: common/starlette-routing.ts.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { fastApiErrorReply, sendFastApiJson } from '../../frameworks/fastapi/requests.js';
import { pythonBodyEcho } from '../../frameworks/fastapi/python-echo.js';
import { WORDING } from './auth.js';

/**
 * Bodies go out already serialized: the route's published 422 schema (loc, msg, type) must not
 * strip or reorder the `input` and `ctx` FastAPI sends.
 */
export function imtegrateErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const mapped = fastApiErrorReply(error, pythonBodyEcho(request), WORDING, {
    params: request.params,
    querystring: request.query,
  });
  if (!mapped) {
    request.log.error({ err: error }, 'imtegrate request failed');
    return sendFastApiJson(reply, 500, { detail: 'Internal Server Error' });
  }
  // RFC 9110: a 401 names the scheme to use, as FastAPI's HTTPBearer does.
  if (mapped.status === 401) reply.header('www-authenticate', 'Bearer');
  return sendFastApiJson(reply, mapped.status, mapped.body);
}
