// Validates responses against the vendors' own OpenAPI documents in openapi/. The whole
// document is loaded into Ajv (2020-12 for OpenAPI 3.1, draft-07 for 3.0) so internal $refs
// resolve, and each response is checked against the schema the document gives for its
// path, method, status and media type.
import { existsSync, readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, unknown> }> }>>;
}

export interface CheckedResponse {
  statusCode: number;
  headers: Record<string, unknown>;
  body: string;
}

export interface SpecCheck {
  /** The operation documents this status; the body was validated. */
  documented: boolean;
  errors: string[];
}

const documents = new Map<string, { doc: OpenApiDocument; ajv: Ajv }>();

/** A document by name: a file in openapi/, or one given (keyforge's served documents). */
function load(name: string, given?: () => object) {
  let entry = documents.get(name);
  if (!entry) {
    const doc = (
      given ? given() : parse(readFileSync(new URL(`../../openapi/${name}.yaml`, import.meta.url), 'utf8'))
    ) as OpenApiDocument;
    const options = { strict: false, allErrors: true, validateSchema: false };
    const ajv = doc.openapi.startsWith('3.1') ? new Ajv2020(options) : new Ajv(options);
    addFormats.default(ajv);
    ajv.addSchema(doc as object, name);
    entry = { doc, ajv: ajv as Ajv };
    documents.set(name, entry);
  }
  return entry;
}

/**
 * Checks a response against keyforge's own document of the vendor (`/openapi/<vendor>.json`, as
 * `document()` gives it; loaded once): every status keyforge answers must be listed there, with
 * its body's schema.
 */
export function checkAgainstServed(
  name: string,
  document: () => object,
  method: string,
  path: string,
  response: CheckedResponse,
): SpecCheck {
  load(`served/${name}`, document);
  return checkIn(`served/${name}`, method, path, response);
}

const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/**
 * Finds the template path of the document that matches a concrete path (`/project/{id}/key`),
 * preferring one that has `method` and, of those, literal segments over parameters (so
 * `/key/verify` is not read as `/key/{key_id}`).
 */
function templateFor(doc: OpenApiDocument, path: string, method?: string): string | undefined {
  const matches = Object.keys(doc.paths).filter((template) => {
    const pattern = new RegExp(
      `^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`,
    );
    return pattern.test(path);
  });
  const params = (template: string) => (template.match(/\{/g) ?? []).length;
  const withMethod = matches.filter(
    (template) => method !== undefined && doc.paths[template]![method.toLowerCase()] !== undefined,
  );
  return (withMethod.length > 0 ? withMethod : matches).sort((a, b) => params(a) - params(b))[0];
}

/**
 * Checks a response of `method path` (path relative to the document's server) against the
 * vendor's document, or, for a call the vendor does not document, against keyforge's
 * extension document for it (openapi/extensions/<vendor>.yaml, generated from the routes).
 */
export function checkAgainstSpec(name: string, method: string, path: string, response: CheckedResponse): SpecCheck {
  const own = load(name);
  const extension = `extensions/${name}`;
  const inOwn = templateFor(own.doc, path.split('?')[0]!, method);
  const documentedByVendor = inOwn !== undefined && own.doc.paths[inOwn]![method.toLowerCase()] !== undefined;
  if (documentedByVendor || !existsSync(new URL(`../../openapi/${extension}.yaml`, import.meta.url)))
    return checkIn(name, method, path, response);
  return checkIn(extension, method, path, response);
}

function checkIn(name: string, method: string, path: string, response: CheckedResponse): SpecCheck {
  const { doc, ajv } = load(name);
  const template = templateFor(doc, path.split('?')[0]!, method);
  if (!template) return { documented: false, errors: [`${name}: no path in the document matches ${path}`] };
  const operation = doc.paths[template]![method.toLowerCase()];
  if (!operation) return { documented: false, errors: [`${name}: ${method} ${template} is not documented`] };
  const status = String(response.statusCode);
  const documented =
    operation.responses?.[status] ?? operation.responses?.[`${status[0]}XX`] ?? operation.responses?.default;
  if (!documented) return { documented: false, errors: [] };
  const statusKey = operation.responses?.[status]
    ? status
    : operation.responses?.[`${status[0]}XX`]
      ? `${status[0]}XX`
      : 'default';
  if (!documented.content)
    return { documented: true, errors: response.body === '' ? [] : [`${status} documents no body`] };
  const mediaType = String(response.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim();
  if (!(mediaType in documented.content)) {
    return {
      documented: true,
      errors: [
        `media type ${mediaType} is not documented for ${status} (${Object.keys(documented.content).join(', ')})`,
      ],
    };
  }
  if (mediaType !== 'application/json') return { documented: true, errors: [] }; // other encodings are checked by their own tests
  const ref = `${name}#/${pointer('paths', template, method.toLowerCase(), 'responses', statusKey, 'content', mediaType, 'schema')}`;
  const validate = ajv.getSchema(ref) as ValidateFunction;
  const valid = validate(JSON.parse(response.body));
  return {
    documented: true,
    errors: valid ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`),
  };
}
