// Swagger UI at /docs, served by a small Fastify instance of its own that is built on the first
// request under /docs. Registering @fastify/swagger-ui (its static files and routes) was a tenth
// of keyforge's start-up, for a page most CI runs never open; the main app hands /docs requests
// to it unchanged. The documents themselves stay in the main app (/openapi/<name>.json).
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { OpenApiDocument } from './serve.js';

export interface SwaggerUiOptions {
  /** The definition selector: a label and a document URL each. */
  urls: Array<{ name: string; url: string }>;
  /** The document swagger-ui's own /docs/json answers (the admin API's). */
  defaultDocument(request: FastifyRequest): OpenApiDocument;
  notFound(request: FastifyRequest, reply: FastifyReply): FastifyReply;
}

export function serveSwaggerUi(app: FastifyInstance, options: SwaggerUiOptions): void {
  let ui: Promise<FastifyInstance> | undefined;
  const forward = async (request: FastifyRequest, reply: FastifyReply) => {
    ui ??= buildUi(app, options);
    const instance = await ui;
    reply.hijack();
    instance.routing(request.raw, reply.raw);
  };
  app.get('/docs', { schema: { hide: true } }, forward);
  app.get('/docs/*', { schema: { hide: true } }, forward);
  app.addHook('onClose', async () => {
    if (ui) await (await ui).close();
  });
}

async function buildUi(
  app: FastifyInstance,
  { urls, defaultDocument, notFound }: SwaggerUiOptions,
): Promise<FastifyInstance> {
  const instance = Fastify({
    loggerInstance: app.log,
    logController: new LogController({ disableRequestLogging: true }),
  });
  instance.setNotFoundHandler(notFound);
  // swagger-ui depends on @fastify/swagger by name; its document is replaced per request below.
  await instance.register(fastifySwagger, { openapi: { info: { title: 'keyforge', version: '0' } } });
  await instance.register(fastifySwaggerUi, {
    routePrefix: '/docs',
    uiConfig: { urls, displayRequestDuration: true },
    transformSpecification: (_generated, request) => defaultDocument(request),
  });
  await instance.ready();
  return instance;
}
