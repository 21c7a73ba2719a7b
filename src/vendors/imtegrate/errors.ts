// Imtegrate is a FastAPI service: 422 with pydantic's `detail` list, `{"detail": "..."}` for
// every other error (wording chosen, see docs/vendors/imtegrate.md), and Starlette's 404 and
// trailing-slash redirect for paths it does not serve (its 405: src/frameworks/fastapi/starlette-routing.ts).
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { fastApiErrorReply, sendFastApiJson } from '../../frameworks/fastapi/requests.js';
import { WORDING } from './auth.js';

/**
 * Bodies go out already serialized: the route's published 422 schema (loc, msg, type) must not
 * strip or reorder the `input` and `ctx` FastAPI sends.
 */
export function imtegrateErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const mapped = fastApiErrorReply(error, request.body, WORDING, { params: request.params, querystring: request.query });
  if (!mapped) {
    request.log.error({ err: error }, 'imtegrate request failed');
    return sendFastApiJson(reply, 500, { detail: 'Internal Server Error' });
  }
  // RFC 9110: a 401 names the scheme to use, as FastAPI's HTTPBearer does.
  if (mapped.status === 401) reply.header('www-authenticate', 'Bearer');
  return sendFastApiJson(reply, mapped.status, mapped.body);
}

export function imtegrateNotFound(_request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return sendFastApiJson(reply, 404, { detail: 'Not Found' });
}

/** Starlette's `redirect_slashes`: `/v1/api-keys/` answers 307 to `/v1/api-keys`, any method. */
export async function redirectSlash(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const [path = '', query] = request.url.split(/\?(.*)/s, 2);
  const location = `${request.protocol}://${request.host}${path.replace(/\/$/, '')}${query === undefined ? '' : `?${query}`}`;
  return reply.code(307).header('location', location).send();
}
