// The bare Fastify instance buildApp (app.ts) mounts everything on, configured as keyforge's
// HTTP server behaves before any route exists: its logger, body limit, answers to URLs no
// route serves, uvicorn's URL decoding, every request method, zod validation and
// serialization, and `Connection: close` once closing. Apart from app.ts, which wires the rest.
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import { starletteSafeUrl } from './frameworks/fastapi/starlette-router.js';
import { answerExpectations } from './http/expectations.js';
import { routeEveryMethod } from './http/methods.js';
import { zodSerializerCompiler } from './http/serializer.js';
import { zodValidatorCompiler } from './http/validation.js';
import { lazyChildLoggerFactory } from './logging/lazy-logger.js';
import { requestLogController } from './logging/request-log.js';
import type { UnroutedRequests } from './pipeline/unrouted.js';
import { SECRET_HEADERS } from './vendors/index.js';

/** A Fastify instance with keyforge's server settings; `logStream` is where log lines go (default stdout). */
export function createFastify(
  config: Config,
  unrouted: UnroutedRequests,
  logStream?: NodeJS.WritableStream,
): FastifyInstance {
  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: { paths: SECRET_HEADERS.map((h) => `req.headers["${h}"]`), censor: '[redacted]' },
      hooks: { logMethod: listeningAtDebug },
      ...(logStream ? { stream: logStream } : {}),
    },
    // Two log lines per request drown a CI log; they are there at debug level and below, as debug lines.
    logController: requestLogController(config.logLevel),
    bodyLimit: config.bodyLimit,
    frameworkErrors: unrouted.frameworkError,
    // uvicorn's vendors take any percent-escape as Python's unquote does; Fastify's router would refuse some.
    rewriteUrl: (request) => {
      const url = request.url ?? '/';
      return url.includes('%') && unrouted.owner(url)?.server === 'uvicorn' ? starletteSafeUrl(url) : url;
    },
    childLoggerFactory: lazyChildLoggerFactory,
  });
  answerExpectations(app.server, (url) => unrouted.owner(url));
  // FastAPI, Spring and reitit answer any method on a path they serve (src/http/methods.ts).
  routeEveryMethod(app);
  app.setValidatorCompiler(zodValidatorCompiler);
  app.setSerializerCompiler(zodSerializerCompiler);
  // Once closing, answer in-flight calls with `Connection: close`: Fastify reaps idle
  // keep-alive sockets only when close starts, and a socket that was busy then would keep the
  // process alive until the client's keep-alive timeout.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });
  return app;
}

const PINO_INFO = 30;

/**
 * Fastify logs "Server listening at …" at info, one JSON line per address, in the middle of the
 * banner server.ts prints; the banner says where keyforge listens, so that line goes to debug.
 */
function listeningAtDebug(
  this: FastifyBaseLogger,
  args: unknown[],
  method: (...args: unknown[]) => void,
  level: number,
): void {
  if (level === PINO_INFO && typeof args[0] === 'string' && args[0].startsWith('Server listening at '))
    this.debug(args[0]);
  else method.apply(this, args);
}
