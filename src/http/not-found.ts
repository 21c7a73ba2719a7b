// keyforge's own 404 `{error, message}`, for paths that name no vendor (the docs and console
// mounts use it too).
import type { FastifyReply, FastifyRequest } from 'fastify';

/** keyforge's own 404, for paths that name no vendor. */
export function keyforgeNotFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return reply
    .code(404)
    .send({ error: 'Not Found', message: `no keyforge route for ${request.method} ${request.url.split('?')[0]}` });
}
