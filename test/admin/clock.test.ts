// The test clock (/_keyforge/clock) on each engine: every reading of time follows it — expiry
// checks and the admin list's state, created times, Basic JWT iat/exp, Spring timestamps,
// rate-limit windows — while the journal keeps real time with the emulated one beside it.
import type { FastifyInstance } from 'fastify';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { adminHeaders, buildTestApp } from '../helper.js';
import { createTenant, rootSecret, type Tenant } from '../reliability/support.js';
import { ENGINES } from '../support/postgres.js';

const HOUR = 3_600_000;

const admin = (app: FastifyInstance, method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, payload?: object) =>
  app.inject({ method, url, headers: adminHeaders, ...(payload ? { payload } : {}) });

/** A Peaka project key of the partner, expiring at `expiresAt`. */
async function peakaKey(app: FastifyInstance, partner: Tenant, expiresAt: string) {
  const res = await app.inject({
    method: 'POST',
    url: `/api/v1/projects/${partner.project}/apiKeys`,
    headers: { authorization: `Bearer ${rootSecret(partner)}` },
    payload: { name: 'short-lived', expiresAt },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ apiKey: string; apiKeyId: string }>();
}

/** A call the key may make: 403 means it authenticated (project keys may not manage keys), 401 that it did not. */
const usePeaka = (app: FastifyInstance, partner: Tenant, secret: string) =>
  app.inject({
    method: 'GET',
    url: `/api/v1/projects/${partner.project}/apiKeys`,
    headers: { authorization: `Bearer ${secret}` },
  });

describe.each(ENGINES)('the test clock on $engine', ({ database }) => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildTestApp({ db: await database(), rateLimit: 3 });
  });
  afterAll(() => app.close());
  beforeEach(async () => {
    await admin(app, 'DELETE', '/_keyforge/clock');
  });

  it('answers its time and offset; moves by a duration or to a date, and runs on from there', async () => {
    const before = Date.now();
    const real = (await admin(app, 'GET', '/_keyforge/clock')).json();
    expect(real.offsetMs).toBe(0);
    expect(Date.parse(real.now)).toBeGreaterThanOrEqual(before - 5);

    const moved = await admin(app, 'PUT', '/_keyforge/clock', { advance: 'PT2H' });
    expect(moved.statusCode).toBe(200);
    expect(moved.json().offsetMs).toBeGreaterThanOrEqual(2 * HOUR - 5);
    expect(moved.json().offsetMs).toBeLessThanOrEqual(2 * HOUR + 5);
    const again = (await admin(app, 'PUT', '/_keyforge/clock', { advance: 'P30D' })).json();
    expect(again.offsetMs).toBeGreaterThanOrEqual(30 * 24 * HOUR + 2 * HOUR - 5);

    const set = (await admin(app, 'PUT', '/_keyforge/clock', { at: '2030-01-01T00:00:00Z' })).json();
    expect(Date.parse(set.now) - Date.parse('2030-01-01T00:00:00Z')).toBeLessThan(50);
    await expect
      .poll(async () => Date.parse((await admin(app, 'GET', '/_keyforge/clock')).json().now))
      .toBeGreaterThan(Date.parse('2030-01-01T00:00:00.005Z'));

    const back = (await admin(app, 'DELETE', '/_keyforge/clock')).json();
    expect(back.offsetMs).toBe(0);
    expect(Math.abs(Date.parse(back.now) - Date.now())).toBeLessThan(50);
  });

  it.each([
    [{ advance: '2 hours' }, 'body.advance: must be an ISO-8601 duration'],
    [{ advance: 'P1Dxyz' }, 'body.advance: must be an ISO-8601 duration'],
    [{ advance: 'PT' }, 'body.advance: must be an ISO-8601 duration'],
    [{ advance: 'P9000Y' }, 'body.advance: moves the clock outside'],
    [{ at: 'tomorrow' }, 'body.at: must be an ISO-8601 date-time'],
    [{ at: '2030-01-01T00:00:00' }, 'body.at: must be an ISO-8601 date-time'],
    [{ at: '1969-12-31T23:59:59Z' }, 'body.at: must lie between'],
    [{ advance: 'PT1H', at: '2030-01-01T00:00:00Z' }, 'body: give either advance or at'],
    [{}, 'body: give either advance or at'],
    [{ advance: 'PT1H', by: 1 }, 'body: Unrecognized key'],
  ])('refuses %j with 400 naming the field', async (body, message) => {
    const res = await admin(app, 'PUT', '/_keyforge/clock', body);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'Bad Request', message: expect.stringContaining(message) });
    expect((await admin(app, 'GET', '/_keyforge/clock')).json().offsetMs).toBe(0);
  });

  it('expires a Peaka key with expiresAt in an hour once the clock moves two hours: refused, and listed expired', async () => {
    const partner = await createTenant(app, 'peaka');
    const key = await peakaKey(app, partner, new Date(Date.now() + HOUR).toISOString());
    expect((await usePeaka(app, partner, key.apiKey)).statusCode).toBe(403);
    expect((await usePeaka(app, partner, key.apiKey)).statusCode).toBe(403); // from the verified-credential cache

    await admin(app, 'PUT', '/_keyforge/clock', { advance: 'PT2H' });
    const refused = await usePeaka(app, partner, key.apiKey);
    expect(refused.statusCode).toBe(401);
    // Spring's error timestamp is the emulated time too.
    expect(Date.parse(refused.json().timestamp) - Date.now()).toBeGreaterThan(2 * HOUR - 1000);
    const listed = (await admin(app, 'GET', `/_keyforge/keys?vendor=peaka&tenant=${partner.tenant}`)).json().keys;
    expect(listed.find((k: { id: string }) => k.id === key.apiKeyId)).toMatchObject({ state: 'expired' });

    // An expiry "in the future" is judged by the emulated clock: now+1h is in its past.
    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/projects/${partner.project}/apiKeys`,
      headers: { authorization: `Bearer ${rootSecret(partner)}` },
      payload: { expiresAt: new Date(Date.now() + HOUR).toISOString() },
    });
    expect(res.statusCode).toBe(400);

    // Back on real time the key is live again: the clock decides, nothing was deleted.
    await admin(app, 'DELETE', '/_keyforge/clock');
    expect((await usePeaka(app, partner, key.apiKey)).statusCode).toBe(403);
  });

  it('expires a Basic user JWT the same way, and signs new ones with the emulated iat and exp', async () => {
    const account = await createTenant(app, 'basic');
    const create = (token: string) =>
      app.inject({
        method: 'POST',
        url: `/project/${account.project}/key`,
        headers: { authorization: `Bearer ${token}` },
        payload: { label: 'ci', roles: 'read' },
      });
    const token = rootSecret(account);
    const made = await create(token);
    expect(made.statusCode).toBe(200);
    expect(Math.abs(Date.parse(made.json().key.created_at) - Date.now())).toBeLessThan(2000);

    await admin(app, 'PUT', '/_keyforge/clock', { advance: 'P31D' });
    expect((await create(token)).statusCode).toBe(401);

    const fresh = rootSecret(
      (await admin(app, 'POST', '/_keyforge/tenants', { vendor: 'basic', tenant: account.tenant })).json(),
    );
    const { iat, exp } = decodeJwt(fresh);
    expect(iat! * 1000 - Date.now()).toBeGreaterThan(30 * 24 * HOUR);
    expect(exp! - iat!).toBe(30 * 24 * 3600);
    const later = await create(fresh);
    expect(later.statusCode).toBe(200);
    // Created times in vendor answers are emulated too.
    expect(Date.parse(later.json().key.created_at) - Date.now()).toBeGreaterThan(30 * 24 * HOUR);
  });

  it('counts rate-limit windows on the clock: moving it past the window opens a new one', async () => {
    const org = await createTenant(app, 'imtegrate');
    const list = () =>
      app.inject({ method: 'GET', url: '/v1/api-keys', headers: { authorization: `Bearer ${rootSecret(org)}` } });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await list()).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429]);
    await admin(app, 'PUT', '/_keyforge/clock', { advance: 'PT61S' });
    expect((await list()).statusCode).toBe(200);
    // Set back (before the window began), the window is over too.
    await admin(app, 'DELETE', '/_keyforge/clock');
    expect((await list()).statusCode).toBe(200);
  });

  it('journals the real time of each call, and the emulated time beside it while the clock is moved', async () => {
    const org = await createTenant(app, 'imtegrate');
    const call = () =>
      app.inject({
        method: 'GET',
        url: '/v1/api-keys?journal',
        headers: { authorization: `Bearer ${rootSecret(org)}` },
      });
    await call();
    await admin(app, 'PUT', '/_keyforge/clock', { at: '2031-06-01T00:00:00Z' });
    await call();
    const entries = (await admin(app, 'GET', '/_keyforge/requests?vendor=imtegrate&limit=2')).json().requests;
    expect(entries[0].emulatedTime.slice(0, 13)).toBe('2031-06-01T00');
    expect(Math.abs(Date.parse(entries[0].time) - Date.now())).toBeLessThan(5000);
    expect(entries[1].emulatedTime).toBeNull();
  });

  it('returns to real time on a global reset, not on a vendor’s', async () => {
    await admin(app, 'PUT', '/_keyforge/clock', { advance: 'P1D' });
    await admin(app, 'POST', '/_keyforge/reset?vendor=baseten');
    expect((await admin(app, 'GET', '/_keyforge/clock')).json().offsetMs).toBeGreaterThan(0);
    await admin(app, 'POST', '/_keyforge/reset');
    expect((await admin(app, 'GET', '/_keyforge/clock')).json().offsetMs).toBe(0);
  });
});
