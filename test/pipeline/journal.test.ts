// What the journal records about each call beyond method and status: who made it (tenant and
// key id, as the vendor's auth found them) and bodies in binary media types shown decoded, with
// secrets redacted in them too.
import { describe, expect, it } from 'vitest';
import { adminHeaders, useTestApp } from '../helper.js';
import {
  call,
  DEMO,
  encodeMap,
  TRANSIT_MSGPACK,
  decodeBody,
  secretOf,
  fromHalves,
} from '../vendors/bytebeam-support.js';

describe('the journal', () => {
  const app = useTestApp();
  const latest = async () =>
    (await app().inject({ url: '/_keyforge/requests?limit=1', headers: adminHeaders })).json().requests[0];
  const keysOf = async (vendor: string, tenant: string) =>
    (await app().inject({ url: `/_keyforge/keys?vendor=${vendor}&tenant=${tenant}`, headers: adminHeaders })).json()
      .keys as Array<{ id: string }>;

  it('names the tenant and key id of the credential that made a call', async () => {
    const created = (
      await app().inject({
        method: 'POST',
        url: '/_keyforge/tenants',
        headers: adminHeaders,
        payload: { vendor: 'imtegrate', tenant: 'who' },
      })
    ).json();
    await app().inject({
      method: 'POST',
      url: '/v1/api-keys',
      headers: created.request.headers,
      payload: { name: 'ci', scopes: ['keys:write'] },
    });
    const [root] = await keysOf('imtegrate', 'who');
    expect(await latest()).toMatchObject({ vendor: 'imtegrate', tenant: 'who', keyId: root!.id });
  });

  it('names only the tenant for a Basic user JWT, which is no key', async () => {
    const created = (
      await app().inject({
        method: 'POST',
        url: '/_keyforge/tenants',
        headers: adminHeaders,
        payload: { vendor: 'basic', tenant: 'jwt-user' },
      })
    ).json();
    const res = await app().inject({
      method: 'POST',
      url: created.request.path,
      headers: created.request.headers,
      payload: created.request.body,
    });
    expect(res.statusCode).toBe(200);
    expect(await latest()).toMatchObject({ vendor: 'basic', tenant: 'jwt-user', keyId: null });
  });

  it('names nobody when the credential was refused', async () => {
    const res = await app().inject({
      method: 'POST',
      url: '/v1/api_keys',
      headers: { authorization: 'Api-Key nope0000.000000000000000000000000000000' },
      payload: {},
    });
    expect(res.statusCode).toBe(401);
    expect(await latest()).toMatchObject({ vendor: 'baseten', status: 401, tenant: null, keyId: null });
  });

  it('shows transit+msgpack bodies decoded, as their transit+json text, with the issued key redacted', async () => {
    const payload = encodeMap(TRANSIT_MSGPACK, [
      ['name', 'mp-journal'],
      ['role', 'admin'],
    ]);
    const res = await call(app(), { method: 'POST', contentType: TRANSIT_MSGPACK, accept: TRANSIT_MSGPACK, payload });
    expect(res.statusCode).toBe(200);
    const secret = secretOf(decodeBody(TRANSIT_MSGPACK, res.rawPayload));
    const entry = await latest();
    expect(entry).toMatchObject({
      tenant: DEMO.tenant,
      request: { body: '["^ ","~:name","mp-journal","~:role","admin"]' },
      response: { contentType: expect.stringContaining(TRANSIT_MSGPACK) },
    });
    expect(JSON.parse(entry.response.body)).toEqual([
      '^ ',
      '~:role',
      'admin',
      '~:name',
      'mp-journal',
      '~:key',
      '~u[redacted]',
      '~:created-by',
      `admin@${DEMO.tenant}`,
    ]);
    // Neither the key nor the two 64-bit halves it travels as.
    const journal = (await app().inject({ url: '/_keyforge/requests', headers: adminHeaders })).body;
    expect(journal).not.toContain(secret);
    const hex = secret.replace(/-/g, '');
    expect(
      fromHalves(BigInt.asIntN(64, BigInt(`0x${hex.slice(0, 16)}`)), BigInt.asIntN(64, BigInt(`0x${hex.slice(16)}`))),
    ).toBe(secret);
    expect(journal).not.toContain(String(BigInt.asIntN(64, BigInt(`0x${hex.slice(16)}`))));
  });

  it('describes a body that is not valid msgpack by its size', async () => {
    await call(app(), { method: 'POST', contentType: TRANSIT_MSGPACK, payload: Buffer.from([0xc1, 0xc1]) });
    expect((await latest()).request.body).toBe('[2 bytes of application/transit+msgpack]');
  });
});
