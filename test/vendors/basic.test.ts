// Basic's create call, POST /project/:id/key: success with both credential kinds on both mounts,
// Fastify-style validation and parsing errors, and every way auth can fail. Every answer is
// checked against openapi/basic.yaml by vendorCall.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { basic } from '../../src/vendors/basic/index.js';
import { baseten } from '../../src/vendors/baseten/index.js';
import { adminHeaders, useTestApp, vendorCall } from '../helper.js';

const DEMO_KEY = basic.demo.secret;
const DEMO_PROJECT = basic.demo.project!;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const KEY_VALUE = /^bsk_[0-9A-Za-z]{40}$/;
const CREATED_AT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

describe('Basic POST /project/:id/key', () => {
  const app = useTestApp();

  const create = (headers: Record<string, string>, payload: unknown, project = DEMO_PROJECT, prefix = '') =>
    vendorCall(app(), 'basic', {
      method: 'POST',
      url: `${prefix}/project/${project}/key`,
      headers,
      payload: JSON.stringify(payload),
    });

  const json = (token: string) => ({ ...bearer(token), 'content-type': 'application/json' });

  async function newAccount(tenant: string) {
    const res = await app().inject({
      method: 'POST',
      url: '/_keyforge/tenants',
      headers: adminHeaders,
      payload: { vendor: 'basic', tenant },
    });
    expect(res.statusCode).toBe(201);
    return res.json() as {
      tenant: string;
      project: string;
      request: { method: 'POST'; path: string; headers: Record<string, string>; body: unknown };
    };
  }

  describe('success', () => {
    it('creates a key with the demo admin API key: 200 {key:{id,label,roles,value,created_at}}', async () => {
      const res = await create(json(DEMO_KEY), { label: 'ci', roles: 'read,write' });
      expect(res.statusCode).toBe(200);
      const { key } = res.json();
      expect(Object.keys(key)).toEqual(['id', 'label', 'roles', 'value', 'created_at']);
      expect(key).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        label: 'ci',
        roles: 'read,write',
        value: expect.stringMatching(KEY_VALUE),
        created_at: expect.stringMatching(CREATED_AT),
      });
    });

    it('answers the same under the /basic mount', async () => {
      const res = await create(json(DEMO_KEY), { label: 'mounted', roles: 'read' }, DEMO_PROJECT, '/basic');
      expect(res.statusCode).toBe(200);
      expect(res.json().key).toMatchObject({
        label: 'mounted',
        roles: 'read',
        value: expect.stringMatching(KEY_VALUE),
      });
    });

    it('creates a key with the user JWT from the admin API, sending its request exactly as returned', async () => {
      const account = await newAccount('jwt-account');
      expect(account.request).toMatchObject({
        method: 'POST',
        path: `/project/${account.project}/key`,
        body: { label: 'ci', roles: 'read,write' },
      });
      expect(account.request.headers).toEqual({
        Authorization: expect.stringMatching(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/),
        'Content-Type': 'application/json',
      });
      const res = await vendorCall(app(), 'basic', {
        method: account.request.method,
        url: account.request.path,
        headers: account.request.headers,
        payload: JSON.stringify(account.request.body),
      });
      expect(res.statusCode).toBe(200);
      expect(res.json().key).toMatchObject({
        label: 'ci',
        roles: 'read,write',
        value: expect.stringMatching(KEY_VALUE),
      });
    });

    it('accepts the user JWT under the /basic mount too', async () => {
      const account = await newAccount('jwt-mounted');
      const res = await create(account.request.headers, { label: 'x', roles: 'admin' }, account.project, '/basic');
      expect(res.statusCode).toBe(200);
    });

    it('lets the issued key authenticate the next call', async () => {
      const { key } = (await create(json(DEMO_KEY), { label: 'child', roles: 'admin,read' })).json();
      const res = await create(json(key.value), { label: 'grandchild', roles: 'read' });
      expect(res.statusCode).toBe(200);
      expect(res.json().key.value).not.toBe(key.value);
    });

    it('lists the demo tenant with a ready request on the demo project', () => {
      const demo = app().keyforge.demo.find((d) => d.vendor === 'basic');
      expect(demo).toMatchObject({
        tenant: 'demo-account',
        project: DEMO_PROJECT,
        request: { path: `/project/${DEMO_PROJECT}/key`, headers: { Authorization: `Bearer ${DEMO_KEY}` } },
      });
    });
  });

  describe('validation (Fastify + Ajv wording, first error only)', () => {
    it.each([
      [{}, "body must have required property 'label'"],
      [{ roles: 'read' }, "body must have required property 'label'"],
      [{ label: 'ci' }, "body must have required property 'roles'"],
      [{ label: {} }, "body must have required property 'roles'"],
      [{ label: {}, roles: 'read' }, 'body/label must be string'],
      [{ label: [[1]], roles: 'read' }, 'body/label must be string'],
      [{ label: 'ci', roles: ['read', 'write'] }, 'body/roles must be string'],
      [{ label: 'ci', roles: { read: true } }, 'body/roles must be string'],
      [[], 'body must be object'],
      [null, 'body must be object'],
      ['label=ci', 'body must be object'],
      [42, 'body must be object'],
    ])('answers 400 for %j: %s', async (payload, message) => {
      const res = await create(json(DEMO_KEY), payload);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ error: 'Bad Request', message });
    });

    it.each([
      [
        { label: 7, roles: true },
        { label: '7', roles: 'true' },
      ],
      [
        { label: ['ci'], roles: null },
        { label: 'ci', roles: '' },
      ],
      [
        { label: 'ci', roles: 'read', extra: 1 },
        { label: 'ci', roles: 'read' },
      ],
    ])('coerces scalars to strings and ignores extra fields as Fastify does: %j', async (payload, expected) => {
      const res = await create(json(DEMO_KEY), payload);
      expect(res.statusCode).toBe(200);
      expect(res.json().key).toMatchObject(expected);
      expect(res.json().key).not.toHaveProperty('extra');
    });
  });

  describe('body parsing', () => {
    const raw = (headers: Record<string, string>, payload?: string) =>
      vendorCall(app(), 'basic', {
        method: 'POST',
        url: `/project/${DEMO_PROJECT}/key`,
        headers: { ...bearer(DEMO_KEY), ...headers },
        ...(payload === undefined ? {} : { payload }),
      });

    it.each([
      ['malformed JSON', '{"label": "ci",', "Body is not valid JSON but content-type is set to 'application/json'"],
      [
        'a __proto__ key',
        '{"__proto__": {"x": 1}, "label": "ci", "roles": "r"}',
        "Body is not valid JSON but content-type is set to 'application/json'",
      ],
      // Stock Fastify's onConstructorPoisoning is 'error' too (FST_ERR_CTP_INVALID_JSON_BODY).
      [
        'a constructor.prototype',
        '{"label":"ci","roles":"read","constructor":{"prototype":{}}}',
        "Body is not valid JSON but content-type is set to 'application/json'",
      ],
      ['an empty body', '', "Body cannot be empty when content-type is set to 'application/json'"],
    ])('answers 400 {error,message} to %s', async (_what, payload, message) => {
      const res = await raw({ 'content-type': 'application/json' }, payload);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ error: 'Bad Request', message });
    });

    it('answers 400 body must be object when there is no body at all', async () => {
      const res = await raw({});
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ error: 'Bad Request', message: 'body must be object' });
    });

    it.each(['application/xml', 'application/x-www-form-urlencoded', 'application/vnd.api+json'])(
      'answers 415 to Content-Type %s',
      async (type) => {
        const res = await raw({ 'content-type': type }, '{"label":"ci","roles":"read"}');
        expect(res.statusCode).toBe(415);
        expect(res.json()).toEqual({ error: 'Unsupported Media Type', message: 'Unsupported Media Type' });
      },
    );

    it('reads text/plain as a string, which then is not an object (400)', async () => {
      const res = await raw({ 'content-type': 'text/plain' }, '{"label":"ci","roles":"read"}');
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ error: 'Bad Request', message: 'body must be object' });
    });

    it('answers 413 {error,message} to a body over the limit', async () => {
      const res = await raw(
        { 'content-type': 'application/json' },
        JSON.stringify({ label: 'x'.repeat(1_100_000), roles: 'read' }),
      );
      expect(res.statusCode).toBe(413);
      expect(res.json()).toEqual({ error: 'Payload Too Large', message: 'Request body is too large' });
    });

    it('accepts application/json with a charset', async () => {
      const res = await raw({ 'content-type': 'application/json; charset=utf-8' }, '{"label":"ci","roles":"read"}');
      expect(res.statusCode).toBe(200);
    });
  });

  describe('authentication and reach', () => {
    const unauthorized = (message: string) => ({ error: 'Unauthorized', message });
    const MISSING = unauthorized('Missing Bearer token in Authorization header');
    const INVALID = unauthorized('Invalid or expired token');

    it.each([
      ['no Authorization header', {}, MISSING],
      ['another scheme', { authorization: `Basic ${DEMO_KEY}` }, MISSING],
      ['Bearer without a token', { authorization: 'Bearer' }, MISSING],
      ['a garbled token', bearer('not-a-key'), INVALID],
      ['an unknown well-formed API key', bearer(`bsk_${'Z'.repeat(40)}`), INVALID],
      ['the demo key with one character changed', bearer(`${DEMO_KEY.slice(0, -1)}1`), INVALID],
      ['a Baseten key', { authorization: `Bearer ${baseten.demo.secret}` }, INVALID],
      ['a JWT-shaped string', bearer('aaa.bbb.ccc'), INVALID],
    ])('answers 401 to %s', async (_what, headers, body) => {
      const res = await create({ ...headers, 'content-type': 'application/json' }, { label: 'ci', roles: 'read' });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual(body);
    });

    it('checks the credential before the body (401, not 400)', async () => {
      const res = await create({ 'content-type': 'application/json' }, {});
      expect(res.statusCode).toBe(401);
    });

    it('answers 403 when an API key without the admin role creates a key', async () => {
      const { key } = (await create(json(DEMO_KEY), { label: 'reader', roles: 'read, write,administrator' })).json();
      const res = await create(json(key.value), { label: 'ci', roles: 'read' });
      expect(res.statusCode).toBe(403);
      expect(res.json()).toEqual({
        error: 'Forbidden',
        message: "API key lacks the 'admin' role required to manage keys",
      });
    });

    it.each([
      ['an unknown project', () => randomUUID()],
      ['a project of another account', async () => (await newAccount('other-account')).project],
    ])('answers 404 Project not found for %s', async (_what, project) => {
      const res = await create(json(DEMO_KEY), { label: 'ci', roles: 'read' }, await project());
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ error: 'Not Found', message: 'Project not found' });
    });

    it('answers 404 to a user JWT on another account project', async () => {
      const account = await newAccount('jwt-other');
      const res = await create(account.request.headers, { label: 'ci', roles: 'read' }, DEMO_PROJECT);
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ error: 'Not Found', message: 'Project not found' });
    });

    it('answers 404 to an API key on another project of its own account', async () => {
      const demoTenant = (await app().tenants.find('basic', 'demo-account'))!;
      const second = randomUUID();
      await basic.ensureRootCredential(app().keyforge.services, demoTenant, `bsk_kfsecond${'0'.repeat(32)}`, second);
      const res = await create(json(DEMO_KEY), { label: 'ci', roles: 'read' }, second);
      expect(res.statusCode).toBe(404);
      const jwtRes = await create(
        json((await newAccount('demo-account')).request.headers.Authorization!.slice(7)),
        { label: 'ci', roles: 'read' },
        second,
      );
      expect(jwtRes.statusCode).toBe(200); // the account's user reaches every project it owns
    });
  });

  it('answers unknown paths under /basic with Fastify-style 404 {error,message}', async () => {
    const res = await app().inject({ method: 'GET', url: '/basic/projects' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: 'Not Found', message: 'Route GET:/basic/projects not found' });
  });
});
