// Imtegrate create: POST /v1/api-keys with a Bearer token (docs/vendors/imtegrate.md), and how the
// FastAPI service around it answers credentials, scopes, unknown paths and methods.
import { describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { adminHeaders, useTestApp, vendorCall } from '../helper.js';

const DEMO = 'imt_test_kfdemo05_ImtegrateDemoToken00000000000000';
const TOKEN = /^imt_(test|live)_[0-9A-Za-z]{8}_[0-9A-Za-z]{32}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const PYDANTIC_DATETIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?Z$/;
const FIELDS = ['id', 'org_id', 'prefix', 'name', 'scopes', 'last_used_at', 'revoked_at', 'created_at', 'token'];

const create = (app: FastifyInstance, token: string, payload: unknown, url = '/v1/api-keys') =>
  vendorCall(app, 'imtegrate', {
    method: 'POST',
    url,
    headers: { authorization: `Bearer ${token}` },
    payload: payload as object,
  });

async function keyWith(app: FastifyInstance, scopes: string[], env = 'test'): Promise<string> {
  const res = await create(app, DEMO, { name: 'scoped', scopes, env });
  expect(res.statusCode).toBe(201);
  return res.json().token;
}

describe('Imtegrate POST /v1/api-keys', () => {
  const app = useTestApp();

  it.each(['/v1/api-keys', '/imtegrate/v1/api-keys'])(
    'creates a key at %s and answers 201 with the nine fields in order',
    async (url) => {
      const res = await create(app(), DEMO, { name: 'ci-key', scopes: ['api_keys:write'], env: 'test' }, url);
      expect(res.statusCode).toBe(201);
      expect(res.headers['content-type']).toBe('application/json');
      const body = res.json();
      expect(Object.keys(body)).toEqual(FIELDS);
      expect(body).toEqual({
        id: expect.stringMatching(UUID),
        org_id: (await app().tenants.find('imtegrate', 'demo-org'))!.id,
        prefix: expect.stringMatching(/^imt_test_[0-9A-Za-z]{8}$/),
        name: 'ci-key',
        scopes: ['api_keys:write'],
        last_used_at: null,
        revoked_at: null,
        created_at: expect.stringMatching(PYDANTIC_DATETIME),
        token: expect.stringMatching(TOKEN),
      });
      expect(body.token.startsWith(`${body.prefix}_`)).toBe(true);
    },
  );

  it('defaults scopes to [] and env to test', async () => {
    const body = (await create(app(), DEMO, { name: 'defaults' })).json();
    expect(body).toMatchObject({
      scopes: [],
      prefix: expect.stringMatching(/^imt_test_/),
      token: expect.stringMatching(/^imt_test_/),
    });
  });

  it('issues imt_live_ tokens for env live, and they authenticate', async () => {
    const live = await keyWith(app(), ['*'], 'live');
    expect(live).toMatch(/^imt_live_[0-9A-Za-z]{8}_[0-9A-Za-z]{32}$/);
    expect((await create(app(), live, { name: 'from-live' })).statusCode).toBe(201);
  });

  it('counts name length in code points, as Python does: two emoji are enough and 120 are not too many', async () => {
    expect((await create(app(), DEMO, { name: '😀😀' })).statusCode).toBe(201);
    const res = await create(app(), DEMO, { name: '😀'.repeat(120) });
    expect(res.statusCode).toBe(201);
    expect(res.json().name).toBe('😀'.repeat(120));
  });

  it('ignores fields it does not know, as pydantic does', async () => {
    const res = await create(app(), DEMO, { name: 'extra', colour: 'blue' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).not.toHaveProperty('colour');
  });

  it('issues tokens that authenticate the next call, which can issue another', async () => {
    const first = await keyWith(app(), ['api_keys:write']);
    const second = await create(app(), first, { name: 'second' });
    expect(second.statusCode).toBe(201);
    expect(second.json().token).not.toBe(first);
  });

  it.each([
    ['no Authorization header', undefined, 'Not authenticated'],
    ['another scheme', 'Basic dXNlcjpwYXNz', 'Not authenticated'],
    ['Bearer without a token', 'Bearer', 'Not authenticated'],
    ['a garbled token', 'Bearer not-a-token', 'Invalid token'],
    ['an unknown well-formed token', 'Bearer imt_test_Unknown1_00000000000000000000000000000000', 'Invalid token'],
    [
      'the demo prefix with a wrong secret',
      'Bearer imt_test_kfdemo05_WrongSecret00000000000000000000',
      'Invalid token',
    ],
    ['a Baseten key', 'Bearer kfdemo01.BasetenDemoKey000000000000000000', 'Invalid token'],
  ])('answers 401 {"detail":…} with WWW-Authenticate: Bearer for %s', async (_what, authorization, detail) => {
    const res = await vendorCall(app(), 'imtegrate', {
      method: 'POST',
      url: '/v1/api-keys',
      headers: authorization === undefined ? {} : { authorization },
      payload: { name: 'ci-key' },
    });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.body).toBe(JSON.stringify({ detail }));
  });

  it('checks the credential before validating the body, as FastAPI runs dependencies first', async () => {
    const res = await vendorCall(app(), 'imtegrate', {
      method: 'POST',
      url: '/v1/api-keys',
      payload: { name: 'a', env: 'prod' },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ detail: 'Not authenticated' });
  });

  it('decodes the body before checking the credential: malformed JSON without one is 422 json_invalid', async () => {
    const res = await vendorCall(app(), 'imtegrate', {
      method: 'POST',
      url: '/v1/api-keys',
      headers: { 'content-type': 'application/json' },
      payload: '{"name":',
    });
    expect(res.statusCode).toBe(422);
    expect(res.body).toBe(
      '{"detail":[{"type":"json_invalid","loc":["body",8],"msg":"JSON decode error","input":{},"ctx":{"error":"Expecting value"}}]}',
    );
  });

  it('answers 403 {"detail":"Insufficient scope"} to a key without * or api_keys:write, even before the body is validated', async () => {
    const reader = await keyWith(app(), ['api_keys:read']);
    for (const payload of [{ name: 'ci-key' }, { name: 'a' }]) {
      const res = await create(app(), reader, payload);
      expect(res.statusCode).toBe(403);
      expect(res.body).toBe('{"detail":"Insufficient scope"}');
    }
  });

  it('answers 400 {"detail":…} when the body is not valid UTF-8, as Starlette does', async () => {
    const res = await vendorCall(app(), 'imtegrate', {
      method: 'POST',
      url: '/v1/api-keys',
      headers: { authorization: `Bearer ${DEMO}`, 'content-type': 'application/json' },
      payload: Buffer.from([0x7b, 0xff, 0x7d]),
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toBe('{"detail":"There was an error parsing the body"}');
  });

  it('creates a key with the request POST /_keyforge/tenants returns, sent as is', async () => {
    const tenant = (
      await app().inject({
        method: 'POST',
        url: '/_keyforge/tenants',
        headers: adminHeaders,
        payload: { vendor: 'imtegrate', tenant: 'acme' },
      })
    ).json();
    expect(tenant.request).toMatchObject({
      method: 'POST',
      path: '/v1/api-keys',
      body: { name: 'ci-key', scopes: ['api_keys:write'], env: 'test' },
    });
    const res = await vendorCall(app(), 'imtegrate', {
      method: tenant.request.method,
      url: tenant.request.path,
      headers: tenant.request.headers,
      payload: JSON.stringify(tenant.request.body),
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      org_id: (await app().tenants.find('imtegrate', 'acme'))!.id,
      name: 'ci-key',
      scopes: ['api_keys:write'],
    });
  });
});

describe('Imtegrate paths and methods, as Starlette routes them', () => {
  const app = useTestApp();

  it('answers 404 {"detail":"Not Found"} to an unknown path under /imtegrate', async () => {
    const res = await app().inject({ method: 'GET', url: '/imtegrate/v1/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.body).toBe('{"detail":"Not Found"}');
  });

  it.each([
    // Starlette hands the call to the path's first route (create), whose methods Allow names.
    ['DELETE', '/v1/api-keys', 'POST'],
    ['PUT', '/imtegrate/v1/api-keys', 'POST'],
    ['OPTIONS', '/v1/api-keys', 'POST'],
    ['HEAD', '/v1/api-keys', 'POST'],
    ['PROPFIND', '/v1/api-keys', 'POST'],
    ['GET', '/v1/api-keys/4b7bd3c8-8d1e-4a52-9b9e-2f1f6c1a0d11/revoke', 'POST'],
    ['DELETE', '/imtegrate/v1/api-keys/not-even-a-uuid/revoke', 'POST'],
  ])('answers %s %s with 405 and Allow: %s, before auth and before reading the body', async (method, url, allow) => {
    const res = await app().inject({
      method: method as 'GET',
      url,
      headers: { 'content-type': 'application/json' },
      payload: '{garbled',
    });
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe(allow);
    expect(res.body).toBe(method === 'HEAD' ? '' : '{"detail":"Method Not Allowed"}');
  });

  it('redirects a trailing slash with 307 to the path without it, keeping the query', async () => {
    const res = await app().inject({
      method: 'POST',
      url: '/imtegrate/v1/api-keys/?x=1',
      headers: { host: '127.0.0.1:4010' },
    });
    expect(res.statusCode).toBe(307);
    expect(res.headers.location).toBe('http://127.0.0.1:4010/imtegrate/v1/api-keys?x=1');
    expect(res.body).toBe('');
  });

  it.each([
    [503, '{"detail":"Service Unavailable"}'],
    [500, '{"detail":"Internal Server Error"}'],
    [429, '{"detail":"Too Many Requests"}'],
  ])('answers an injected %i fault as {"detail":…}', async (status, body) => {
    const fault = await app().inject({
      method: 'PUT',
      url: '/_keyforge/faults',
      headers: adminHeaders,
      payload: { vendor: 'imtegrate', status, count: 1 },
    });
    expect(fault.statusCode).toBe(201);
    const res = await app().inject({
      method: 'POST',
      url: '/v1/api-keys',
      headers: { authorization: `Bearer ${DEMO}` },
      payload: { name: 'ci-key' },
    });
    expect(res.statusCode).toBe(status);
    expect(res.body).toBe(body);
  });

  it('answers 413 {"detail":"Request Entity Too Large"} past the body limit', async () => {
    const res = await vendorCall(app(), 'imtegrate', {
      method: 'POST',
      url: '/v1/api-keys',
      headers: { authorization: `Bearer ${DEMO}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.body).toBe('{"detail":"Request Entity Too Large"}');
  });
});
