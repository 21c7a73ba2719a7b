// Drives each vendor from its own OpenAPI document (openapi/<vendor>.yaml), as a client generated
// from it and then abused would: bodies made from the document's request schemas, valid and
// broken, every method on each documented path, odd media types, with and without the demo
// credential, and names of Object.prototype's members as body keys, query-string keys and header
// names. Every answer must be below 500, have a status keyforge's document of the vendor lists
// for the operation (with a body matching that status's schema); a method the path does not
// serve must get the framework's answer (Fastify's 404, the others' 405, or OPTIONS answered) in
// the vendor's shape. Afterwards the process must be as it was (built-ins, health, the journal).
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { parse } from 'yaml';
import { DOCUMENTS } from '../../src/docs/documents.js';
import { DIALECTS } from '../../src/vendors/index.js';
import type { VendorName } from '../../src/vendors/dialect.js';
import { DESCRIPTIONS } from '../dialects/index.js';
import { useTestApp } from '../helper.js';
import { headersWith, queryStringsWith } from '../reliability/prototype-keys.js';
import { expectUnchanged } from '../reliability/support.js';
import { PROTOTYPE_NAMES, snapshotBuiltIns } from '../support/built-ins.js';
import { checkAgainstServed } from '../support/openapi.js';
import { encodeMap, type MediaType } from '../vendors/bytebeam-support.js';
import { bodyFor, type Json } from './fuzz-schemas.js';
import { fuzzParameters, fuzzRuns } from '../support/fuzz.js';

const RUNS_PER_VENDOR = fuzzRuns(250);
/** The built-ins as the process began (prototypes locked, test/lock-prototypes.ts). */
const BUILT_INS_BEFORE = snapshotBuiltIns();
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'PROPFIND'] as const;
const ODD_MEDIA_TYPES = [
  'text/plain',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/vnd.api+json',
  'application/octet-stream',
  '*/*',
  'application/json; charset=latin1',
  'application/json;;',
  'garbage',
];

interface Operation {
  template: string;
  method: string;
  mediaTypes: string[];
  schema: Json | undefined;
}

function operationsOf(doc: Json): Operation[] {
  return Object.entries(doc.paths as Record<string, Record<string, Json>>).flatMap(([template, item]) =>
    Object.entries(item).map(([method, op]) => {
      const content = ((op.requestBody as Json | undefined)?.content ?? {}) as Record<string, { schema?: Json }>;
      return {
        template,
        method: method.toUpperCase(),
        mediaTypes: Object.keys(content),
        schema: Object.values(content)[0]?.schema,
      };
    }),
  );
}

/**
 * A body in `mediaType`: JSON text, a form, or for Bytebeam's other types the client libraries'
 * encoding of a map, its keys keywords or (`stringKeys`) strings, which answers echo as strings.
 */
function encode(mediaType: string | undefined, value: unknown, stringKeys: boolean): string | Buffer {
  const base = mediaType?.split(';')[0]!.trim().toLowerCase();
  const map = typeof value === 'object' && value !== null && !Array.isArray(value);
  if (map && base === 'application/x-www-form-urlencoded') {
    return new URLSearchParams(
      Object.entries(value as Record<string, unknown>).map(([key, v]): [string, string] => [
        key,
        typeof v === 'string' ? v : JSON.stringify(v),
      ]),
    ).toString();
  }
  if (
    map &&
    (base === 'application/transit+json' || base === 'application/transit+msgpack' || base === 'application/edn')
  ) {
    try {
      return encodeMap(base as MediaType, Object.entries(value as Record<string, unknown>), stringKeys);
    } catch (err) {
      // An attempt to write onto a locked built-in (test/lock-prototypes.ts) is a finding, never a fallback.
      if (/not extensible/.test((err as Error).message)) throw err;
      // A nested JSON object the client library cannot write: sent as JSON text, which that type cannot read.
    }
  }
  return JSON.stringify(value) ?? '';
}

describe.each(DIALECTS.map((d) => d.name))('the %s API driven from its own document', (vendor) => {
  const app = useTestApp();
  const doc = parse(readFileSync(new URL(`../../openapi/${vendor}.yaml`, import.meta.url), 'utf8')) as Json;
  const dialect = DIALECTS.find((d) => d.name === vendor)!;
  const demo = dialect.createKeyRequest(dialect.demo);
  const basePath = DOCUMENTS[vendor].basePath;
  const authHeaders = Object.fromEntries(
    Object.entries(demo.headers).filter(([name]) => name.toLowerCase() !== 'content-type'),
  );

  it('answers every call with a documented status and body, never a 5xx', async () => {
    const operations = operationsOf(doc);
    const request = fc.record({
      operation: fc.constantFrom(...operations),
      method: fc.option(fc.constantFrom(...METHODS), { freq: 3 }),
      mount: fc.constantFrom('', `/${vendor}`),
      pathValue: fc.oneof(fc.constant(undefined), fc.string({ minLength: 1, maxLength: 12 }).map(encodeURIComponent)),
      auth: fc.constantFrom('demo', 'demo', 'demo', 'none', 'garbage'),
      mediaType: fc.option(fc.constantFrom(...ODD_MEDIA_TYPES), { freq: 2 }),
      accept: fc.option(
        fc.constantFrom(
          'application/json',
          'application/edn',
          'application/transit+json',
          'application/transit+msgpack',
          'text/html',
          '*/*',
        ),
        { freq: 4 },
      ),
      // A name of an Object.prototype member as a query-string key and as a header name.
      query: fc.option(
        fc.constantFrom(...PROTOTYPE_NAMES).chain((name) => fc.constantFrom(...queryStringsWith(name))),
        { freq: 3 },
      ),
      headerName: fc.option(fc.constantFrom(...PROTOTYPE_NAMES), { freq: 3 }),
      stringKeys: fc.boolean(),
      seed: fc.nat(),
    });
    await fc.assert(
      fc.asyncProperty(
        request.chain((r) => bodyFor(doc, r.operation.schema).map((body) => ({ ...r, body }))),
        async (r) => {
          const method = r.method ?? r.operation.method;
          const declared = r.operation.mediaTypes[r.seed % Math.max(1, r.operation.mediaTypes.length)];
          const mediaType = r.mediaType ?? declared;
          const path = concretePath(r.operation.template, demo.path.slice(basePath.length), r.pathValue);
          const auth: Record<string, string> =
            r.auth === 'demo' ? { ...authHeaders } : r.auth === 'garbage' ? garbageAuth(authHeaders) : {};
          const headers = r.headerName ? headersWith(r.headerName, auth) : auth;
          if (r.accept) headers.accept = r.accept;
          const sendsBody = r.body.kind !== 'none' && method !== 'GET' && method !== 'HEAD' && method !== 'TRACE';
          if (sendsBody && mediaType) headers['content-type'] = mediaType;
          const payload = !sendsBody
            ? undefined
            : r.body.kind === 'raw'
              ? r.body.text
              : r.body.kind === 'value'
                ? encode(mediaType, r.body.value, r.stringKeys)
                : undefined;
          const url = `${r.mount}${basePath}${path}${r.query ? `?${r.query}` : ''}`;
          const options: InjectOptions & { url: string } = {
            method: method as InjectOptions['method'],
            url,
            headers,
            ...(payload === undefined ? {} : { payload }),
          };
          const res = await app().inject(options);
          const where = `${method} ${options.url} ${JSON.stringify(headers)} ${String(payload).slice(0, 200)} → ${res.statusCode} ${res.headers['content-type']} ${res.body.slice(0, 300)}`;
          expect(res.statusCode, where).toBeLessThan(500);
          expect(answerProblem(app(), vendor, r.operation, method, path, res), where).toBeNull();
        },
      ),
      fuzzParameters(RUNS_PER_VENDOR),
    );
  });

  it('leaves the process as it was: built-ins, health, a create per vendor, the journal', () =>
    expectUnchanged(app(), BUILT_INS_BEFORE));
});

/** The document's path with its parameters filled: the demo request's values, or a fuzzed one. */
function concretePath(template: string, demoPath: string, fuzzed: string | undefined): string {
  const demoSegments = demoPath.split('/');
  return template
    .split('/')
    .map((segment, i) => (segment.startsWith('{') ? (fuzzed ?? demoSegments[i] ?? 'x') : segment))
    .join('/');
}

function garbageAuth(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name, `${value.split(' ')[0]} x${value.length}`]),
  );
}

type Response = { statusCode: number; headers: Record<string, unknown>; body: string };

/**
 * Why an answer does not fit keyforge's document of the vendor, or null. A documented method
 * (HEAD as its GET) must answer a status its operation lists, with that status's body; another
 * method gets what the framework answers — 404 or 405, or 200 to OPTIONS — with an error body
 * the path's operations document for that status (or as `default`).
 */
function answerProblem(
  app: FastifyInstance,
  vendor: VendorName,
  operation: Operation,
  method: string,
  path: string,
  res: Response,
): string | null {
  const served = app.apiDocument(vendor, 'http://localhost') as unknown as Json;
  const item = (served.paths as Record<string, Record<string, Json>>)[operation.template]!;
  const asMethod = method === 'HEAD' && item.get && DESCRIPTIONS[vendor].headAsGet ? 'GET' : method;
  if (item[asMethod.toLowerCase()]) {
    // Listed by its own status: `default` documents statuses only an injected fault answers.
    if (!(String(res.statusCode) in item[asMethod.toLowerCase()]!.responses))
      return `${res.statusCode} is not listed for ${asMethod} ${operation.template}`;
    if (method === 'HEAD') return null;
    // Spring Boot's 406 to an Accept its error page cannot serve either has no body (its description says so).
    if (DESCRIPTIONS[vendor].bodiless406 && res.statusCode === 406 && res.body === '') return null;
    const check = checkAgainstServed(vendor, () => served, asMethod, path, res);
    if (!check.documented) return `${res.statusCode} is not listed for ${asMethod} ${operation.template}`;
    return check.errors.length === 0 ? null : check.errors.join('; ');
  }
  // Fastify has no 405 (a method without a route is a 404); the other frameworks answer 405.
  const framework = [DESCRIPTIONS[vendor].unroutedMethodStatus, ...(method === 'OPTIONS' ? [200] : [])];
  const listedForPath = Object.values(item).some((op) => statusListed(op, res.statusCode));
  if (!framework.includes(res.statusCode) && !listedForPath) return `${method} (not served) answered ${res.statusCode}`;
  if (res.body === '') return null; // reitit's 405, an OPTIONS answer, or any answer to HEAD
  // The body must be one the path's operations document for that status, or as `default`.
  const problems = Object.keys(item).map((op) => checkAgainstServed(vendor, () => served, op.toUpperCase(), path, res));
  if (problems.some((check) => check.documented && check.errors.length === 0)) return null;
  return `${method} (not served) answered ${res.statusCode} with a body no operation of the path documents: ${problems.flatMap((c) => c.errors).join('; ')}`;
}

function statusListed(operation: Json, status: number): boolean {
  return String(status) in (operation.responses as Record<string, unknown>);
}
