import { describe, expect, it } from 'vitest';
import { adminHeaders, useTestApp, vendorCall } from '../helper.js';

describe('admin API', () => {
  const app = useTestApp();

  it('answers health without a token', async () => {
    const res = await app().inject({ method: 'GET', url: '/_keyforge/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'ok',
      version: expect.any(String),
      vendors: expect.arrayContaining(['baseten']),
    });
  });

  it.each([
    ['no token', {}],
    ['a wrong token', { authorization: 'Bearer wrong-token-000000' }],
    ['another scheme', { authorization: 'Basic dGVzdDp0ZXN0' }],
  ])('refuses %s with 401 {error,message}', async (_what, headers) => {
    const res = await app().inject({ method: 'GET', url: '/_keyforge/keys', headers });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ error: 'Unauthorized', message: expect.any(String) });
  });

  it('creates a tenant and returns the exact request that creates a key as it', async () => {
    const res = await app().inject({
      method: 'POST',
      url: '/_keyforge/tenants',
      headers: adminHeaders,
      payload: { vendor: 'baseten', tenant: 'acme' },
    });
    expect(res.statusCode).toBe(201);
    const created = res.json();
    expect(created).toMatchObject({
      vendor: 'baseten',
      tenant: 'acme',
      request: { method: 'POST', path: '/v1/api_keys' },
    });
    expect(created.request.url).toBe('http://localhost:80/v1/api_keys');

    const sent = await vendorCall(app(), 'baseten', {
      method: created.request.method,
      url: created.request.path,
      headers: created.request.headers,
      payload: JSON.stringify(created.request.body),
    });
    expect(sent.statusCode).toBe(200);
    expect(sent.json().api_key).toMatch(/^[0-9A-Za-z]{8}\.[0-9A-Za-z]{32}$/);
  });

  it('generates a tenant name when none is given, and issues a new root credential each time', async () => {
    const first = (
      await app().inject({
        method: 'POST',
        url: '/_keyforge/tenants',
        headers: adminHeaders,
        payload: { vendor: 'baseten' },
      })
    ).json();
    expect(first.tenant).toMatch(/^tenant-[0-9a-z]{8}$/);
    const again = (
      await app().inject({
        method: 'POST',
        url: '/_keyforge/tenants',
        headers: adminHeaders,
        payload: { vendor: 'baseten', tenant: first.tenant },
      })
    ).json();
    expect(again.request.headers.Authorization).not.toBe(first.request.headers.Authorization);
  });

  it.each([[{ vendor: 'nope' }], [{ vendor: 'baseten', tenant: 'has spaces' }], [{}]])(
    'answers 400 {error,message} to a bad tenant body %j',
    async (payload) => {
      const res = await app().inject({ method: 'POST', url: '/_keyforge/tenants', headers: adminHeaders, payload });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ error: 'Bad Request', message: expect.stringContaining('body.') });
    },
  );

  it('lists keys without secrets, filtered by vendor and tenant', async () => {
    const created = (
      await app().inject({
        method: 'POST',
        url: '/_keyforge/tenants',
        headers: adminHeaders,
        payload: { vendor: 'baseten', tenant: 'listing' },
      })
    ).json();
    const secret = created.request.headers.Authorization.replace('Api-Key ', '');
    const res = await app().inject({
      method: 'GET',
      url: '/_keyforge/keys?vendor=baseten&tenant=listing',
      headers: adminHeaders,
    });
    expect(res.statusCode).toBe(200);
    const { keys } = res.json();
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({
      vendor: 'baseten',
      tenant: 'listing',
      kind: 'PERSONAL',
      prefix: secret.split('.')[0],
      state: 'active',
      revokedAt: null,
    });
    expect(res.body).not.toContain(secret);
    expect(res.body).not.toContain('argon2');
  });

  it('verifies a secret by introspection', async () => {
    const created = (
      await app().inject({
        method: 'POST',
        url: '/_keyforge/tenants',
        headers: adminHeaders,
        payload: { vendor: 'baseten', tenant: 'intro' },
      })
    ).json();
    const secret = created.request.headers.Authorization.replace('Api-Key ', '');
    const good = await app().inject({
      method: 'POST',
      url: '/_keyforge/keys/verify',
      headers: adminHeaders,
      payload: { vendor: 'baseten', secret },
    });
    expect(good.json()).toMatchObject({ valid: true, key: { tenant: 'intro', prefix: secret.split('.')[0] } });
    const bad = await app().inject({
      method: 'POST',
      url: '/_keyforge/keys/verify',
      headers: adminHeaders,
      payload: { vendor: 'baseten', secret: 'nope' },
    });
    expect(bad.json()).toEqual({ valid: false });
  });

  it('revokes a key by id: listed as revoked, refused by the vendor from then on, idempotent; 404 for an unknown id', async () => {
    const created = (
      await app().inject({
        method: 'POST',
        url: '/_keyforge/tenants',
        headers: adminHeaders,
        payload: { vendor: 'baseten', tenant: 'revoking' },
      })
    ).json();
    const authorization = created.request.headers.Authorization as string;
    const create = () =>
      app().inject({ method: 'POST', url: '/v1/api_keys', headers: { authorization }, payload: { type: 'PERSONAL' } });
    expect((await create()).statusCode).toBe(200);
    const [key] = (
      await app().inject({
        method: 'GET',
        url: '/_keyforge/keys?vendor=baseten&tenant=revoking',
        headers: adminHeaders,
      })
    ).json().keys;

    const res = await app().inject({ method: 'POST', url: `/_keyforge/keys/${key.id}/revoke`, headers: adminHeaders });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      id: key.id,
      tenant: 'revoking',
      state: 'revoked',
      revokedAt: expect.any(String),
    });
    expect(res.body).not.toContain(authorization.slice('Api-Key '.length));
    expect((await create()).statusCode).toBe(401);
    const again = await app().inject({
      method: 'POST',
      url: `/_keyforge/keys/${key.id}/revoke`,
      headers: adminHeaders,
    });
    expect(again.json()).toEqual(res.json());

    const unknown = await app().inject({
      method: 'POST',
      url: '/_keyforge/keys/no-such-key/revoke',
      headers: adminHeaders,
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({ error: 'Not Found', message: 'no key with id no-such-key' });
    expect((await app().inject({ method: 'POST', url: `/_keyforge/keys/${key.id}/revoke` })).statusCode).toBe(401);
  });

  it('answers unknown paths with a 404 {error,message}', async () => {
    const res = await app().inject({ method: 'GET', url: '/nowhere' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: 'Not Found', message: 'no keyforge route for GET /nowhere' });
  });
});
