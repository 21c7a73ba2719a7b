// API documents: one OpenAPI document per dialect plus the admin API, generated from the
// route schemas by @fastify/swagger (registered once per document, see transform.ts), served
// at /openapi/<name>.json, and Swagger UI at /docs with a selector across them (ui.ts).
// Documents and the UI are built on first request, so start-up stays fast.
import fastifySwagger from '@fastify/swagger';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { DIALECTS } from '../vendors/index.js';
import { VERSION } from '../version.js';
import { keyforgeNotFound } from '../http/not-found.js';
import { tailor, type OpenApiDocument } from './serve.js';
import { documentTransform, routeTransform } from './transform.js';
import { serveSwaggerUi } from './ui.js';
import { DOCUMENTS } from './documents.js';
import type { DocumentName } from './settings.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The named document as served to a client at `origin` (`http://host:port`). */
    apiDocument(name: DocumentName, origin: string): OpenApiDocument;
  }
}

export const ADMIN_DOCUMENT_TITLE = 'keyforge admin API';

export function documentNames(): DocumentName[] {
  return [...DIALECTS.map((d) => d.name), 'keyforge'];
}

export function originOf(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

async function apiDocs(app: FastifyInstance): Promise<void> {
  const generators = new Map<DocumentName, () => OpenApiDocument>();
  for (const name of documentNames()) {
    const settings = DOCUMENTS[name];
    const dialect = DIALECTS.find((d) => d.name === name);
    // The admin document takes the default decorator, which swagger-ui's own /docs/json reads.
    const decorator = name === 'keyforge' ? 'swagger' : `swagger:${name}`;
    await app.register(fastifySwagger, {
      decorator,
      openapi: {
        openapi: settings.openapi,
        info: {
          title: dialect?.title ?? ADMIN_DOCUMENT_TITLE,
          version: VERSION,
          description: settings.description ?? `The ${dialect?.title} as emulated by keyforge ${VERSION}.`,
        },
        components: { securitySchemes: settings.securitySchemes },
        security: settings.security,
      },
      transform: routeTransform(name, settings),
      transformObject: documentTransform(settings),
    });
    generators.set(name, () => (app as unknown as Record<string, () => OpenApiDocument>)[decorator]!());
  }

  app.decorate('apiDocument', (name: DocumentName, origin: string) => {
    const generate = generators.get(name);
    if (!generate) throw new Error(`no API document named ${name}`);
    return tailor(generate(), {
      settings: DOCUMENTS[name],
      origin,
      dialect: DIALECTS.find((d) => d.name === name),
      demo: app.keyforge.demo.find((credential) => credential.vendor === name),
    });
  });

  for (const name of generators.keys()) {
    app.get(`/openapi/${name}.json`, { schema: { hide: true } }, async (request) =>
      app.apiDocument(name, originOf(request)),
    );
  }

  serveSwaggerUi(app, {
    urls: documentNames().map((name) => ({ name: uiName(name), url: `/openapi/${name}.json` })),
    defaultDocument: (request) => app.apiDocument('keyforge', originOf(request)),
    notFound: keyforgeNotFound,
  });
}

/** The label in Swagger UI's definition selector (also `/docs?urls.primaryName=<label>`). */
export function uiName(name: DocumentName): string {
  return name === 'keyforge' ? 'keyforge-admin' : name;
}

export const apiDocsPlugin = fp(apiDocs, { name: 'keyforge-api-docs' });
