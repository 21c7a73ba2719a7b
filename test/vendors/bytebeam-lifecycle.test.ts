// Bytebeam key lifecycle (issue 6): list and delete by name, in every media type; admin vs
// other roles; isolation between tenants; the admin API's view of deleted keys.
import { beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { adminHeaders, useTestApp } from '../helper.js';
import {
  call,
  createKey,
  decodeBody,
  DEMO,
  JSON_TYPE,
  MEDIA_TYPES,
  newTenant,
  PATH,
  type Credential,
} from './bytebeam-support.js';

const list = (app: FastifyInstance, who: Credential | null, accept?: string, prefix = '') =>
  call(app, { url: `${prefix}${PATH}`, who, accept });
const remove = (app: FastifyInstance, who: Credential | null, name: string, accept?: string, prefix = '') =>
  call(app, { method: 'DELETE', url: `${prefix}${PATH}/${encodeURIComponent(name)}`, who, accept });
const create = (app: FastifyInstance, who: Credential | null, name: string, role = 'admin') =>
  call(app, { method: 'POST', who, contentType: JSON_TYPE, payload: JSON.stringify({ name, role }) });
const NOT_FOUND = '{"error":"Not Found"}';

describe('Bytebeam key lifecycle', () => {
  const app = useTestApp();

  it('creates, uses, lists without the secret, deletes by name, then refuses the key and lists it no more', async () => {
    const { credential: root } = await newTenant(app());
    const { credential: key } = await createKey(app(), root, 'lifecycle');
    expect((await create(app(), key, 'made-by-lifecycle', 'viewer')).statusCode).toBe(200);

    const listed = await list(app(), root);
    expect(listed.statusCode).toBe(200);
    expect(listed.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(listed.json()).toEqual([
      { role: 'admin', name: 'lifecycle', 'created-by': `admin@${root.tenant}` },
      { role: 'viewer', name: 'made-by-lifecycle', 'created-by': 'lifecycle' },
    ]);
    expect(listed.body).not.toContain(key.secret);
    expect(listed.body).not.toContain(key.secret.slice(0, 8));

    const deleted = await remove(app(), root, 'lifecycle');
    expect(deleted.statusCode).toBe(200);
    expect(deleted.json()).toEqual({ role: 'admin', name: 'lifecycle', 'created-by': `admin@${root.tenant}` });

    const refused = await list(app(), key);
    expect(refused.statusCode).toBe(401);
    expect(refused.body).toBe('{"error":"Unauthorized"}');
    expect((await list(app(), root)).json()).toEqual([
      { role: 'viewer', name: 'made-by-lifecycle', 'created-by': 'lifecycle' },
    ]);

    const again = await remove(app(), root, 'lifecycle');
    expect(again.statusCode).toBe(404);
    expect(again.body).toBe(NOT_FOUND);
    // The name is free again, for a new key with a new secret.
    const { credential: reborn } = await createKey(app(), root, 'lifecycle');
    expect(reborn.secret).not.toBe(key.secret);
  });

  it('lets a key delete itself, and refuses it from the next call on', async () => {
    const { credential: root } = await newTenant(app());
    const { credential: self } = await createKey(app(), root, 'self');
    expect((await remove(app(), self, 'self')).statusCode).toBe(200);
    expect((await list(app(), self)).statusCode).toBe(401);
    expect((await create(app(), self, 'after')).statusCode).toBe(401);
  });

  it('never lists the root credential, which has no name and so cannot be deleted here', async () => {
    const { credential: root } = await newTenant(app());
    expect((await list(app(), root)).json()).toEqual([]);
    expect((await list(app(), DEMO)).statusCode).toBe(200);
  });

  it('serves list and delete under /bytebeam, and deletes names that need URL encoding', async () => {
    const { credential: root } = await newTenant(app());
    for (const name of ['with space', 'a/b', 'ünï']) await createKey(app(), root, name);
    expect((await list(app(), root, undefined, '/bytebeam')).json().map((k: { name: string }) => k.name)).toEqual([
      'with space',
      'a/b',
      'ünï',
    ]);
    for (const name of ['with space', 'a/b', 'ünï'])
      expect((await remove(app(), root, name, undefined, '/bytebeam')).json().name).toBe(name);
    expect((await list(app(), root)).json()).toEqual([]);
  });

  it.each(MEDIA_TYPES)('lists and deletes in %s', async (type) => {
    const { credential: root } = await newTenant(app());
    await createKey(app(), root, 'one', 'admin', type);
    await createKey(app(), root, 'two', 'viewer', type);
    const creator = `admin@${root.tenant}`;

    const listed = await list(app(), root, type);
    expect(listed.statusCode).toBe(200);
    expect(listed.headers['content-type']).toBe(`${type}; charset=utf-8`);
    expect(decodeBody(type, listed.rawPayload)).toEqual([
      { role: 'admin', name: 'one', 'created-by': creator },
      { role: 'viewer', name: 'two', 'created-by': creator },
    ]);

    const deleted = await remove(app(), root, 'two', type);
    expect(deleted.statusCode).toBe(200);
    expect(deleted.headers['content-type']).toBe(`${type}; charset=utf-8`);
    expect(decodeBody(type, deleted.rawPayload)).toEqual({ role: 'viewer', name: 'two', 'created-by': creator });

    const missing = await remove(app(), root, 'two', type);
    expect(missing.statusCode).toBe(404);
    expect(decodeBody(type, missing.rawPayload)).toEqual({ error: 'Not Found' });
    expect(decodeBody(type, (await list(app(), root, type)).rawPayload)).toEqual([
      { role: 'admin', name: 'one', 'created-by': creator },
    ]);
  });

  it('shows a deleted key to GET /_keyforge/keys as revoked, without its secret', async () => {
    const { credential: root } = await newTenant(app(), 'audited');
    const { credential: key } = await createKey(app(), root, 'audited-key');
    await remove(app(), root, 'audited-key');
    const res = await app().inject({
      method: 'GET',
      url: '/_keyforge/keys?vendor=bytebeam&tenant=audited',
      headers: adminHeaders,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().keys).toContainEqual(
      expect.objectContaining({
        name: 'audited-key',
        kind: 'admin',
        prefix: key.secret.slice(0, 8),
        state: 'revoked',
        revokedAt: expect.any(String),
      }),
    );
    expect(res.body).not.toContain(key.secret);
  });
});

describe('Bytebeam permission matrix', () => {
  const app = useTestApp();
  const who: Record<string, Credential | null> = {};
  let mine: Credential;

  beforeAll(async () => {
    mine = (await newTenant(app(), 'matrix-mine')).credential;
    who.root = mine;
    who.otherTenantRoot = (await newTenant(app(), 'matrix-theirs')).credential;
    who.adminKey = (await createKey(app(), mine, 'matrix-admin')).credential;
    who.viewerKey = (await createKey(app(), mine, 'matrix-viewer', 'viewer')).credential;
    who.capitalAdmin = (await createKey(app(), mine, 'matrix-Admin', 'Admin')).credential;
    const gone = (await createKey(app(), mine, 'matrix-gone')).credential;
    await remove(app(), mine, 'matrix-gone');
    who.deletedKey = gone;
    who.none = null;
  });

  // credential → status of create (in its own tenant), list, and delete of a key of `mine` by name.
  const MATRIX: Array<[string, number, number, number]> = [
    ['root', 200, 200, 200],
    ['adminKey', 200, 200, 200],
    ['otherTenantRoot', 200, 200, 404],
    ['viewerKey', 403, 403, 403],
    ['capitalAdmin', 403, 403, 403],
    ['deletedKey', 401, 401, 401],
    ['none', 401, 401, 401],
  ];
  const ERRORS: Record<number, string> = {
    401: '{"error":"Unauthorized"}',
    403: '{"error":"Forbidden"}',
    404: NOT_FOUND,
  };
  const cases = MATRIX.flatMap(([name, ...statuses]) =>
    (['create', 'list', 'delete'] as const).map((op, i) => [name, op, statuses[i]!] as const),
  );
  let serial = 0;

  it.each(cases)('%s: %s answers %i', async (name, op, status) => {
    const target = `target-${++serial}`;
    await createKey(app(), mine, target, 'viewer');
    const credential = who[name]!;
    const res =
      op === 'create'
        ? await create(app(), credential, `new-${serial}`)
        : op === 'list'
          ? await list(app(), credential)
          : await remove(app(), credential, target);
    expect(res.statusCode, res.body).toBe(status);
    if (status >= 400) expect(res.body).toBe(ERRORS[status]);
    if (op === 'list' && status === 200) expect(res.body.includes(target)).toBe(credential?.tenant === mine.tenant);
  });
});

describe('Bytebeam isolation between tenants', () => {
  const app = useTestApp();

  it("never shows or touches another tenant's keys, and answers as if they did not exist", async () => {
    const a = (await newTenant(app(), 'iso-a')).credential;
    const b = (await newTenant(app(), 'iso-b')).credential;
    const { credential: aKey } = await createKey(app(), a, 'a-key');
    const { credential: aShared } = await createKey(app(), a, 'shared');
    await createKey(app(), b, 'shared', 'viewer');

    const bList = await list(app(), b);
    expect(bList.json()).toEqual([{ role: 'viewer', name: 'shared', 'created-by': 'admin@iso-b' }]);
    expect(bList.body).not.toContain('a-key');

    const bDeletesA = await remove(app(), b, 'a-key');
    const bDeletesNothing = await remove(app(), b, 'no-such-key');
    expect(bDeletesA.statusCode).toBe(404);
    expect(bDeletesA.body).toBe(bDeletesNothing.body);
    expect(bDeletesA.body).toBe(NOT_FOUND);

    // b deleting its own "shared" leaves a's key of that name working.
    expect((await remove(app(), b, 'shared')).statusCode).toBe(200);
    expect((await list(app(), aShared)).statusCode).toBe(200);
    expect((await list(app(), aKey)).json().map((k: { name: string }) => k.name)).toEqual(['a-key', 'shared']);
    // a's key used with b's tenant name is unknown there: 401, not 403 or 404.
    expect((await list(app(), { ...aKey, tenant: b.tenant })).statusCode).toBe(401);
  });
});
