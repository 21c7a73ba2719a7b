// Basic under the emulator controls: injected faults in Basic's error shape, reset, `--auth any`
// and seeded fixed credentials.
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { basic } from '../../src/vendors/basic/index.js';
import { adminHeaders, buildTestApp, useTestApp, vendorCall } from '../helper.js';

const createKey = (app: FastifyInstance, token: string, project: string, prefix = '') =>
  vendorCall(app, 'basic', {
    method: 'POST',
    url: `${prefix}/project/${project}/key`,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    payload: JSON.stringify({ label: 'ci', roles: 'admin' }),
  });
const admin = (app: FastifyInstance, method: 'PUT' | 'POST' | 'DELETE', url: string, payload?: object) =>
  app.inject({ method, url, headers: adminHeaders, ...(payload ? { payload } : {}) });

describe('Basic with injected faults', () => {
  const app = useTestApp();

  it.each([
    [503, 'Service Unavailable', ''],
    [429, 'Too Many Requests', '/basic'],
  ])('answers an injected %i as {error,message} before checking the credential', async (status, error, prefix) => {
    expect(
      (await admin(app(), 'PUT', '/_keyforge/faults', { vendor: 'basic', status, count: 1 })).statusCode,
    ).toBeLessThan(300);
    const res = await createKey(app(), 'no-such-token', basic.demo.project!, prefix);
    expect(res.statusCode).toBe(status);
    expect(res.json()).toEqual({ error, message: expect.stringMatching(/^fault injected by keyforge/) });
    expect((await createKey(app(), basic.demo.secret, basic.demo.project!, prefix)).statusCode).toBe(200);
  });
});

describe('Basic after POST /_keyforge/reset', () => {
  const app = useTestApp();

  it('refuses JWTs and keys of wiped accounts, and restores the demo key', async () => {
    const created = (await admin(app(), 'POST', '/_keyforge/tenants', { vendor: 'basic', tenant: 'wiped' })).json();
    const jwt = (created.request.headers.Authorization as string).slice(7);
    const issued = (await createKey(app(), jwt, created.project)).json().key.value as string;
    expect((await admin(app(), 'POST', '/_keyforge/reset?vendor=basic')).statusCode).toBe(200);
    for (const token of [jwt, issued]) {
      const res = await createKey(app(), token, created.project);
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ error: 'Unauthorized', message: 'Invalid or expired token' });
    }
    // A new account of the same name gets a new id, so the old token still names nobody.
    await admin(app(), 'POST', '/_keyforge/tenants', { vendor: 'basic', tenant: 'wiped' });
    expect((await createKey(app(), jwt, created.project)).statusCode).toBe(401);
    expect((await createKey(app(), basic.demo.secret, basic.demo.project!)).statusCode).toBe(200);
  });
});

describe('Basic with --auth any', () => {
  const app = useTestApp({ auth: 'any' });

  it('enrols a made-up API key as the admin key of the project in its path', async () => {
    const project = randomUUID();
    const madeUp = `bsk_madeUp01${'m'.repeat(32)}`;
    const res = await createKey(app(), madeUp, project);
    expect(res.statusCode).toBe(200);
    expect((await createKey(app(), res.json().key.value, project)).statusCode).toBe(200);
  });

  it("does not hand a made-up key another account's project", async () => {
    const res = await createKey(app(), `bsk_madeUp02${'m'.repeat(32)}`, basic.demo.project!);
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: 'Not Found', message: 'Project not found' });
  });

  it('still verifies JWTs: a token signed elsewhere is refused', async () => {
    const forged = await new SignJWT({ account: 'demo-account' })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode('y'.repeat(32)));
    const res = await createKey(app(), forged, basic.demo.project!);
    expect(res.statusCode).toBe(401);
  });

  it('never enrols a value merely passed to verify', async () => {
    const res = await app().inject({
      method: 'POST',
      url: `/project/${basic.demo.project}/key/verify`,
      headers: { authorization: `Bearer ${basic.demo.secret}` },
      payload: { key: `bsk_madeUp03${'v'.repeat(32)}` },
    });
    expect(res.json()).toEqual({ is_valid: false, key: null });
    expect(await app().tenants.find('basic', 'any-madeUp03')).toBeUndefined();
  });
});

describe('Basic seeded credentials', () => {
  it('stores a fixed admin key in the seeded project, idempotently, and it creates keys there', async () => {
    const project = randomUUID();
    const secret = `bsk_seeded01${'s'.repeat(32)}`;
    const seed = { tenants: [{ vendor: 'basic' as const, tenant: 'seeded', project, credentials: [secret] }] };
    const app = await buildTestApp({}, { seed });
    try {
      const res = await createKey(app, secret, project);
      expect(res.statusCode).toBe(200);
      await app.keyforge.reset('basic');
      expect((await createKey(app, secret, project)).statusCode).toBe(200);
      const again = await basic.ensureRootCredential(
        app.keyforge.services,
        (await app.tenants.find('basic', 'seeded'))!,
        secret,
        randomUUID(),
      );
      expect(again).toEqual({ tenant: 'seeded', secret, project }); // an existing key stays in its project
    } finally {
      await app.close();
    }
  });
});
