// What holds for all five dialects at once: the admin API's ready-made request creates a key
// when sent as is, and a credential of one vendor never authenticates at another vendor's
// endpoint — even where the two key formats look alike (Baseten and Peaka are both 8.32 base62).
import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../../src/vendors/index.js';
import { adminHeaders, useTestApp, vendorCall } from '../helper.js';

const app = useTestApp();

interface ReadyRequest {
  method: 'POST';
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

function send(vendor: string, request: ReadyRequest) {
  return vendorCall(app(), vendor, {
    method: request.method,
    url: request.path,
    headers: request.headers,
    payload: JSON.stringify(request.body),
  });
}

describe.each(DIALECTS.map((d) => [d.name, d] as const))('%s', (vendor, dialect) => {
  it('creates a key with the request POST /_keyforge/tenants returns, sent as is, and the key is stored', async () => {
    const tenant = await app().inject({
      method: 'POST',
      url: '/_keyforge/tenants',
      headers: adminHeaders,
      payload: { vendor, tenant: `as-is-${vendor}` },
    });
    expect(tenant.statusCode).toBe(201);
    const stored = async () =>
      (
        await app().inject({ url: `/_keyforge/keys?vendor=${vendor}&tenant=as-is-${vendor}`, headers: adminHeaders })
      ).json().keys.length as number;
    const before = await stored(); // Basic's root credential is a JWT, so no stored key; the others have one
    const created = await send(vendor, tenant.json().request);
    expect([200, 201]).toContain(created.statusCode);
    expect(await stored()).toBe(before + 1);
  });

  it.each(DIALECTS.filter((other) => other.name !== vendor).map((other) => [other.name, other] as const))(
    'refuses the %s demo credential with 401',
    async (_otherName, other) => {
      // The other vendor's real, stored secret, placed exactly where this vendor expects its own.
      const request = dialect.createKeyRequest({ ...dialect.demo, secret: other.demo.secret });
      const answer = await send(vendor, request);
      expect(answer.statusCode).toBe(401);
    },
  );

  it('accepts its own demo credential (the control for the test above)', async () => {
    const answer = await send(vendor, dialect.createKeyRequest(dialect.demo));
    expect([200, 201]).toContain(answer.statusCode);
  });

  it('answers a wrong method on its real path as it does under /<vendor>, not with keyforge’s own 404', async () => {
    const { path } = dialect.createKeyRequest(dialect.demo);
    const atRoot = await app().inject({ method: 'PUT', url: path });
    const mounted = await app().inject({ method: 'PUT', url: `/${vendor}${path}` });
    expect(atRoot.statusCode).toBe(mounted.statusCode);
    expect(atRoot.headers['content-type']).toBe(mounted.headers['content-type']);
    // reitit's 405 has no body at all; every other dialect answers in its error shape.
    const keys = (body: string) => (body === '' ? [] : Object.keys(JSON.parse(body) as object));
    expect(keys(atRoot.body)).toEqual(keys(mounted.body));
    expect(atRoot.body).not.toContain('no keyforge route');
  });
});
