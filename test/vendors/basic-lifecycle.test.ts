// Basic key lifecycle: list, get, delete and verify, who may call them, and isolation between
// accounts. These calls are not in openapi/basic.yaml, so bodies are asserted exactly here.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { basic } from '../../src/vendors/basic/index.js';
import { adminHeaders, useTestApp } from '../helper.js';

type Method = 'GET' | 'POST' | 'DELETE';
interface CreatedKey {
  id: string;
  label: string;
  roles: string;
  value: string;
  created_at: string;
}

const NOT_FOUND_PROJECT = { error: 'Not Found', message: 'Project not found' };
const NOT_FOUND_KEY = { error: 'Not Found', message: 'Key not found' };
const UNAUTHORIZED = { error: 'Unauthorized', message: 'Invalid or expired token' };
const FORBIDDEN = { error: 'Forbidden', message: "API key lacks the 'admin' role required to manage keys" };

describe('Basic key lifecycle', () => {
  const app = useTestApp();

  const call = (method: Method, url: string, token: string, payload?: unknown) =>
    app().inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });

  async function account(tenant: string) {
    const created = (
      await app().inject({
        method: 'POST',
        url: '/_keyforge/tenants',
        headers: adminHeaders,
        payload: { vendor: 'basic', tenant },
      })
    ).json();
    return {
      project: created.project as string,
      jwt: (created.request.headers.Authorization as string).slice('Bearer '.length),
    };
  }

  async function createKey(project: string, token: string, label: string, roles: string): Promise<CreatedKey> {
    const res = await call('POST', `/project/${project}/key`, token, { label, roles });
    expect(res.statusCode).toBe(200);
    return res.json().key;
  }

  const withoutValue = ({ value: _value, ...rest }: CreatedKey) => rest;

  it('create → use → get and list without value → delete the key in use → use (401) → list (gone)', async () => {
    const { project, jwt } = await account('life');
    const admin = await createKey(project, jwt, 'deployer', 'admin');
    const child = await createKey(project, admin.value, 'child', 'read');

    const got = await call('GET', `/project/${project}/key/${admin.id}`, admin.value);
    expect(got.statusCode).toBe(200);
    expect(got.json()).toEqual({ key: withoutValue(admin) });

    const listed = await call('GET', `/project/${project}/key`, jwt);
    expect(listed.statusCode).toBe(200);
    expect(listed.json()).toEqual({ keys: [withoutValue(admin), withoutValue(child)] });
    expect(listed.body).not.toContain(admin.value);
    expect(listed.body).not.toContain(child.value);

    const deleted = await call('DELETE', `/project/${project}/key/${admin.id}`, admin.value);
    expect(deleted.statusCode).toBe(200);
    expect(deleted.json()).toEqual({ key: withoutValue(admin) });

    const after = await call('GET', `/project/${project}/key`, admin.value);
    expect(after.statusCode).toBe(401);
    expect(after.json()).toEqual(UNAUTHORIZED);
    expect((await call('GET', `/project/${project}/key`, jwt)).json()).toEqual({ keys: [withoutValue(child)] });
    expect((await call('DELETE', `/project/${project}/key/${admin.id}`, jwt)).json()).toEqual(NOT_FOUND_KEY);
  });

  it('serves the lifecycle calls under the /basic mount too', async () => {
    const { project, jwt } = await account('mounted-life');
    const key = await createKey(project, jwt, 'm', 'read');
    expect((await call('GET', `/basic/project/${project}/key/${key.id}`, jwt)).json()).toEqual({
      key: withoutValue(key),
    });
    expect((await call('GET', `/basic/project/${project}/key`, jwt)).json()).toEqual({ keys: [withoutValue(key)] });
    expect((await call('POST', `/basic/project/${project}/key/verify`, jwt, { key: key.value })).json()).toEqual({
      is_valid: true,
      key: withoutValue(key),
    });
    expect((await call('DELETE', `/basic/project/${project}/key/${key.id}`, jwt)).statusCode).toBe(200);
  });

  it('answers 404 Key not found for an unknown key id, and for a key of another project', async () => {
    const { project, jwt } = await account('keys-404');
    const demoKey = (
      await app().inject({
        method: 'GET',
        url: `/project/${basic.demo.project}/key`,
        headers: { authorization: `Bearer ${basic.demo.secret}` },
      })
    ).json().keys[0];
    for (const id of [randomUUID(), 'verify', demoKey.id]) {
      for (const method of ['GET', 'DELETE'] as const) {
        const res = await call(method, `/project/${project}/key/${id}`, jwt);
        expect(res.statusCode).toBe(404);
        expect(res.json()).toEqual(NOT_FOUND_KEY);
      }
    }
  });

  it('records the last use of an API key for the admin API', async () => {
    const { project, jwt } = await account('last-use');
    const key = await createKey(project, jwt, 'used', 'admin');
    await call('GET', `/project/${project}/key`, key.value);
    const { keys } = (
      await app().inject({ method: 'GET', url: '/_keyforge/keys?vendor=basic&tenant=last-use', headers: adminHeaders })
    ).json();
    expect(keys).toEqual([
      expect.objectContaining({ prefix: key.value.slice(4, 12), kind: 'admin', lastUsedAt: expect.any(String) }),
    ]);
  });

  describe('POST /project/:id/key/verify', () => {
    let project: string;
    let jwt: string;
    let key: CreatedKey;
    let reader: CreatedKey;
    beforeAll(async () => {
      ({ project, jwt } = await account('verifier'));
      key = await createKey(project, jwt, 'checked', 'read,write');
      reader = await createKey(project, jwt, 'reader', 'read');
    });
    const verify = (payload: unknown, token = jwt) => call('POST', `/project/${project}/key/verify`, token, payload);

    it('answers {is_valid:true, key} without the value for a live key of the project', async () => {
      const res = await verify({ key: key.value });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ is_valid: true, key: withoutValue(key) });
    });

    it('checks key_id when given', async () => {
      expect((await verify({ key: key.value, key_id: key.id })).json()).toEqual({
        is_valid: true,
        key: withoutValue(key),
      });
      expect((await verify({ key: key.value, key_id: reader.id })).json()).toEqual({ is_valid: false, key: null });
    });

    it.each([
      ['garbage', 'nope'],
      ['an unknown well-formed key', `bsk_${'Q'.repeat(40)}`],
      ['a key of another account', basic.demo.secret],
    ])('answers {is_valid:false, key:null} for %s', async (_what, value) => {
      const res = await verify({ key: value });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ is_valid: false, key: null });
    });

    it('answers is_valid false once the key is deleted', async () => {
      const doomed = await createKey(project, jwt, 'doomed', 'read');
      expect((await verify({ key: doomed.value })).json().is_valid).toBe(true);
      await call('DELETE', `/project/${project}/key/${doomed.id}`, jwt);
      expect((await verify({ key: doomed.value })).json()).toEqual({ is_valid: false, key: null });
    });

    it('may be called by any key of the project, admin role or not', async () => {
      expect((await verify({ key: key.value }, reader.value)).json()).toEqual({
        is_valid: true,
        key: withoutValue(key),
      });
    });

    it.each([
      [{}, "body must have required property 'key'"],
      [{ key: { v: 1 } }, 'body/key must be string'],
      [{ key: 'x', key_id: ['a', 'b'] }, 'body/key_id must be string'],
      [[], 'body must be object'],
    ])('answers 400 for %j: %s', async (payload, message) => {
      const res = await verify(payload);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ error: 'Bad Request', message });
    });
  });
});

describe('Basic permissions and isolation', () => {
  const app = useTestApp();
  const fixtures = {} as Record<
    'project' | 'other' | 'jwt' | 'otherJwt' | 'admin' | 'reader' | 'sibling' | 'target',
    string
  >;

  const call = (method: Method, url: string, token: string | null, payload?: object) =>
    app().inject({
      method,
      url,
      headers: token === null ? {} : { authorization: `Bearer ${token}` },
      ...(payload ? { payload } : {}),
    });

  async function account(tenant: string) {
    const created = (
      await app().inject({
        method: 'POST',
        url: '/_keyforge/tenants',
        headers: adminHeaders,
        payload: { vendor: 'basic', tenant },
      })
    ).json();
    return { project: created.project as string, jwt: (created.request.headers.Authorization as string).slice(7) };
  }
  const issue = async (project: string, token: string, roles: string) =>
    (await call('POST', `/project/${project}/key`, token, { label: roles, roles })).json().key as {
      id: string;
      value: string;
    };

  beforeAll(async () => {
    const a = await account('alpha');
    const b = await account('beta');
    const admin = await issue(a.project, a.jwt, 'read,admin');
    const tenant = (await app().tenants.find('basic', 'alpha'))!;
    const siblingProject = randomUUID();
    const sibling = `bsk_kfsibl01${'S'.repeat(32)}`;
    await basic.ensureRootCredential(app().keyforge.services, tenant, sibling, siblingProject);
    Object.assign(fixtures, {
      project: a.project,
      other: b.project,
      jwt: a.jwt,
      otherJwt: b.jwt,
      admin: admin.value,
      sibling,
      reader: (await issue(a.project, a.jwt, 'read,write')).value,
      target: (await issue(a.project, a.jwt, 'target')).id,
    });
  });

  type Caller = keyof typeof fixtures | null;
  const operations: Array<[string, Method, (f: typeof fixtures) => string, object?]> = [
    ['create', 'POST', (f) => `/project/${f.project}/key`, { label: 'm', roles: 'read' }],
    ['list', 'GET', (f) => `/project/${f.project}/key`],
    ['get', 'GET', (f) => `/project/${f.project}/key/${f.target}`],
    ['verify', 'POST', (f) => `/project/${f.project}/key/verify`, { key: `bsk_${'0'.repeat(40)}` }],
  ];
  const matrix: Array<[string, Caller, Record<string, number>]> = [
    ['the account user (JWT)', 'jwt', { create: 200, list: 200, get: 200, verify: 200 }],
    ['an admin API key of the project', 'admin', { create: 200, list: 200, get: 200, verify: 200 }],
    ['an API key without admin', 'reader', { create: 403, list: 403, get: 403, verify: 200 }],
    ['an admin key of another project of the account', 'sibling', { create: 404, list: 404, get: 404, verify: 404 }],
    ["another account's user (JWT)", 'otherJwt', { create: 404, list: 404, get: 404, verify: 404 }],
    ['nobody', null, { create: 401, list: 401, get: 401, verify: 401 }],
  ];
  const cases = matrix.flatMap(([who, caller, expected]) =>
    operations.map(([op, method, url, body]) => [who, op, caller, method, url, body, expected[op]!] as const),
  );

  it.each(cases)('%s → %s answers %s', async (_who, _op, caller, method, url, body, status) => {
    const res = await call(method, url(fixtures), caller === null ? null : fixtures[caller], body);
    expect(res.statusCode).toBe(status);
    if (status === 403) expect(res.json()).toEqual(FORBIDDEN);
    if (status === 404) expect(res.json()).toEqual(NOT_FOUND_PROJECT);
  });

  it('lets a non-admin key delete nothing, and another account delete nothing (403 / 404)', async () => {
    expect(
      (await call('DELETE', `/project/${fixtures.project}/key/${fixtures.target}`, fixtures.reader)).json(),
    ).toEqual(FORBIDDEN);
    expect(
      (await call('DELETE', `/project/${fixtures.project}/key/${fixtures.target}`, fixtures.otherJwt)).json(),
    ).toEqual(NOT_FOUND_PROJECT);
    expect(
      (await call('DELETE', `/project/${fixtures.other}/key/${fixtures.target}`, fixtures.otherJwt)).json(),
    ).toEqual(NOT_FOUND_KEY);
    expect((await call('GET', `/project/${fixtures.project}/key/${fixtures.target}`, fixtures.jwt)).statusCode).toBe(
      200,
    );
  });

  it("never lists another account's keys", async () => {
    const mine = (await call('GET', `/project/${fixtures.project}/key`, fixtures.jwt)).json().keys as Array<{
      id: string;
    }>;
    const theirs = (await call('GET', `/project/${fixtures.other}/key`, fixtures.otherJwt)).json().keys as Array<{
      id: string;
    }>;
    expect(mine.map((k) => k.id)).toContain(fixtures.target);
    expect(theirs).toEqual([]);
    const beta = await issue(fixtures.other, fixtures.otherJwt, 'b');
    expect(
      (await call('GET', `/project/${fixtures.other}/key`, fixtures.otherJwt))
        .json()
        .keys.map((k: { id: string }) => k.id),
    ).toEqual([beta.id]);
    expect((await call('GET', `/project/${fixtures.project}/key`, fixtures.jwt)).body).not.toContain(beta.id);
  });
});
