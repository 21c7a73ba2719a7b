// Request methods a vendor's path does not serve. Fastify routes only the methods it was told
// of and answers the rest 404, but FastAPI, Spring MVC and reitit answer any method on a known
// path themselves (405, or OPTIONS answered by the framework): so keyforge tells Fastify of every
// method Node's HTTP parser passes on, and each dialect declares what its framework does with
// the ones its paths do not serve (docs/vendors/<vendor>.md).
import { METHODS } from 'node:http';
import type { FastifyInstance, onRequestAsyncHookHandler, RouteHandlerMethod } from 'fastify';

/** Every method a request can arrive with: Node turns CONNECT into a 'connect' event, never a request. */
export const REQUEST_METHODS: readonly string[] = METHODS.filter((method) => method !== 'CONNECT');

/** Makes every request method routable (Fastify knows nine of them by default). */
export function routeEveryMethod(app: FastifyInstance): void {
  for (const method of REQUEST_METHODS) {
    if (!app.supportedMethods.includes(method)) app.addHttpMethod(method, { hasBody: true });
  }
}

/** The request methods a path does not serve (`served` in any case). */
export function otherMethods(served: readonly string[]): string[] {
  const upper = served.map((method) => method.toUpperCase());
  return REQUEST_METHODS.filter((method) => !upper.includes(method));
}

export interface MethodRoute {
  /** The path as the dialect's routes declare it (`/v1/api-keys/:id/revoke`). */
  url: string;
  methods: readonly string[];
  /** Answers in onRequest, so nothing after it (body, auth in later hooks) runs. */
  onRequest?: onRequestAsyncHookHandler;
  handler?: RouteHandlerMethod;
}

/** A route the documents never show (framework behaviour, not a vendor call). */
export function methodRoute(app: FastifyInstance, { url, methods, onRequest, handler }: MethodRoute): void {
  if (methods.length === 0) return;
  app.route({
    method: [...methods],
    url,
    schema: { hide: true },
    ...(onRequest ? { onRequest } : {}),
    handler: handler ?? (async (_request, reply) => reply),
  });
}
