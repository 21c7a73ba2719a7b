import { describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { adminHeaders, useTestApp, vendorCall } from '../helper.js';

const DEMO_KEY = 'kfdemo01.BasetenDemoKey000000000000000000';
const KEY_SHAPE = /^[0-9A-Za-z]{8}\.[0-9A-Za-z]{32}$/;

const create = (app: FastifyInstance, key: string, payload: unknown, url = '/v1/api_keys') =>
  vendorCall(app, 'baseten', {
    method: 'POST',
    url,
    headers: { authorization: `Api-Key ${key}` },
    payload: payload as object,
  });

async function keyOfType(app: FastifyInstance, type: string, from = DEMO_KEY): Promise<string> {
  const res = await create(app, from, { name: `${type.toLowerCase()}-key`, type });
  expect(res.statusCode).toBe(200);
  return res.json().api_key;
}

describe('Baseten POST /v1/api_keys', () => {
  const app = useTestApp();

  it.each(['/v1/api_keys', '/baseten/v1/api_keys'])('creates a key at %s and answers 200 {api_key}', async (url) => {
    const res = await create(app(), DEMO_KEY, { name: 'my-api-key', type: 'PERSONAL' }, url);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(Object.keys(res.json())).toEqual(['api_key']);
    expect(res.json().api_key).toMatch(KEY_SHAPE);
  });

  it('accepts Authorization: Bearer as well as Api-Key', async () => {
    const res = await vendorCall(app(), 'baseten', {
      method: 'POST',
      url: '/v1/api_keys',
      headers: { authorization: `Bearer ${DEMO_KEY}` },
      payload: { type: 'WORKSPACE_INVOKE' },
    });
    expect(res.statusCode).toBe(200);
  });

  it('issues keys that authenticate the next call, which can issue another', async () => {
    const first = await keyOfType(app(), 'WORKSPACE_MANAGE_ALL');
    const second = await keyOfType(app(), 'PERSONAL', first);
    expect(second).not.toBe(first);
    expect((await create(app(), second, { type: 'PERSONAL' })).statusCode).toBe(200);
  });

  it('accepts model_ids for WORKSPACE_INVOKE and WORKSPACE_EXPORT_METRICS keys', async () => {
    for (const type of ['WORKSPACE_INVOKE', 'WORKSPACE_EXPORT_METRICS']) {
      const res = await create(app(), DEMO_KEY, { name: null, type, model_ids: ['aaaaaaaa'] });
      expect(res.statusCode).toBe(200);
    }
  });

  it('ignores fields it does not know, as pydantic does', async () => {
    expect((await create(app(), DEMO_KEY, { type: 'PERSONAL', colour: 'blue' })).statusCode).toBe(200);
  });

  it.each(['WORKSPACE_EXPORT_METRICS', 'WORKSPACE_INVOKE'])(
    'answers 403 when a %s key tries to create a key',
    async (type) => {
      const limited = await keyOfType(app(), type);
      const res = await create(app(), limited, { type: 'PERSONAL' });
      expect(res.statusCode).toBe(403);
      expect(res.json()).toEqual({ detail: 'You do not have permission to perform this action.' });
    },
  );

  it.each([
    ['no Authorization header', undefined, 'Authentication credentials were not provided.'],
    ['an unknown scheme', `Token ${DEMO_KEY}`, 'Authentication credentials were not provided.'],
    ['a scheme without a key', 'Api-Key', 'Authentication credentials were not provided.'],
    ['a garbled key', 'Api-Key not-a-key', 'Invalid API key.'],
    ['a well-formed unknown key', `Api-Key zzzzzzzz.${'0'.repeat(32)}`, 'Invalid API key.'],
    ['the right prefix with a wrong secret', `Api-Key kfdemo01.${'X'.repeat(32)}`, 'Invalid API key.'],
  ])('answers 401 to %s', async (_what, authorization, detail) => {
    const res = await vendorCall(app(), 'baseten', {
      method: 'POST',
      url: '/v1/api_keys',
      headers: authorization === undefined ? {} : { authorization },
      payload: { type: 'PERSONAL' },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ detail });
  });

  // FastAPI decodes a route's body before it solves dependencies, and validates it after them
  // (fastapi/routing.py, get_request_handler): the differential replay showed a malformed body
  // without a credential is 422, a well-formed but invalid one 401.
  it('decodes the body before authenticating and validates it after', async () => {
    const send = (payload: string) =>
      vendorCall(app(), 'baseten', {
        method: 'POST',
        url: '/v1/api_keys',
        headers: { 'content-type': 'application/json' },
        payload,
      });
    const malformed = await send('{not json');
    expect(malformed.statusCode).toBe(422);
    expect(malformed.json().detail[0].type).toBe('json_invalid');
    const invalid = await send('{}');
    expect(invalid.statusCode).toBe(401);
    expect(invalid.json()).toEqual({ detail: 'Authentication credentials were not provided.' });
  });

  it('answers unknown paths under /baseten with FastAPI 404', async () => {
    const res = await app().inject({ method: 'GET', url: '/baseten/v1/nothing' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ detail: 'Not Found' });
  });
});

describe('Baseten key lifecycle', () => {
  const app = useTestApp();

  async function tenant(name: string): Promise<string> {
    const res = await app().inject({
      method: 'POST',
      url: '/_keyforge/tenants',
      headers: adminHeaders,
      payload: { vendor: 'baseten', tenant: name },
    });
    return res.json().request.headers.Authorization.replace('Api-Key ', '');
  }
  const list = (key: string) =>
    app().inject({ method: 'GET', url: '/v1/api_keys', headers: { authorization: `Api-Key ${key}` } });
  const remove = (key: string, prefix: string) =>
    app().inject({ method: 'DELETE', url: `/v1/api_keys/${prefix}`, headers: { authorization: `Api-Key ${key}` } });

  it('creates, uses, lists without the secret, deletes, then refuses the deleted key', async () => {
    const root = await tenant('lifecycle');
    const key = await keyOfType(app(), 'WORKSPACE_MANAGE_ALL', root);
    const prefix = key.split('.')[0]!;
    expect((await create(app(), key, { type: 'WORKSPACE_INVOKE' })).statusCode).toBe(200);

    const listed = await list(root);
    expect(listed.statusCode).toBe(200);
    expect(listed.body).not.toContain(key.split('.')[1]);
    const entry = listed.json().keys.find((k: { prefix: string }) => k.prefix === prefix);
    expect(entry).toEqual({
      prefix,
      name: 'workspace_manage_all-key',
      type: 'WORKSPACE_MANAGE_ALL',
      model_ids: null,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      last_used_at: expect.any(String),
    });

    const deleted = await remove(root, prefix);
    expect(deleted.statusCode).toBe(200);
    expect(deleted.json()).toEqual({ prefix });
    expect((await create(app(), key, { type: 'PERSONAL' })).statusCode).toBe(401);
    await expect(list(root).then((r) => r.json().keys.map((k: { prefix: string }) => k.prefix))).resolves.not.toContain(
      prefix,
    );
  });

  it('lets a key delete itself; its next call gets 401', async () => {
    const key = await keyOfType(app(), 'PERSONAL', await tenant('self-delete'));
    expect((await remove(key, key.split('.')[0]!)).statusCode).toBe(200);
    const after = await list(key);
    expect(after.statusCode).toBe(401);
    expect(after.json()).toEqual({ detail: 'Invalid API key.' });
  });

  it.each([
    ['PERSONAL', 200],
    ['WORKSPACE_MANAGE_ALL', 200],
    ['WORKSPACE_EXPORT_METRICS', 403],
    ['WORKSPACE_INVOKE', 403],
  ])('permission matrix: a %s key lists, creates and deletes keys → %i', async (type, status) => {
    const root = await tenant(`matrix-${type.toLowerCase().replace(/_/g, '-')}`);
    const key = await keyOfType(app(), type, root);
    const victim = (await keyOfType(app(), 'WORKSPACE_INVOKE', root)).split('.')[0]!;
    expect((await list(key)).statusCode).toBe(status);
    expect((await create(app(), key, { type: 'WORKSPACE_INVOKE' })).statusCode).toBe(status);
    expect((await remove(key, victim)).statusCode).toBe(status);
  });

  it('never crosses workspaces: lists show only own keys, deleting another workspace’s key is 404', async () => {
    const a = await tenant('iso-a');
    const b = await tenant('iso-b');
    const bKey = (await keyOfType(app(), 'WORKSPACE_INVOKE', b)).split('.')[0]!;
    const aPrefixes = (await list(a)).json().keys.map((k: { prefix: string }) => k.prefix);
    expect(aPrefixes).not.toContain(bKey);
    const res = await remove(a, bKey);
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ detail: 'API key not found.' });
    expect((await remove(a, 'nope1234')).json()).toEqual(res.json());
    expect((await list(b)).json().keys.map((k: { prefix: string }) => k.prefix)).toContain(bKey);
  });
});
