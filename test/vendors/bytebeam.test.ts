// Bytebeam create in JSON: POST /api/v1/apikeys with x-bytebeam-api-key + x-bytebeam-tenant
// (docs/vendors/bytebeam.md). Other media types: bytebeam-encodings; list and delete: bytebeam-lifecycle.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { useTestApp } from '../helper.js';
import {
  call,
  coercionJson,
  createKey,
  DEMO,
  JSON_TYPE,
  newTenant,
  PATH,
  UUID_V4,
  type Credential,
} from './bytebeam-support.js';
import { fuzzParameters, fuzzRuns } from '../support/fuzz.js';

const post = (app: FastifyInstance, payload: string, who: Credential | null = DEMO, url = PATH) =>
  call(app, { method: 'POST', url, who, contentType: JSON_TYPE, payload });
const json = (body: unknown) => JSON.stringify(body);

describe('Bytebeam create API key (JSON)', () => {
  const app = useTestApp();

  describe('success', () => {
    it('answers 200 {role, name, key, created-by} in that order, the key a UUID v4, as application/json; charset=utf-8', async () => {
      const res = await post(app(), json({ name: 'ci', role: 'admin' }));
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      const body = res.json();
      expect(Object.keys(body)).toEqual(['role', 'name', 'key', 'created-by']);
      expect(body).toEqual({
        role: 'admin',
        name: 'ci',
        key: expect.stringMatching(UUID_V4),
        'created-by': 'admin@demo-tenant',
      });
    });

    it("lets a created admin key create keys itself, named as their creator, and answers 403 to a non-admin key's call", async () => {
      const { credential: admin } = await createKey(app(), DEMO, 'second-admin');
      const child = await post(app(), json({ role: 'viewer', name: 'child' }), admin);
      expect(child.statusCode).toBe(200);
      expect(child.json()).toMatchObject({ role: 'viewer', name: 'child', 'created-by': 'second-admin' });

      const viewer = { tenant: DEMO.tenant, secret: child.json().key as string };
      const refused = await post(app(), json({ role: 'admin', name: 'escalate' }), viewer);
      expect(refused.statusCode).toBe(403);
      expect(refused.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(refused.body).toBe('{"error":"Forbidden"}');
      // The role is checked before the body is read: a non-admin learns nothing about validation.
      expect((await post(app(), '{oops', viewer)).statusCode).toBe(403);
    });

    it('serves the same call under /bytebeam', async () => {
      const res = await post(app(), json({ name: 'mounted', role: 'admin' }), DEMO, `/bytebeam${PATH}`);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ name: 'mounted', key: expect.stringMatching(UUID_V4) });
    });

    it("sends the admin API's request as is and gets a key named by the tenant's user", async () => {
      const { request } = await newTenant(app(), 'as-is');
      const injected = await app().inject({
        method: request.method,
        url: request.path,
        headers: request.headers,
        payload: JSON.stringify(request.body),
      });
      expect(injected.statusCode).toBe(200);
      expect(injected.json()).toMatchObject({ role: 'admin', name: 'ci', 'created-by': 'admin@as-is' });
    });

    it('accepts application/json with a charset and a key header in upper case (a UUID in either case)', async () => {
      const res = await call(app(), {
        method: 'POST',
        who: { ...DEMO, secret: DEMO.secret.toUpperCase() },
        contentType: 'application/json; charset=utf-8',
        payload: json({ name: 'upper', role: 'admin' }),
      });
      expect(res.statusCode).toBe(200);
    });
  });

  describe('body validation answers 400 in reitit coercion style', () => {
    it('answers exactly the body docs/vendors/bytebeam.md shows for a missing name and an extra key', async () => {
      const res = await post(app(), json({ role: 'admin', extra: 1 }));
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.body).toBe(
        '{"type":"reitit.coercion/request-coercion","coercion":"malli","in":["request","body-params"],"humanized":{"name":["missing required key"],"extra":["disallowed key"]}}',
      );
    });

    it.each([
      ['name is missing', { role: 'admin' }, { name: ['missing required key'] }],
      ['role is missing', { name: 'x' }, { role: ['missing required key'] }],
      [
        'both are missing (schema order: role, name)',
        {},
        { role: ['missing required key'], name: ['missing required key'] },
      ],
      ['name is a number', { name: 1, role: 'admin' }, { name: ['should be a string'] }],
      ['role is a boolean', { name: 'x', role: true }, { role: ['should be a string'] }],
      ['role is null', { name: 'x', role: null }, { role: ['should be a string'] }],
      ['name is an array', { name: ['x'], role: 'admin' }, { name: ['should be a string'] }],
      ['there is an extra property', { name: 'x', role: 'admin', extra: 'y' }, { extra: ['disallowed key'] }],
      [
        'there is a __proto__ property',
        JSON.parse('{"name":"x","role":"admin","__proto__":{}}'),
        JSON.parse('{"__proto__":["disallowed key"]}'),
      ],
      ['the body is an array', [{ name: 'x', role: 'admin' }], ['invalid type']],
      ['the body is null', null, ['invalid type']],
      ['the body is a string', 'x', ['invalid type']],
    ])('when %s', async (_what, body, humanized) => {
      const res = await post(app(), json(body));
      expect(res.statusCode).toBe(400);
      expect(res.body).toBe(json(coercionJson(humanized)));
    });

    it('answers a call without any body as a missing map', async () => {
      const res = await call(app(), { method: 'POST' });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual(coercionJson(['invalid type']));
    });
  });

  describe('unreadable bodies', () => {
    it.each([
      ['malformed JSON', '{"name":', undefined],
      ['invalid UTF-8', Buffer.from([0x22, 0xff, 0x22]), undefined],
      ['malformed JSON from a client that accepts EDN', '{', 'application/edn'],
    ])('answers %s 400 text/plain naming application/json', async (_what, payload, accept) => {
      const res = await call(app(), { method: 'POST', contentType: JSON_TYPE, accept, payload });
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(res.body).toBe('Malformed "application/json" request.');
    });

    it('leaves a body of another Content-Type undecoded, as muuntaja does: coercion refuses the missing body', async () => {
      const res = await call(app(), {
        method: 'POST',
        contentType: 'text/plain',
        payload: '{"name":"x","role":"admin"}',
      });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({
        type: 'reitit.coercion/request-coercion',
        coercion: 'malli',
        in: ['request', 'body-params'],
        humanized: ['invalid type'],
      });
    });
  });

  describe('authentication (401 {"error":"Unauthorized"}, before the body is read)', () => {
    const UNKNOWN = '1bde4a11-5eed-4c0d-9e00-00000000b17e';
    it.each<[string, Record<string, string | string[]>]>([
      ['no headers', {}],
      ['only the key', { 'x-bytebeam-api-key': DEMO.secret }],
      ['only the tenant', { 'x-bytebeam-tenant': DEMO.tenant }],
      ['an empty key', { 'x-bytebeam-api-key': '', 'x-bytebeam-tenant': DEMO.tenant }],
      ['a garbled key', { 'x-bytebeam-api-key': 'not-a-uuid', 'x-bytebeam-tenant': DEMO.tenant }],
      ['an unknown well-formed key', { 'x-bytebeam-api-key': UNKNOWN, 'x-bytebeam-tenant': DEMO.tenant }],
      [
        'a known lookup id with the wrong rest',
        {
          'x-bytebeam-api-key': `${DEMO.secret.slice(0, 9)}0000-4000-8000-000000000000`,
          'x-bytebeam-tenant': DEMO.tenant,
        },
      ],
      ['the demo key with another tenant', { 'x-bytebeam-api-key': DEMO.secret, 'x-bytebeam-tenant': 'as-is' }],
      [
        'the demo key with its tenant in another case',
        { 'x-bytebeam-api-key': DEMO.secret, 'x-bytebeam-tenant': 'Demo-Tenant' },
      ],
      ['the key header twice', { 'x-bytebeam-api-key': [DEMO.secret, DEMO.secret], 'x-bytebeam-tenant': DEMO.tenant }],
    ])('refuses %s', async (_what, headers) => {
      const res = await app().inject({
        method: 'POST',
        url: PATH,
        headers: { ...headers, 'content-type': JSON_TYPE },
        payload: '{oops',
      });
      expect(res.statusCode).toBe(401);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.body).toBe('{"error":"Unauthorized"}');
    });

    it("refuses a key of one tenant sent with another tenant's name, both ways", async () => {
      const a = (await newTenant(app(), 'auth-a')).credential;
      const b = (await newTenant(app(), 'auth-b')).credential;
      for (const who of [
        { ...a, tenant: b.tenant },
        { ...b, tenant: a.tenant },
      ]) {
        const res = await post(app(), json({ name: 'cross', role: 'admin' }), who);
        expect(res.statusCode).toBe(401);
        expect(res.json()).toEqual({ error: 'Unauthorized' });
      }
    });
  });

  describe('names', () => {
    it('answers 400 {"error": …} to a second key of the same name, which other tenants may still use', async () => {
      await createKey(app(), DEMO, 'taken');
      const again = await post(app(), json({ name: 'taken', role: 'viewer' }));
      expect(again.statusCode).toBe(400);
      expect(again.json()).toEqual({ error: 'API key "taken" already exists' });
      const other = (await newTenant(app())).credential;
      expect((await post(app(), json({ name: 'taken', role: 'admin' }), other)).statusCode).toBe(200);
    });

    it('lets exactly one of two concurrent creates of one name succeed', async () => {
      const payload = json({ name: 'race', role: 'admin' });
      const statuses = (await Promise.all([post(app(), payload), post(app(), payload)])).map((res) => res.statusCode);
      expect(statuses.sort()).toEqual([200, 400]);
    });

    it('answers 404 {"error":"Not Found"} to unknown paths under /bytebeam', async () => {
      const res = await app().inject({ method: 'GET', url: '/bytebeam/api/v1/nope' });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ error: 'Not Found' });
    });
  });

  it('never answers 500, whatever JSON or text arrives', async () => {
    const body = fc.oneof(
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.record({ name: fc.jsonValue(), role: fc.jsonValue() }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
      fc.string(),
    );
    await fc.assert(
      fc.asyncProperty(body, async (payload) => {
        const res = await post(app(), payload);
        expect([200, 400], `${payload} → ${res.statusCode} ${res.body}`).toContain(res.statusCode);
      }),
      fuzzParameters(fuzzRuns(150)),
    );
  });
});
