// Answers for requests no route serves: unknown paths and methods, URLs Fastify refuses
// before routing (a bad percent-escape, an over-long path parameter) and bodies refused on the
// way to a 404. Each is answered in the shape of the vendor whose paths it names — under
// /<vendor>, or at a vendor's real path on the shared root mount — and otherwise in keyforge's
// own {error,message}, never in Fastify's {statusCode,code,error,message}.
import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { keyforgeNotFound } from '../http/not-found.js';
import { statusOf } from '../http/status-error.js';
import type { VendorDialect } from '../vendors/dialect.js';

export class UnroutedRequests {
  /** The literal start of each root-mounted vendor route (up to its first parameter). */
  private readonly rootPrefixes: { prefix: string; dialect: VendorDialect }[] = [];

  constructor(private readonly dialects: readonly VendorDialect[]) {}

  /** Remembers a vendor route mounted at the root, so unrouted calls near it get its shape. */
  noteRoute(route: RouteOptions, dialect: VendorDialect, mountPrefix: string): void {
    if (mountPrefix !== '') return;
    const literal = route.url.split(/[:*]/)[0]!;
    if (!this.rootPrefixes.some((p) => p.prefix === literal)) this.rootPrefixes.push({ prefix: literal, dialect });
    this.rootPrefixes.sort((a, b) => b.prefix.length - a.prefix.length);
  }

  /** The dialect whose paths `url` names, if any. */
  owner(url: string): VendorDialect | undefined {
    const path = url.split('?')[0]!;
    const mounted = this.dialects.find((d) => path === `/${d.name}` || path.startsWith(`/${d.name}/`));
    if (mounted) return mounted;
    return this.rootPrefixes.find(({ prefix }) =>
      prefix.endsWith('/') ? path.startsWith(prefix) : path === prefix || path.startsWith(`${prefix}/`),
    )?.dialect;
  }

  readonly notFound = (request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const dialect = this.owner(request.url);
    if (dialect) return dialect.notFound(request, reply);
    return keyforgeNotFound(request, reply);
  };

  /**
   * Fastify's `frameworkErrors`: a URL that cannot be decoded or routed matches no route, so
   * 404 — or what the vendor's own framework answers (Fastify's 400 and 414 for Basic).
   */
  readonly frameworkError = (error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const dialect = this.owner(request.url);
    return dialect?.badUrl ? dialect.badUrl(error, request, reply) : this.notFound(request, reply);
  };

  /** Errors outside any vendor or admin scope: the 404 handlers' body parsing, mostly. */
  readonly errorHandler = (error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    // The body of a call nobody serves does not matter: it is still a 404 — unless the vendor's
    // framework reads it first (Fastify's 404 route does, for Basic).
    if (request.is404)
      return this.owner(request.url)?.unroutedBodyError?.(error, request, reply) ?? this.notFound(request, reply);
    const status = statusOf(error);
    if (status >= 500) request.log.error({ err: error }, 'unhandled error');
    return reply
      .code(status)
      .send({ error: STATUS_CODES[status], message: status >= 500 ? 'internal error' : error.message });
  };

  install(app: FastifyInstance): void {
    app.setNotFoundHandler(this.notFound);
    app.setErrorHandler(this.errorHandler);
  }
}
