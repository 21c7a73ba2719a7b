// How a FastAPI service answers a known path with a method it does not serve, from Starlette's
// and FastAPI's routing: each `@app.get`/`@app.post` is its own route holding one method
// (FastAPI's APIRoute adds no HEAD to a GET route, unlike Starlette's Route); the router hands
// the call to the first route whose path matches (Match.PARTIAL), which raises
// HTTPException(405, headers={"Allow": ", ".join(its methods)}) before any dependency — auth,
// body — runs. So the answer is 405 {"detail":"Method Not Allowed"} whose Allow names only the
// method of the path's first declared route; HEAD and OPTIONS are methods like any other.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendFastApiJson } from './requests.js';
import { methodRoute, otherMethods } from '../../http/methods.js';

/** Starlette's 405 for a path whose first declared route serves `allow`. */
export function methodNotAllowed(allow: readonly string[]) {
  return async (_request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> =>
    sendFastApiJson(reply.header('allow', allow.join(', ')), 405, { detail: 'Method Not Allowed' });
}

/**
 * Answers every other method on each path 405. `paths` maps a path to the methods of its routes
 * in the order the service declares them; register GET routes with `exposeHeadRoute: false`.
 */
export function refuseOtherMethods(app: FastifyInstance, paths: Record<string, readonly string[]>): void {
  for (const [url, served] of Object.entries(paths)) {
    methodRoute(app, { url, methods: otherMethods(served), onRequest: methodNotAllowed(served.slice(0, 1)) });
  }
}
