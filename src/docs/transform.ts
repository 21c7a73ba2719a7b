// Turns route schemas into one OpenAPI document per dialect. @fastify/swagger is registered
// once per document; each registration's transform keeps only that document's routes and
// converts their zod schemas, including bodies declared per media type, which the zod type
// provider's own transform does not handle.
import type { SwaggerTransform, SwaggerTransformObject } from '@fastify/swagger';
import type { RouteOptions } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import type { DocumentedAnswers } from '../http/answers.js';
import type { DocumentName, DocumentSettings } from './settings.js';

/** The admin API lives under this prefix; everything else belongs to a dialect or to nobody. */
export const ADMIN_PREFIX = '/_keyforge';

type JsonObject = Record<string, unknown>;

/**
 * app.ts tags every dialect route with `config.vendor`, at both mounts; only the root mount
 * (the vendor's real paths) is documented, not the `/<vendor>` duplicates.
 */
function belongsTo(name: DocumentName, route: RouteOptions): boolean {
  if (name === 'keyforge') return route.url.startsWith(`${ADMIN_PREFIX}/`);
  return route.config?.vendor === name && !route.url.startsWith(`/${name}/`);
}

/** `{content: {<media type>: {schema}}}`: a body or response declared per media type. */
function perMediaType(value: unknown): value is { content: Record<string, { schema: unknown }>; description?: string } {
  return typeof value === 'object' && value !== null && 'content' in value && typeof value.content === 'object';
}

export function routeTransform(name: DocumentName, settings: DocumentSettings): SwaggerTransform {
  return (input) => {
    const { schema, url, route } = input as Parameters<SwaggerTransform>[0] & { route: RouteOptions };
    if (!schema || !belongsTo(name, route)) return { schema: { hide: true }, url };
    const { body, ...rest } = schema as JsonObject;
    const converted = jsonSchemaTransform({ ...input, schema: perMediaType(body) ? rest : schema })
      .schema as JsonObject;
    if (perMediaType(body)) {
      const content: JsonObject = {};
      for (const [mediaType, { schema: zodSchema }] of Object.entries(body.content)) {
        content[mediaType] = {
          schema: (jsonSchemaTransform({ ...input, schema: { body: zodSchema } }).schema as JsonObject).body,
        };
      }
      converted.body = { content };
    }
    const answers = route.config?.answers;
    if (answers)
      converted.response = {
        ...(converted.response as JsonObject | undefined),
        ...documentedAnswers(input, answers, settings.openapi.startsWith('3.0')),
      };
    if (settings.tags && !converted.tags) converted.tags = settings.tags;
    const relative =
      settings.basePath !== '' && url.startsWith(settings.basePath) ? url.slice(settings.basePath.length) : url;
    return { schema: converted, url: relative };
  };
}

/** A route's documented answers (src/http/answers.ts) as responses: zod converted like the route's own, examples kept. */
function documentedAnswers(
  input: Parameters<SwaggerTransform>[0],
  answers: DocumentedAnswers,
  openapi30: boolean,
): JsonObject {
  const withBody = Object.entries(answers).filter(([, { content }]) => content !== undefined);
  const response = Object.fromEntries(
    withBody.map(([status, { description, content }]) => [
      status,
      {
        description,
        content: Object.fromEntries(Object.entries(content!).map(([mediaType, { schema }]) => [mediaType, { schema }])),
      },
    ]),
  );
  const converted =
    (
      jsonSchemaTransform({ ...input, schema: { response } }).schema as {
        response?: Record<string, { content: Record<string, JsonObject> }>;
      }
    ).response ?? {};
  for (const [status, { content }] of withBody) {
    for (const [mediaType, { example }] of Object.entries(content!)) {
      const media = converted[status]!.content[mediaType]!;
      // @fastify/swagger passes content-form responses through as they are.
      if (openapi30) media.schema = schemaTo30(media.schema);
      if (example !== undefined) media.example = example;
    }
  }
  // An empty body: @fastify/swagger writes no content for `type: 'null'`.
  const empty = Object.entries(answers).filter(([, { content }]) => content === undefined);
  return {
    ...converted,
    ...Object.fromEntries(empty.map(([status, { description }]) => [status, { type: 'null', description }])),
  };
}

/**
 * Adds the named zod schemas as components, keeping only those this document references:
 * the registry is global, so it holds every dialect's schemas. Request-side copies are named
 * `<id>Input` by the type provider; they get their plain id back when it is free, so
 * `CreateAPIKeyRequestV1` reads as in the vendor's document.
 */
export function documentTransform(settings: DocumentSettings): SwaggerTransformObject {
  return (input) => {
    const document = jsonSchemaTransformObject(input) as JsonObject & {
      components?: { schemas?: Record<string, unknown> };
    };
    const schemas = document.components?.schemas ?? {};
    const used = referencedSchemas(document, schemas);
    const renames = new Map<string, string>();
    for (const id of used) {
      const plain = id.endsWith('Input') ? id.slice(0, -'Input'.length) : id;
      renames.set(id, plain !== id && !used.has(plain) ? plain : id);
    }
    const kept: Record<string, unknown> = {};
    for (const id of used) kept[renames.get(id)!] = schemas[id];
    const result = renameRefs(
      { ...document, components: { ...document.components, schemas: kept } },
      renames,
    ) as JsonObject;
    return (settings.openapi.startsWith('3.0') ? examplesTo30(result) : result) as ReturnType<SwaggerTransformObject>;
  };
}

const REF_PREFIX = '#/components/schemas/';

function collectRefs(value: unknown, found: Set<string>): void {
  if (Array.isArray(value)) for (const item of value) collectRefs(item, found);
  else if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string' && child.startsWith(REF_PREFIX))
        found.add(child.slice(REF_PREFIX.length));
      else collectRefs(child, found);
    }
  }
}

/** Component ids reachable from the paths, transitively through other components. */
function referencedSchemas(document: JsonObject, schemas: Record<string, unknown>): Set<string> {
  const used = new Set<string>();
  collectRefs(document.paths, used);
  const queue = [...used];
  while (queue.length > 0) {
    const next = new Set<string>();
    collectRefs(schemas[queue.pop()!], next);
    for (const id of next) {
      if (!used.has(id)) {
        used.add(id);
        queue.push(id);
      }
    }
  }
  return used;
}

function renameRefs(value: unknown, renames: Map<string, string>): unknown {
  if (Array.isArray(value)) return value.map((item) => renameRefs(item, renames));
  if (typeof value !== 'object' || value === null) return value;
  const result: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === '$ref' && typeof child === 'string' && child.startsWith(REF_PREFIX)) {
      const id = child.slice(REF_PREFIX.length);
      result[key] = REF_PREFIX + (renames.get(id) ?? id);
    } else result[key] = renameRefs(child, renames);
  }
  return result;
}

/**
 * OpenAPI 3.0 schemas have a single `example`, not JSON Schema's `examples` list; route
 * schemas are converted by @fastify/swagger, but components come straight from zod.
 */
function examplesTo30(document: JsonObject): JsonObject {
  const components = document.components as { schemas: Record<string, unknown> };
  const schemas = Object.fromEntries(
    Object.entries(components.schemas).map(([id, schema]) => [id, schemaTo30(schema)]),
  );
  return { ...document, components: { ...components, schemas } };
}

/** A JSON Schema with each `examples` list as OpenAPI 3.0's single `example`. */
function schemaTo30(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(schemaTo30);
  if (typeof value !== 'object' || value === null) return value;
  const result: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === 'examples' && Array.isArray(child)) {
      if (child.length > 0 && !('example' in value)) result.example = child[0];
    } else
      result[key] =
        key === 'properties' || key === 'example' || key === 'default' || key === 'enum'
          ? propertiesTo30(key, child)
          : schemaTo30(child);
  }
  return result;
}

function propertiesTo30(key: string, child: unknown): unknown {
  return key === 'properties' && typeof child === 'object' && child !== null
    ? Object.fromEntries(Object.entries(child).map(([name, schema]) => [name, schemaTo30(schema)]))
    : child;
}
