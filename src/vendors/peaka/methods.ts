// What Peaka's stack (Spring Boot: Tomcat, Spring Security, Spring MVC) does with a method a
// path does not serve, read from their source:
// - TRACE: Tomcat's connector has allowTrace=false, so CoyoteAdapter refuses it before any
//   filter (no authentication) with sendError(405, "TRACE method is not allowed") and an Allow
//   of DispatcherServlet's servlet methods — StandardWrapper.getServletMethods(), a HashSet, so
//   in its iteration order — minus TRACE; Spring Boot's /error page renders the Spring body.
// - OPTIONS: after Spring Security, RequestMappingInfoHandlerMapping.handleNoMatch answers with
//   its HttpOptionsHandler: 200, no body, Allow of the declared methods (HEAD after GET, then
//   OPTIONS) joined by "," (HttpHeaders.setAllow), and an Accept-Patch of the PATCH mappings'
//   media types — empty here, and Spring writes it empty.
// - anything else: after Spring Security, HttpRequestMethodNotSupportedException: 405 with
//   Allow of the declared methods joined by ", " (its getHeaders) and the Spring error body.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { springErrorBody } from '../../frameworks/spring/errors.js';
import { methodRoute, otherMethods } from '../../http/methods.js';
import { StatusError } from '../../http/status-error.js';

/**
 * getServletMethods() of DispatcherServlet (doGet, doPost, doPut, doDelete declared, OPTIONS and
 * TRACE always): {OPTIONS, TRACE, GET, HEAD, POST, PUT, DELETE} in java.util.HashSet order.
 */
const SERVLET_METHODS = ['TRACE', 'HEAD', 'DELETE', 'POST', 'GET', 'OPTIONS', 'PUT'];

/** Spring's HttpRequestMethodNotSupportedException: 405 with an Allow header of the path's declared methods. */
export class MethodNotAllowed extends StatusError {
  override readonly refusal = 'method';
  constructor(
    method: string,
    readonly allow: readonly string[],
  ) {
    // The ProblemDetail's detail, which DefaultHandlerExceptionResolver passes to sendError.
    super(405, `Method '${method}' is not supported.`);
  }
}

export function refuseTrace(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const allow = SERVLET_METHODS.filter((method) => method !== 'TRACE').join(', ');
  return reply
    .code(405)
    .header('allow', allow)
    .send(springErrorBody(request, 405, 'TRACE method is not allowed'));
}

/** OPTIONS and every other method (but TRACE) on a path whose mappings declare `declared`. */
export function answerOtherMethods(app: FastifyInstance, url: string, declared: readonly string[]): void {
  const options = [...declared.flatMap((method) => (method === 'GET' ? ['GET', 'HEAD'] : [method])), 'OPTIONS'];
  // Answered in the route's onRequest, which runs after the plugin's (Spring Security) and before
  // any body is read: the handler mapping decides before a message converter would run.
  methodRoute(app, {
    url,
    methods: ['OPTIONS'],
    onRequest: async (_request, reply) =>
      reply.code(200).header('allow', options.join(',')).header('accept-patch', '').send(),
  });
  methodRoute(app, {
    url,
    methods: otherMethods(options).filter((method) => method !== 'TRACE'),
    onRequest: async (request) => {
      throw new MethodNotAllowed(request.method, declared);
    },
  });
}
