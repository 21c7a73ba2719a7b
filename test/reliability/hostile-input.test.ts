// Property tests that throw hostile requests at every vendor and admin endpoint: wrong types,
// missing and extra fields, huge strings, deep nesting, __proto__/constructor keys, invalid
// UTF-8, wrong and duplicate content types, malformed headers, bad path parameters; and the
// names of Object.prototype's members as body keys in every media type, query-string keys and
// header names, to every route. Every answer must be below 500 and either a valid success or an
// error in that vendor's own shape; afterwards the process must be as it was: the built-ins
// unchanged, health ok, a create per vendor, the journal readable. More than 10,000 requests.
import type { AddressInfo } from 'node:net';
import { encode as msgpack } from '@msgpack/msgpack';
import fc from 'fast-check';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { adminHeaders, buildTestApp, TEST_ADMIN_TOKEN, useTestApp } from '../helper.js';
import { basic } from '../../src/vendors/basic/index.js';
import { baseten } from '../../src/vendors/baseten/index.js';
import { bytebeam } from '../../src/vendors/bytebeam/index.js';
import { peaka } from '../../src/vendors/peaka/index.js';
import { imtegrate } from '../../src/vendors/imtegrate/index.js';
import { PROTOTYPE_NAMES, snapshotBuiltIns } from '../support/built-ins.js';
import { openSse } from '../support/sse.js';
import { bodiesWith, headersWith, queryStringsWith } from './prototype-keys.js';
import { expectUnchanged, ownerOfPath, shapeProblem, VENDOR_NAMES, type VendorName } from './support.js';
import { fuzzParameters, fuzzRuns } from '../support/fuzz.js';

/** The fuzz's size: the first property's runs (5,000 at full counts); the others run fixed shares of it. */
const FUZZ_RUNS = fuzzRuns(5_000);
const fuzz = (share: number) => fuzzParameters(Math.max(1, Math.round(FUZZ_RUNS * share)));

/** The built-ins as the process began (prototypes locked, test/lock-prototypes.ts). */
const BUILT_INS_BEFORE = snapshotBuiltIns();

type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';
type Owner = VendorName | 'admin';

/** A route keyforge serves, with the parameter kinds its path takes and the fields its body has. */
interface Endpoint {
  owner: Owner;
  method: Method;
  /** `:name` segments are filled by the generators. */
  path: string;
  /** A body that passes validation (with valid credentials, the call succeeds or is a clean 4xx). */
  body?: Record<string, unknown>;
}

const PROJECT = { basic: basic.demo.project!, peaka: peaka.demo.project! };

const ENDPOINTS: Endpoint[] = [
  { owner: 'basic', method: 'POST', path: '/project/:id/key', body: { label: 'ci', roles: 'read,write' } },
  { owner: 'basic', method: 'GET', path: '/project/:id/key' },
  { owner: 'basic', method: 'GET', path: '/project/:id/key/:key_id' },
  { owner: 'basic', method: 'DELETE', path: '/project/:id/key/:key_id' },
  { owner: 'basic', method: 'POST', path: '/project/:id/key/verify', body: { key: basic.demo.secret } },
  { owner: 'baseten', method: 'POST', path: '/v1/api_keys', body: { name: 'n', type: 'PERSONAL' } },
  { owner: 'baseten', method: 'GET', path: '/v1/api_keys' },
  { owner: 'baseten', method: 'DELETE', path: '/v1/api_keys/:api_key_prefix' },
  { owner: 'bytebeam', method: 'POST', path: '/api/v1/apikeys', body: { name: 'ci', role: 'admin' } },
  { owner: 'bytebeam', method: 'GET', path: '/api/v1/apikeys' },
  { owner: 'bytebeam', method: 'DELETE', path: '/api/v1/apikeys/:name' },
  {
    owner: 'peaka',
    method: 'POST',
    path: '/api/v1/projects/:projectId/apiKeys',
    body: { name: 'test', expiresAt: '2999-01-01T00:00:00Z' },
  },
  { owner: 'peaka', method: 'GET', path: '/api/v1/projects/:projectId/apiKeys' },
  { owner: 'peaka', method: 'DELETE', path: '/api/v1/projects/:projectId/apiKeys/:apiKeyId' },
  {
    owner: 'imtegrate',
    method: 'POST',
    path: '/v1/api-keys',
    body: { name: 'ci-key', scopes: ['api_keys:write'], env: 'test' },
  },
  { owner: 'imtegrate', method: 'GET', path: '/v1/api-keys' },
  { owner: 'imtegrate', method: 'POST', path: '/v1/api-keys/:id/revoke' },
  { owner: 'admin', method: 'GET', path: '/_keyforge/health' },
  { owner: 'admin', method: 'POST', path: '/_keyforge/tenants', body: { vendor: 'baseten', tenant: 'fuzz' } },
  { owner: 'admin', method: 'GET', path: '/_keyforge/keys' },
  {
    owner: 'admin',
    method: 'POST',
    path: '/_keyforge/keys/verify',
    body: { vendor: 'baseten', secret: baseten.demo.secret },
  },
  { owner: 'admin', method: 'GET', path: '/_keyforge/requests' },
  { owner: 'admin', method: 'GET', path: '/_keyforge/faults' },
  { owner: 'admin', method: 'PUT', path: '/_keyforge/faults', body: { vendor: 'peaka', status: 418, probability: 0 } },
  { owner: 'admin', method: 'DELETE', path: '/_keyforge/faults' },
  { owner: 'admin', method: 'POST', path: '/_keyforge/reset' },
];

/** Each owner's working credential headers (the demo tenants'; the admin token). */
const VALID_AUTH: Record<Owner, Record<string, string>> = {
  basic: { authorization: `Bearer ${basic.demo.secret}` },
  baseten: { authorization: `Api-Key ${baseten.demo.secret}` },
  bytebeam: { 'x-bytebeam-api-key': bytebeam.demo.secret, 'x-bytebeam-tenant': bytebeam.demo.tenant },
  peaka: { authorization: `Bearer ${peaka.demo.secret}` },
  imtegrate: { authorization: `Bearer ${imtegrate.demo.secret}` },
  admin: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
};

// ---- generators -------------------------------------------------------------------------

const huge = fc
  .integer({ min: 10_000, max: 300_000 })
  .chain((n) => fc.constantFrom('a', 'é', '😀', '\\', '"', '%').map((c) => c.repeat(n)));
const weird = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  '\t',
  '😀',
  '\uD800',
  'null',
  '__proto__',
  'constructor',
  'prototype',
  '../..',
  'a'.repeat(121),
  '<script>',
);

/** A path parameter: valid where we know one, random, encoded garbage, or very long. */
const pathParam = (valid: string) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constant(valid) },
    { weight: 3, arbitrary: fc.string({ maxLength: 40 }).map(encodeURIComponent) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }).map(encodeURIComponent) },
    { weight: 1, arbitrary: fc.uuid().map((u) => (Math.random() < 0.5 ? u : u.toUpperCase())) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        '%',
        '%ZZ',
        '%C0%AF',
        '%00',
        '%FF%FE',
        '..',
        '.',
        '%2e%2e',
        '%2F',
        'a%2Fb',
        ';x',
        '~',
        "'",
        '%22',
        '__proto__',
        'constructor',
        '%E2%82',
      ),
    },
    { weight: 1, arbitrary: fc.integer({ min: 101, max: 5000 }).map((n) => 'x'.repeat(n)) },
  );

const VALID_PARAM: Record<string, string> = {
  ':id': PROJECT.basic,
  ':key_id': '3f1c2a9e-8d4b-4c6a-9e1f-2b7d5c8a0e13',
  ':api_key_prefix': 'Zz9yX8wV',
  ':name': 'no-such-key',
  ':projectId': PROJECT.peaka,
  ':apiKeyId': '21fd1a8d-88d5-4295-b792-5b2113138057',
};

function pathOf(endpoint: Endpoint): fc.Arbitrary<string> {
  const names = endpoint.path.match(/:\w+/g) ?? [];
  // Imtegrate's revoke takes a UUID; elsewhere the demo project or a harmless unknown id.
  const valid = (name: string) =>
    endpoint.owner === 'imtegrate' ? '0f0e0d0c-0b0a-4908-8706-050403020100' : VALID_PARAM[name]!;
  const mount = endpoint.owner === 'admin' ? fc.constant('') : fc.constantFrom('', `/${endpoint.owner}`);
  const suffix = fc.oneof(
    { weight: 8, arbitrary: fc.constant('') },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '/',
        '//',
        '/extra',
        '?',
        '?a=1&a=2',
        '?__proto__[x]=1',
        '?vendor=nope&limit=-1',
        '?limit=99999999999999999999',
        '?vendor=baseten&tenant=%FF',
      ),
    },
  );
  return fc.tuple(mount, fc.tuple(...names.map((n) => pathParam(valid(n)))), suffix).map(([prefix, values, tail]) => {
    let path = endpoint.path;
    names.forEach((name, i) => (path = path.replace(name, values[i]!)));
    return `${prefix}${path}${tail}`;
  });
}

/** Authorization in every state: valid, wrong scheme, garbage, huge, repeated, missing. */
function authHeaders(owner: Owner): fc.Arbitrary<Record<string, string>> {
  const valid = VALID_AUTH[owner];
  const secret = Object.values(valid)[0]!.replace(/^\S+ /, '');
  const scheme = (s: string) =>
    fc.constantFrom('Bearer', 'bearer', 'Api-Key', 'Basic', 'Token', '', 'Bearer  ').map((sc) => `${sc} ${s}`);
  const otherVendor = fc.constantFrom(...Object.values(VALID_AUTH).map((h) => Object.values(h)[0]!));
  const garbage = fc.oneof(
    scheme(secret),
    otherVendor,
    fc.string({ maxLength: 80 }),
    fc.constant(`Bearer ${secret}, Bearer ${secret}`), // a repeated header as Node joins it
    fc.constant(`Bearer ${secret.slice(0, -1)}X`), // right lookup id, wrong secret
    fc.integer({ min: 1000, max: 8000 }).map((n) => `Bearer ${'A'.repeat(n)}`),
    weird.map((w) => `Bearer ${w}`),
  );
  if (owner === 'bytebeam') {
    const tenant = fc.oneof(
      fc.constant(bytebeam.demo.tenant),
      fc.string({ maxLength: 30 }),
      fc.constant(`${bytebeam.demo.tenant}, other`),
      fc.constant('demo-partner'),
    );
    const key = fc.oneof(
      fc.constant(bytebeam.demo.secret),
      fc.constant(bytebeam.demo.secret.toUpperCase()),
      fc.uuid(),
      fc.string({ maxLength: 40 }),
    );
    return fc.oneof(
      { weight: 5, arbitrary: fc.constant(valid) },
      {
        weight: 3,
        arbitrary: fc.record({ 'x-bytebeam-api-key': key, 'x-bytebeam-tenant': tenant }, { requiredKeys: [] }),
      },
      { weight: 1, arbitrary: garbage.map((authorization) => ({ authorization })) },
    );
  }
  return fc.oneof(
    { weight: 5, arbitrary: fc.constant(valid) },
    { weight: 3, arbitrary: garbage.map((authorization) => ({ authorization })) },
    { weight: 1, arbitrary: fc.constant({}) },
  );
}

const contentType = fc.oneof(
  { weight: 6, arbitrary: fc.constant('application/json') },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      undefined,
      '',
      'text/plain',
      'application/json; charset=utf-8',
      'application/json; charset=latin1',
      'application/json, application/json',
      'application/json, text/plain',
      'APPLICATION/JSON',
      'application/problem+json',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/octet-stream',
      'application/edn',
      'application/transit+json',
      'application/transit+msgpack',
      'application/edn; charset=utf-8',
      '*/*',
      'application/',
      '/json',
      'json',
      ';;;',
      'application/json; boundary="',
    ),
  },
);

const accept = fc.constantFrom(
  undefined,
  '*/*',
  'application/json',
  'application/edn',
  'application/transit+json',
  'application/transit+msgpack',
  'text/html',
  'application/edn;q=0, */*;q=0',
  'garbage;;q=x',
  '',
);

/** A JSON value that is the wrong kind for most fields, or a pathological one. */
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  weird,
  fc.constantFrom(null, true, false, 0, -1, 1e308, 1.5, [], {}, [null], ['a', 1], { __proto__: null }),
  fc.constantFrom(
    'PERSONAL',
    'WORKSPACE_INVOKE',
    'admin',
    'test',
    'live',
    '2999-01-01T00:00:00Z',
    '2000-01-01T00:00:00Z',
    'not-a-date',
    'api_keys:write',
    '*',
    'baseten',
    'peaka',
  ),
);

/** A JSON text nested `depth` levels. */
const deep = fc
  .tuple(fc.integer({ min: 100, max: 20_000 }), fc.boolean())
  .map(([depth, arrays]) =>
    arrays ? `{"name":${'['.repeat(depth)}1${']'.repeat(depth)}}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
  );

/** Bodies: the valid one mutated (fields dropped, added, wrong type, huge), raw text, bytes. */
function bodyOf(endpoint: Endpoint): fc.Arbitrary<string | Buffer | undefined> {
  const valid = endpoint.body ?? {};
  const fields = [...Object.keys(valid), 'name', 'extra'];
  const mutated = fc
    .tuple(
      fc.dictionary(fc.constantFrom(...fields), fc.oneof(anyValue, huge), { maxKeys: 3 }),
      fc.subarray(Object.keys(valid)),
      fc.dictionary(fc.string({ maxLength: 10 }), anyValue, { maxKeys: 3 }),
    )
    .map(([replaced, dropped, extra]) => {
      const body: Record<string, unknown> = { ...valid, ...extra, ...replaced };
      for (const field of dropped) delete body[field];
      return JSON.stringify(body);
    });
  const poisoned = fc.constantFrom(
    `{"__proto__":{"admin":true},${JSON.stringify(valid).slice(1)}`,
    `{"constructor":{"prototype":{"admin":true}},${JSON.stringify(valid).slice(1)}`,
    `{"__proto__":null}`,
    `[${JSON.stringify(valid)}]`,
  );
  const invalidUtf8 = fc
    .uint8Array({ minLength: 1, maxLength: 8 })
    .map((bytes) =>
      Buffer.concat([
        Buffer.from('{"name":"'),
        Buffer.from([0xc3, 0x28, 0xff, ...bytes]),
        Buffer.from('","label":"x","roles":"a","type":"PERSONAL","role":"admin"}'),
      ]),
    );
  const encoded = fc.oneof(
    fc.constantFrom(
      '{:name "ci" :role "admin"}',
      '{"name" "ci", "role" "admin"}',
      '{:name #uuid "x"}',
      '{:name',
      '#{1 1}',
      '["^ ","~:name","ci","~:role","admin"]',
      '["^ ","~:name"',
    ),
    fc.jsonValue({ maxDepth: 2 }).map((v) => Buffer.from(msgpack(v))),
  );
  return fc.oneof(
    { weight: 5, arbitrary: fc.constant(JSON.stringify(valid)) },
    { weight: 8, arbitrary: mutated },
    { weight: 1, arbitrary: fc.constant(undefined) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '',
        'null',
        '[]',
        '"x"',
        '1',
        'true',
        '{',
        '{"a":}',
        '{"a":1,}',
        'NaN',
        '{"name": NaN}',
        '\uFEFF{}',
        '{"name":"\\ud800"}',
      ),
    },
    { weight: 2, arbitrary: poisoned },
    { weight: 1, arbitrary: deep },
    { weight: 2, arbitrary: invalidUtf8 },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 100 }) },
    { weight: 1, arbitrary: encoded },
  );
}

/** Extra headers a client should not be able to hurt anything with. */
const extraHeaders = fc.dictionary(
  fc.constantFrom(
    'x-forwarded-for',
    'x-request-id',
    'cookie',
    'x-api-key',
    'transfer-encoding-x',
    'accept-charset',
    'if-none-match',
    'x-bytebeam-tenant',
  ),
  fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.integer({ min: 100, max: 4000 }).map((n) => 'h'.repeat(n)),
  ),
  { maxKeys: 2 },
);

interface Hostile {
  endpoint: Endpoint;
  options: InjectOptions & { url: string };
}

function hostileRequest(endpoint: Endpoint, methods: fc.Arbitrary<Method>): fc.Arbitrary<Hostile> {
  return fc
    .record({
      method: methods,
      url: pathOf(endpoint),
      auth: authHeaders(endpoint.owner),
      contentType,
      accept,
      extra: extraHeaders,
      body: bodyOf(endpoint),
    })
    .map(({ method, url, auth, contentType, accept, extra, body }) => {
      const headers: Record<string, string> = { ...extra, ...auth };
      if (contentType !== undefined) headers['content-type'] = contentType;
      if (accept !== undefined) headers.accept = accept;
      return { endpoint, options: { method, url, headers, ...(body === undefined ? {} : { payload: body }) } };
    });
}

/** Mostly the endpoint's own method, sometimes another one. */
const methodFor = (endpoint: Endpoint) =>
  fc.oneof(
    { weight: 9, arbitrary: fc.constant(endpoint.method) },
    { weight: 1, arbitrary: fc.constantFrom<Method>('GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS') },
  );

const anyEndpoint = fc.constantFrom(...ENDPOINTS).chain((endpoint) => hostileRequest(endpoint, methodFor(endpoint)));

// ---- checks -----------------------------------------------------------------------------

let sent = 0;

async function sendAndCheck(app: FastifyInstance, { options }: Hostile): Promise<void> {
  sent++;
  const res = await app.inject(options);
  const describe = () =>
    `${options.method} ${options.url.slice(0, 200)} ${JSON.stringify(options.headers).slice(0, 300)}`;
  if (options.method === 'HEAD') {
    expect(res.statusCode, describe()).toBeLessThan(500);
  } else {
    expect(shapeProblem(options.url, res), describe()).toBeNull();
  }
  // A fault that a fuzzed PUT managed to add would turn later answers into injected errors.
  if (res.statusCode === 201 && options.url.startsWith('/_keyforge/faults')) {
    await app.inject({ method: 'DELETE', url: '/_keyforge/faults', headers: adminHeaders });
  }
}

/** The process is as it was: built-ins unchanged, health ok, a create per vendor, the journal readable. */
const expectHealthy = (app: FastifyInstance) => expectUnchanged(app, BUILT_INS_BEFORE);

describe('hostile input', () => {
  // A short journal: GET /_keyforge/requests serializes all of it, and fuzzed bodies are large.
  const app = useTestApp({ journalSize: 100 });
  afterAll(() => {
    // The brief: at least 10,000 hostile requests in all (at full counts).
    expect(sent).toBeGreaterThanOrEqual(2 * FUZZ_RUNS);
  });

  it('never answers 5xx or out of shape on any endpoint, whatever the method, path, headers and body', async () => {
    await fc.assert(
      fc.asyncProperty(anyEndpoint, (request) => sendAndCheck(app(), request)),
      fuzz(1),
    );
    await expectHealthy(app());
  }, 60_000);

  it('never answers 5xx or out of shape to hostile bodies sent with valid credentials', async () => {
    const bodyEndpoints = ENDPOINTS.filter((e) => e.body !== undefined);
    const withValidAuth = fc
      .constantFrom(...bodyEndpoints)
      .chain((endpoint) => hostileRequest(endpoint, fc.constant(endpoint.method)))
      .map((h) => ({
        ...h,
        options: { ...h.options, headers: { ...h.options.headers, ...VALID_AUTH[h.endpoint.owner] } },
      }));
    await fc.assert(
      fc.asyncProperty(withValidAuth, (request) => sendAndCheck(app(), request)),
      fuzz(0.8),
    );
    await expectHealthy(app());
  }, 60_000);

  it('never answers 5xx or out of shape on the admin API, token or not', async () => {
    const adminEndpoints = fc
      .constantFrom(...ENDPOINTS.filter((e) => e.owner === 'admin'))
      .chain((endpoint) => hostileRequest(endpoint, methodFor(endpoint)));
    await fc.assert(
      fc.asyncProperty(adminEndpoints, (request) => sendAndCheck(app(), request)),
      fuzz(0.24),
    );
    await expectHealthy(app());
  }, 60_000);
});

describe('names of Object.prototype members wherever a client names things', () => {
  // Calls the fuzz above leaves out: revoke by id, and the live stream (an endless answer: over real HTTP below).
  const TARGETS: Endpoint[] = [...ENDPOINTS, { owner: 'admin', method: 'POST', path: '/_keyforge/keys/:id/revoke' }];
  const STREAM = '/_keyforge/requests/stream';
  const UNKNOWN_ID = '0f0e0d0c-0b0a-4908-8706-050403020100';
  /** The route's path with harmless values: the demo projects, unknown ids (Imtegrate's and the admin API's are UUIDs). */
  const urlOf = (endpoint: Endpoint) =>
    endpoint.path.replace(/:\w+/g, (name) =>
      endpoint.owner === 'imtegrate' || endpoint.owner === 'admin' ? UNKNOWN_ID : VALID_PARAM[name]!,
    );
  /** Bytebeam answers in four media types, and its transit writer is where a key once polluted the process. */
  const acceptsOf = (owner: Owner) =>
    owner === 'bytebeam'
      ? ['application/json', 'application/edn', 'application/transit+json', 'application/transit+msgpack']
      : ['application/json'];
  // A short journal: GET /_keyforge/requests serializes all of it.
  const app = useTestApp({ journalSize: 100 });
  const send = (endpoint: Endpoint, options: Omit<InjectOptions, 'url'> & { url?: string }) =>
    sendAndCheck(app(), { endpoint, options: { method: endpoint.method, url: urlOf(endpoint), ...options } });

  it('as body keys in every media type, with every answer type, to every vendor route and admin call', async () => {
    for (const endpoint of TARGETS) {
      for (const name of PROTOTYPE_NAMES) {
        for (const body of bodiesWith(name, endpoint.body ?? {}, endpoint.owner === 'bytebeam')) {
          for (const accept of acceptsOf(endpoint.owner)) {
            await send(endpoint, {
              headers: { ...VALID_AUTH[endpoint.owner], 'content-type': body.contentType, accept },
              payload: body.payload,
            });
          }
        }
      }
      if (endpoint.owner === 'bytebeam' && endpoint.method === 'POST') {
        // The journal shows such a body as it was sent, key and all (a reset further on empties it).
        const journal = await app().inject({ url: '/_keyforge/requests?vendor=bytebeam', headers: adminHeaders });
        expect(journal.json().requests.map((entry: { request: { body: string } }) => entry.request.body)).toContain(
          '{:name "ci" :role "admin" "__defineGetter__" {:admin true}}',
        );
      }
    }
    await expectHealthy(app());
  }, 60_000);

  it('as query-string keys and as header names, to every vendor route and admin call', async () => {
    for (const endpoint of TARGETS) {
      const body =
        endpoint.body === undefined
          ? {}
          : { headers: { 'content-type': 'application/json' }, payload: JSON.stringify(endpoint.body) };
      for (const name of PROTOTYPE_NAMES) {
        for (const query of queryStringsWith(name)) {
          await send(endpoint, {
            ...body,
            url: `${urlOf(endpoint)}?${query}`,
            headers: { ...body.headers, ...VALID_AUTH[endpoint.owner] },
          });
        }
        await send(endpoint, {
          ...body,
          headers: headersWith(name, { ...body.headers, ...VALID_AUTH[endpoint.owner] }),
        });
      }
    }
    await expectHealthy(app());
  }, 60_000);

  it('as header names and query-string keys over real HTTP, the live stream included', async () => {
    await app().listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app().server.address() as AddressInfo).port}`;
    for (const name of PROTOTYPE_NAMES) {
      for (const endpoint of TARGETS) {
        const url = `${base}${urlOf(endpoint)}?${queryStringsWith(name)[1]}`;
        const headers = new Headers([
          ...Object.entries(VALID_AUTH[endpoint.owner]),
          [name, 'x'],
          ['content-type', 'application/json'],
        ]);
        const response = await fetch(url, {
          method: endpoint.method,
          headers,
          ...(endpoint.body === undefined ? {} : { body: JSON.stringify(endpoint.body) }),
        });
        const raw = Buffer.from(await response.arrayBuffer());
        expect(
          shapeProblem(urlOf(endpoint), overHttp(endpoint.method, response, raw)),
          `${endpoint.method} ${url} with header ${name}`,
        ).toBeNull();
      }
      // The stream answers 200 and its first lines, then stays open: read those and hang up.
      const stream = await openSse(`${base}${STREAM}?${queryStringsWith(name)[0]}`, headersWith(name, adminHeaders));
      expect(stream.status, `stream with ${name}`).toBe(200);
      await stream.waitForComment('connected');
      stream.close();
      await stream.ended;
    }
    await expectHealthy(app());
  }, 60_000);
});

/** A real HTTP answer in the shape the shape checker reads. */
function overHttp(method: string, response: Response, raw: Buffer): LightMyRequestResponse {
  const headers = Object.fromEntries(response.headers.entries());
  return {
    statusCode: response.status,
    headers,
    body: raw.toString('utf8'),
    rawPayload: raw,
    raw: { req: { method } },
  } as unknown as LightMyRequestResponse;
}

describe('bodies over the limit', () => {
  /** A create request as the vendor's demo tenant, `size` bytes of body. */
  const oversized = (owner: Owner, size: number, url: string): InjectOptions & { url: string } => {
    const filler = 'x'.repeat(size);
    return {
      method: 'POST',
      url,
      headers: { ...VALID_AUTH[owner], 'content-type': 'application/json' },
      payload: `{"name":"${filler}"}`,
    };
  };
  const CREATE_URLS: Array<[Owner, string]> = [
    ['basic', `/project/${PROJECT.basic}/key`],
    ['baseten', '/v1/api_keys'],
    ['bytebeam', '/api/v1/apikeys'],
    ['peaka', `/api/v1/projects/${PROJECT.peaka}/apiKeys`],
    ['imtegrate', '/v1/api-keys'],
    ['admin', '/_keyforge/tenants'],
  ];

  describe('at the default limit of 1 MiB', () => {
    const app = useTestApp();
    it.each(CREATE_URLS)(
      '%s answers 413 in its own shape, at its real path and its /<vendor> mount',
      async (owner, url) => {
        const urls = owner === 'admin' ? [url] : [url, `/${owner}${url}`];
        for (const target of urls) {
          const res = await app().inject(oversized(owner, 1024 * 1024, target));
          expect(res.statusCode, res.body).toBe(413);
          expect(shapeProblem(target, res), res.body).toBeNull();
        }
        await expectHealthy(app());
      },
    );
  });

  describe('at a configured limit', () => {
    const LIMIT = 4096;
    let app: FastifyInstance;
    afterAll(async () => app?.close());

    it('every vendor accepts bodies up to bodyLimit and answers 413 in its own shape past it', async () => {
      app = await buildTestApp({ bodyLimit: LIMIT });
      const property = fc.asyncProperty(
        fc.constantFrom(...CREATE_URLS),
        fc.integer({ min: LIMIT - 200, max: LIMIT + 200 }),
        async ([owner, url], size) => {
          const options = oversized(owner, size, url);
          const length = Buffer.byteLength(options.payload as string);
          const res = await app.inject(options);
          expect(shapeProblem(url, res), res.body).toBeNull();
          if (length > LIMIT) expect(res.statusCode, res.body).toBe(413);
          else expect(res.statusCode, res.body).not.toBe(413);
        },
      );
      await fc.assert(property, fuzz(0.06));
      await expectHealthy(app);
    });
  });
});

describe('the shape checker itself', () => {
  const app = useTestApp();
  const refusal = (owner: Owner, url: string, accept = 'application/json') =>
    app().inject({
      method: 'GET',
      url,
      headers: {
        accept,
        ...(owner === 'bytebeam' ? { 'x-bytebeam-tenant': 'nobody' } : { authorization: 'Bearer nope' }),
      },
    });
  const URLS: Record<VendorName, string> = {
    basic: `/project/${PROJECT.basic}/key`,
    baseten: '/v1/api_keys',
    bytebeam: '/api/v1/apikeys',
    peaka: `/api/v1/projects/${PROJECT.peaka}/apiKeys`,
    imtegrate: '/v1/api-keys',
  };

  it('accepts each vendor’s own refusal, in every Bytebeam encoding, and refuses another vendor’s shape', async () => {
    for (const vendor of VENDOR_NAMES) {
      const own = await refusal(vendor, URLS[vendor]);
      expect(own.statusCode).toBe(401);
      expect(shapeProblem(URLS[vendor], own)).toBeNull();
      for (const other of VENDOR_NAMES.filter(
        (v) =>
          v !== vendor && !(v === 'baseten' && vendor === 'imtegrate') && !(v === 'imtegrate' && vendor === 'baseten'),
      )) {
        expect(shapeProblem(URLS[other], own), `${vendor}'s answer taken for ${other}'s`).not.toBeNull();
      }
    }
    for (const accept of ['application/edn', 'application/transit+json', 'application/transit+msgpack']) {
      const res = await refusal('bytebeam', URLS.bytebeam, accept);
      expect(res.headers['content-type']).toContain(accept);
      expect(shapeProblem(URLS.bytebeam, res)).toBeNull();
    }
  });
});

describe('findings of the fuzzing, pinned', () => {
  const app = useTestApp();
  const demo = { authorization: `Api-Key ${baseten.demo.secret}`, 'content-type': 'application/json' };

  // Fixed in src/frameworks/fastapi/requests.ts: a valid but very deep document used to come back as
  // Fastify's `{statusCode:422,…,"message":"Maximum call stack size exceeded"}`, because the 422
  // echoes the body as `input` and JSON.stringify overflowed on it.
  it.each([
    ['baseten', '/v1/api_keys', demo],
    [
      'imtegrate',
      '/v1/api-keys',
      { authorization: `Bearer ${imtegrate.demo.secret}`, 'content-type': 'application/json' },
    ],
  ])(
    '%s answers a JSON body nested past 1,000 levels like FastAPI answers a RecursionError',
    async (_vendor, url, headers) => {
      for (const payload of [
        `{"name":${'['.repeat(20_000)}${']'.repeat(20_000)}}`,
        `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`,
      ]) {
        const res = await app().inject({ method: 'POST', url, headers, payload });
        expect(res.statusCode).toBe(400);
        expect(res.body).toBe('{"detail":"There was an error parsing the body"}');
      }
      // Up to the cap it is an ordinary 422 that echoes the input.
      const res = await app().inject({
        method: 'POST',
        url,
        headers,
        payload: `{"name":${'['.repeat(999)}${']'.repeat(999)}}`,
      });
      expect(res.statusCode).toBe(422);
      expect(res.json().detail[0].loc).toEqual(['body', 'name']);
    },
  );

  // Found by the fuzzing (fixed in src/pipeline/unrouted.ts): paths Fastify refuses before
  // routing — an undecodable percent-escape, a path parameter over 100 characters — answered
  // Fastify's own `{error, code, message, statusCode}`. Now a 404 in the shape of the mount.
  it.each([
    ['/api/v1/projects/%E2%82/apiKeys', { authorization: `Bearer ${peaka.demo.secret}` }],
    [`/peaka/api/v1/projects/${'x'.repeat(101)}/apiKeys`, { authorization: `Bearer ${peaka.demo.secret}` }],
    // (GET /baseten/v1/api_keys/%ZZ is Starlette's 405: it keeps `%ZZ` as text, which matches the key path.)
    ['/baseten/v1/api_keys/%ZZ/x', demo],
  ])('answers a path it cannot route (%s) in the vendor’s shape', async (url, headers) => {
    const res = await app().inject({ method: 'GET', url, headers });
    expect(res.statusCode).toBe(404);
    expect(shapeProblem(url, res)).toBeNull();
    expect(res.json()).not.toHaveProperty('code');
  });

  // Found by the fuzzing (fixed in src/pipeline/unrouted.ts): an unknown path with a body the
  // stock JSON parser refuses (empty, malformed, `__proto__`) answered Fastify's own body,
  // because the not-found handlers had no error handler. The body of an unrouted call does
  // not matter: it is a 404. (Basic's is Fastify's own refusal of the body, which Fastify's 404
  // route reads: test/vendors/basic-unrouted.test.ts.)
  it.each([
    ['/bytebeam/api/v1/nope', '{"__proto__":{}}'],
    ['/peaka/api/v1/nope', '{'],
    ['/no/such/path', ''],
  ])('answers an unknown path %s with a refused body as a plain 404', async (url, payload) => {
    const res = await app().inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload });
    expect(res.statusCode).toBe(404);
    expect(res.json()).not.toHaveProperty('code');
    expect(shapeProblem(url, res)).toBeNull();
  });
});

// Only reached when a path template above names an owner the checker does not know.
for (const endpoint of ENDPOINTS) {
  if (ownerOfPath(endpoint.path) !== endpoint.owner)
    throw new Error(`ownerOfPath(${endpoint.path}) is not ${endpoint.owner}`);
}
