// How a FastAPI service answers a request its routes do not serve, from Starlette's and
// FastAPI's routing (starlette-router.ts decides which case a request is): each
// `@app.get`/`@app.post` is its own route holding one method (FastAPI's APIRoute adds no HEAD to
// a GET route, unlike Starlette's Route); the router hands the call to the first route whose
// path matches (Match.PARTIAL), which raises HTTPException(405, headers={"Allow": ", ".join(its
// methods)}) before any dependency — auth, body — runs. So the answer is 405
// {"detail":"Method Not Allowed"} whose Allow names only the method of the path's first declared
// route; HEAD and OPTIONS are methods like any other. A path no route matches is redirected
// (307) when it matches with its trailing slashes removed (or one added), else 404.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendFastApiJson } from './requests.js';
import { methodRoute, otherMethods } from '../../http/methods.js';
import { redirectLocation, StarletteRouter, type StarletteMatch } from './starlette-router.js';

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

/** The path (without the query) and the query (undefined without a `?`) of a request URL. */
function splitUrl(url: string): [string, string | undefined] {
  const at = url.indexOf('?');
  return at < 0 ? [url, undefined] : [url.slice(0, at), url.slice(at + 1)];
}

/** Answers what Starlette answers when no route serves the request; nothing for a full match. */
function answerUnserved(
  request: FastifyRequest,
  reply: FastifyReply,
  match: StarletteMatch,
  mount: string,
  query: string | undefined,
): FastifyReply | undefined {
  if (match.kind === 'full') return undefined;
  if (match.kind === 'partial')
    return sendFastApiJson(reply.header('allow', match.allow.join(', ')), 405, { detail: 'Method Not Allowed' });
  if (match.kind === 'redirect')
    return reply
      .code(307)
      .header('location', redirectLocation(request.protocol, request.host, `${mount}${match.path}`, query))
      .send();
  return sendFastApiJson(reply, 404, { detail: 'Not Found' });
}

/**
 * Routes every request of the scope as Starlette would, before any other hook of the vendor: a
 * full match goes on with Starlette's path parameters (decoded, never holding a slash); any
 * other answer is given here. `paths` as for refuseOtherMethods.
 */
export function routeLikeStarlette(app: FastifyInstance, paths: Record<string, readonly string[]>): void {
  const router = new StarletteRouter(paths);
  const mount = app.prefix;
  app.addHook('onRequest', async (request, reply) => {
    const [path, query] = splitUrl(request.url);
    const match = router.match(request.method, path.slice(mount.length));
    if (match.kind === 'full') {
      request.params = match.params;
      return;
    }
    return answerUnserved(request, reply, match, mount, query);
  });
}

/**
 * The vendor's answer for a URL Fastify routed nowhere, at its root paths or under `/<vendor>`:
 * Starlette's redirect, 405 or 404. (A URL Fastify cannot route at all but Starlette would
 * serve, such as one with a malformed percent-escape, is a 404: docs/vendors/<vendor>.md.)
 */
export function starletteNotFound(paths: Record<string, readonly string[]>, vendor: string) {
  const router = new StarletteRouter(paths);
  return (request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const [path, query] = splitUrl(request.url);
    const mount = path === `/${vendor}` || path.startsWith(`/${vendor}/`) ? `/${vendor}` : '';
    const match = router.match(request.method, path.slice(mount.length) || '/');
    return answerUnserved(request, reply, match.kind === 'full' ? { kind: 'none' } : match, mount, query) ?? reply;
  };
}
