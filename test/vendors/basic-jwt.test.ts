// Basic user JWTs: HS256 with a per-database secret, checked for signature, issuer, audience,
// expiry and a live account; plus the error contract of the Basic plugin and log hygiene.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { decodeJwt, SignJWT, UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { StatusError } from '../../src/http/status-error.js';
import { basicError } from '../../src/vendors/basic/errors.js';
import { JWT_AUDIENCE, JWT_ISSUER, JWT_LIFETIME_SECONDS } from '../../src/vendors/basic/jwt.js';
import { adminHeaders, buildTestApp, useTestApp, vendorCall } from '../helper.js';
import { testTempDir } from '../support/test-run.js';

const INVALID = { error: 'Unauthorized', message: 'Invalid or expired token' };
const NOW = new Date('2026-03-01T12:00:00Z');

describe('Basic user JWTs', () => {
  let now = NOW;
  const app = useTestApp({}, { clock: () => now });

  async function account(tenant: string) {
    const res = await app().inject({
      method: 'POST',
      url: '/_keyforge/tenants',
      headers: adminHeaders,
      payload: { vendor: 'basic', tenant },
    });
    const created = res.json();
    return {
      project: created.project as string,
      token: (created.request.headers.Authorization as string).slice('Bearer '.length),
    };
  }

  const create = (token: string, project: string) =>
    vendorCall(app(), 'basic', {
      method: 'POST',
      url: `/project/${project}/key`,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ label: 'ci', roles: 'read' }),
    });

  /** Signs claims with the database's own secret, as only keyforge could. */
  const signWithDatabaseSecret = async (
    claims: Record<string, unknown>,
    build: (jwt: SignJWT) => SignJWT = (j) => j,
  ) => {
    const secret = Buffer.from(await app().settings.getOrCreate('basic.jwt-secret', () => 'unused'), 'base64url');
    return build(new SignJWT(claims).setProtectedHeader({ alg: 'HS256' })).sign(new Uint8Array(secret));
  };

  it('issues HS256 tokens naming the user, the account, issuer, audience, iat and a 30-day exp', async () => {
    const { token } = await account('claims');
    const tenant = (await app().tenants.find('basic', 'claims'))!;
    const iat = Math.floor(NOW.getTime() / 1000);
    expect(decodeJwt(token)).toEqual({
      sub: 'admin@claims.keyforge.local',
      email: 'admin@claims.keyforge.local',
      account: 'claims',
      account_id: tenant.id,
      iss: JWT_ISSUER,
      aud: JWT_AUDIENCE,
      iat,
      exp: iat + JWT_LIFETIME_SECONDS,
    });
  });

  it('keeps one signing secret per database, so a token outlives a restart of the same file', async () => {
    const dir = testTempDir('keyforge-basic-');
    try {
      const first = await buildTestApp({ db: join(dir, 'k.db') });
      const created = (
        await first.inject({
          method: 'POST',
          url: '/_keyforge/tenants',
          headers: adminHeaders,
          payload: { vendor: 'basic', tenant: 'lasting' },
        })
      ).json();
      await first.close();
      const second = await buildTestApp({ db: join(dir, 'k.db') });
      const res = await second.inject({
        method: 'POST',
        url: created.request.path,
        headers: created.request.headers,
        payload: created.request.body,
      });
      await second.close();
      expect(res.statusCode).toBe(200);
      const other = await buildTestApp(); // another database: another secret
      const refused = await other.inject({
        method: 'POST',
        url: created.request.path,
        headers: created.request.headers,
        payload: created.request.body,
      });
      await other.close();
      expect(refused.statusCode).toBe(401);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [
      'signed with another secret',
      'forged-secret',
      async (claims: Record<string, unknown>) =>
        new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode('x'.repeat(32))),
    ],
    [
      'unsigned (alg none)',
      'forged-none',
      async (claims: Record<string, unknown>) => new UnsecuredJWT(claims).encode(),
    ],
  ])('refuses a token %s with 401', async (_what, tenant, sign) => {
    const { token, project } = await account(tenant);
    const res = await create(await sign(decodeJwt(token)), project);
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual(INVALID);
  });

  it('refuses a tampered token: payload swapped for another account', async () => {
    const a = await account('tamper-a');
    const b = await account('tamper-b');
    const [header, , signature] = a.token.split('.');
    const [, payloadB] = b.token.split('.');
    const res = await create(`${header}.${payloadB}.${signature}`, b.project);
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual(INVALID);
  });

  it.each([
    ['from another issuer', { iss: 'https://elsewhere.example' }],
    ['for another audience', { aud: 'someone-else' }],
    ['without an account id', { account_id: undefined }],
    ['for an account that does not exist', { account_id: '00000000-0000-4000-8000-000000000000' }],
    ['whose account name does not match its id', { account: 'somebody-else' }],
  ])('refuses a correctly signed token %s', async (_what, override) => {
    const { token, project } = await account('claims-check');
    const claims = { ...decodeJwt(token), ...override } as Record<string, unknown>;
    for (const k of Object.keys(claims)) if (claims[k] === undefined) delete claims[k];
    const res = await create(await signWithDatabaseSecret(claims), project);
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual(INVALID);
  });

  it('refuses a token once it has expired (injected clock)', async () => {
    const { token, project } = await account('expiring');
    now = new Date(NOW.getTime() + (JWT_LIFETIME_SECONDS - 1) * 1000);
    expect((await create(token, project)).statusCode).toBe(200);
    now = new Date(NOW.getTime() + JWT_LIFETIME_SECONDS * 1000);
    const res = await create(token, project);
    now = NOW;
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual(INVALID);
  });
});

describe('Basic error contract', () => {
  it.each([
    [
      new StatusError(503, 'Service Unavailable'),
      503,
      { error: 'Service Unavailable', message: 'Service Unavailable' },
    ],
    [new StatusError(429, 'Rate limit exceeded'), 429, { error: 'Too Many Requests', message: 'Rate limit exceeded' }],
    [
      Object.assign(new Error('Request body is too large'), { statusCode: 413 }),
      413,
      { error: 'Payload Too Large', message: 'Request body is too large' },
    ],
  ])('renders %s with its own status in {error,message}', (error, status, body) => {
    expect(basicError(error, undefined)).toEqual({ status, body });
  });

  it('leaves unexpected errors (and any 5xx that is not a StatusError) to the 500 path', () => {
    expect(basicError(new Error('boom'), undefined)).toBeNull();
    expect(basicError(Object.assign(new Error('db'), { statusCode: 502 }), undefined)).toBeNull();
  });
});

describe('Basic logs', () => {
  const lines: string[] = [];
  const stream = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
  const app = useTestApp({ logLevel: 'trace' }, { logStream: stream });

  it('never contain the bearer credential or the issued key value', async () => {
    const created = (
      await app().inject({
        method: 'POST',
        url: '/_keyforge/tenants',
        headers: adminHeaders,
        payload: { vendor: 'basic', tenant: 'quiet' },
      })
    ).json();
    const res = await app().inject({
      method: 'POST',
      url: created.request.path,
      headers: created.request.headers,
      payload: created.request.body,
    });
    expect(res.statusCode).toBe(200);
    const value = res.json().key.value as string;
    const jwt = (created.request.headers.Authorization as string).slice(7);
    await app().inject({
      method: 'POST',
      url: created.request.path,
      headers: { authorization: `Bearer ${value}` },
      payload: '{bad',
    });
    const log = lines.join('');
    expect(log).toContain('/key');
    expect(log).not.toContain(jwt);
    expect(log).not.toContain(value);
  });
});
