// Fastify writes its per-request lines ("incoming request", "request completed", a route not
// found, a 4xx from its default error handler) at info level. keyforge shows them only from
// --log-level debug on, so they should say so: a line that appears only at debug carries the
// debug level (20), and a log filter on level keeps or drops them together with the rest of
// the debug output. Failures (5xx, errored streams) keep Fastify's own error and warn levels.
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

export class DebugRequestLogs extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    if (this.isLogDisabled(request)) return;
    request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error) return super.requestCompleted(error, request, reply);
    if (this.isLogDisabled(request)) return;
    reply.log.debug({ res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }

  override defaultErrorLog(error: Error, request: FastifyRequest, reply: FastifyReply): void {
    if (reply.statusCode >= 500) return super.defaultErrorLog(error, request, reply);
    if (this.isLogDisabled(request)) return;
    reply.log.debug({ res: reply, err: error }, error?.message);
  }

  override routeNotFound(request: FastifyRequest): void {
    if (this.isLogDisabled(request)) return;
    request.log.debug(`Route ${request.raw.method}:${request.raw.url} not found`);
  }
}

/** Request lines are written from debug level down; above it they are off altogether. */
export function requestLogController(level: string): LogController {
  return new DebugRequestLogs({ disableRequestLogging: !['debug', 'trace'].includes(level) });
}
