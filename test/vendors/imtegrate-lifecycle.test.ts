// Imtegrate key lifecycle (issue 6): GET /v1/api-keys and POST /v1/api-keys/{id}/revoke, last
// use, scopes and orgs. These calls are ours (docs/vendors/imtegrate.md), not in the vendor's
// document, so their bodies are asserted here exactly.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { adminHeaders, buildTestApp, useTestApp } from '../helper.js';
import { testTempDir } from '../support/test-run.js';

const DEMO = 'imt_test_kfdemo05_ImtegrateDemoToken00000000000000';
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

const create = (app: FastifyInstance, token: string, payload: object) =>
  app.inject({ method: 'POST', url: '/v1/api-keys', headers: bearer(token), payload });
const list = (app: FastifyInstance, token: string) =>
  app.inject({ method: 'GET', url: '/v1/api-keys', headers: bearer(token) });
const revoke = (app: FastifyInstance, token: string, id: string, prefix = '') =>
  app.inject({ method: 'POST', url: `${prefix}/v1/api-keys/${id}/revoke`, headers: bearer(token) });

async function issue(app: FastifyInstance, scopes: string[], from = DEMO) {
  const res = await create(app, from, { name: 'issued', scopes });
  expect(res.statusCode).toBe(201);
  const { token, ...key } = res.json();
  return { token: token as string, key };
}

describe('Imtegrate key lifecycle', () => {
  let now = new Date('2026-01-01T00:00:00.123Z');
  const at = (iso: string) => (now = new Date(iso));
  const app = useTestApp({}, { clock: () => now });

  it('creates, uses, lists without tokens, revokes, refuses the revoked key and lists it with revoked_at', async () => {
    const org = (await app().tenants.find('imtegrate', 'demo-org'))!.id;
    const demoKey = (await app().keys.list({ vendor: 'imtegrate', tenantId: org }))[0]!;

    at('2026-01-01T00:00:01.000Z');
    const worker = await create(app(), DEMO, { name: 'worker', scopes: ['api_keys:write'], env: 'live' });
    expect(worker.statusCode).toBe(201);
    const { id, prefix, token } = worker.json();

    at('2026-01-01T00:00:02.500Z');
    const child = await create(app(), token, { name: 'child' });
    expect(child.statusCode).toBe(201);

    at('2026-01-01T00:00:03.000Z');
    const listed = await list(app(), DEMO);
    expect(listed.statusCode).toBe(200);
    const view = (
      key: { id: string; prefix: string; name: string; scopes: string[] },
      lastUsed: string | null,
      created: string,
      revoked: string | null = null,
    ) => ({
      id: key.id,
      org_id: org,
      prefix: key.prefix,
      name: key.name,
      scopes: key.scopes,
      last_used_at: lastUsed,
      revoked_at: revoked,
      created_at: created,
    });
    const demoView = view(
      { ...demoKey, prefix: demoKey.lookupId, name: 'keyforge-root', scopes: ['*'] },
      '2026-01-01T00:00:03Z',
      '2026-01-01T00:00:00.123000Z',
    );
    const childView = view(child.json(), null, '2026-01-01T00:00:02.500000Z');
    const workerView = view(
      { id, prefix, name: 'worker', scopes: ['api_keys:write'] },
      '2026-01-01T00:00:02.500000Z',
      '2026-01-01T00:00:01Z',
    );
    expect(listed.body).toBe(JSON.stringify([demoView, workerView, childView]));
    expect(listed.body).not.toContain(token);

    at('2026-01-01T00:00:04.000Z');
    const revoked = await revoke(app(), DEMO, id);
    expect(revoked.statusCode).toBe(200);
    expect(revoked.body).toBe(JSON.stringify({ ...workerView, revoked_at: '2026-01-01T00:00:04Z' }));

    const refused = await create(app(), token, { name: 'too-late' });
    expect(refused.statusCode).toBe(401);
    expect(refused.body).toBe('{"detail":"Invalid token"}');

    at('2026-01-01T00:00:05.000Z');
    const after = (await list(app(), DEMO)).json();
    expect(after[1]).toEqual({ ...workerView, revoked_at: '2026-01-01T00:00:04Z' });

    // Revoking again is harmless and keeps the first revoked_at.
    expect((await revoke(app(), DEMO, id.toUpperCase(), '/imtegrate')).json().revoked_at).toBe('2026-01-01T00:00:04Z');

    const admin = await app().inject({
      method: 'GET',
      url: '/_keyforge/keys?vendor=imtegrate&tenant=demo-org',
      headers: adminHeaders,
    });
    expect(admin.json().keys.find((k: { id: string }) => k.id === id)).toMatchObject({
      state: 'revoked',
      revokedAt: '2026-01-01T00:00:04.000Z',
      lastUsedAt: '2026-01-01T00:00:02.500Z',
    });
  });

  it('writes last_used_at to the database in batches (flushUse)', async () => {
    at('2026-01-02T00:00:00.000Z');
    const { token, key } = await issue(app(), ['api_keys:read']);
    expect((await app().keys.get(key.id))!.lastUsedAt).toBeNull();
    at('2026-01-02T00:00:07.000Z');
    expect((await list(app(), token)).statusCode).toBe(200);
    await app().keys.flushUse();
    expect((await app().keys.get(key.id))!.lastUsedAt).toEqual(new Date('2026-01-02T00:00:07.000Z'));
  });

  it('lets a key revoke itself; its next call gets 401', async () => {
    const { token, key } = await issue(app(), ['api_keys:write']);
    const res = await revoke(app(), token, key.id);
    expect(res.statusCode).toBe(200);
    expect(res.json().revoked_at).not.toBeNull();
    expect((await list(app(), token)).statusCode).toBe(401);
  });
});

describe('Imtegrate last_used_at survives a graceful restart', () => {
  it('is flushed on close and listed after reopening the database', async () => {
    const dir = testTempDir('keyforge-imtegrate-');
    try {
      const first = await buildTestApp({ db: join(dir, 'keyforge.db') });
      const { token, key } = await issue(first, ['api_keys:read']);
      expect((await list(first, token)).statusCode).toBe(200);
      await first.close();

      const second = await buildTestApp({ db: join(dir, 'keyforge.db') });
      const listed = (await list(second, DEMO)).json() as Array<{ id: string; last_used_at: string | null }>;
      await second.close();
      expect(listed.find((k) => k.id === key.id)!.last_used_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?Z$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Imtegrate permissions by scope', () => {
  const app = useTestApp();

  // [scopes, create, list, revoke]: `*` and api_keys:write manage keys; api_keys:read may also list.
  it.each([
    [['*'], 201, 200, 200],
    [['api_keys:write'], 201, 200, 200],
    [['api_keys:read'], 403, 200, 403],
    [['api_keys:read', 'billing:read'], 403, 200, 403],
    [[], 403, 403, 403],
    [['api_keys'], 403, 403, 403],
    [['api_keys:*'], 403, 403, 403],
    [['API_KEYS:WRITE'], 403, 403, 403],
  ])('a key with scopes %j: create %i, list %i, revoke %i', async (scopes, createStatus, listStatus, revokeStatus) => {
    const { token } = await issue(app(), scopes);
    const { key: victim } = await issue(app(), []);
    const answers = [
      await create(app(), token, { name: 'by-scope' }),
      await list(app(), token),
      await revoke(app(), token, victim.id),
    ];
    expect(answers.map((r) => r.statusCode)).toEqual([createStatus, listStatus, revokeStatus]);
    for (const res of answers.filter((r) => r.statusCode === 403))
      expect(res.body).toBe('{"detail":"Insufficient scope"}');
  });
});

describe('Imtegrate orgs never see each other', () => {
  const app = useTestApp();

  async function newOrg(name: string) {
    const created = (
      await app().inject({
        method: 'POST',
        url: '/_keyforge/tenants',
        headers: adminHeaders,
        payload: { vendor: 'imtegrate', tenant: name },
      })
    ).json();
    const { method, path, headers, body } = created.request;
    const sent = await app().inject({ method, url: path, headers, payload: JSON.stringify(body) });
    expect(sent.statusCode).toBe(201);
    return {
      root: headers.Authorization.replace('Bearer ', '') as string,
      key: sent.json(),
      org: (await app().tenants.find('imtegrate', name))!.id,
    };
  }

  it('lists only the caller’s org and answers 404 for another org’s key exactly as for an unknown one', async () => {
    const a = await newOrg('org-a');
    const b = await newOrg('org-b');
    const listedByA = (await list(app(), a.root)).json() as Array<{ id: string; org_id: string }>;
    expect(listedByA.map((k) => k.org_id)).toEqual([a.org, a.org]);
    expect(listedByA.map((k) => k.id)).not.toContain(b.key.id);

    const basetenKey = (await app().keys.list({ vendor: 'baseten' }))[0]!.id;
    for (const id of [b.key.id, '00000000-0000-4000-8000-000000000000', basetenKey]) {
      const res = await revoke(app(), a.root, id);
      expect(res.statusCode).toBe(404);
      expect(res.body).toBe('{"detail":"Not Found"}');
    }
    expect((await create(app(), b.key.token, { name: 'still-works' })).statusCode).toBe(201);
    expect((await list(app(), DEMO)).body).not.toContain(a.key.id);
  });
});
