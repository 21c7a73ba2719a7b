// One tenant's reset and delete, and faults that name a tenant, on each engine: parallel test
// workers on one keyforge each touch their own tenant and nothing of another's.
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminHeaders, buildTestApp } from '../helper.js';
import { DESCRIPTIONS } from '../dialects/index.js';
import {
  createBody,
  createTenant,
  issuedSecret,
  rootSecret,
  VENDOR_NAMES,
  type Tenant,
  type VendorName,
} from '../reliability/support.js';
import { ENGINES } from '../support/postgres.js';

const admin = (app: FastifyInstance, method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, payload?: object) =>
  app.inject({ method, url, headers: adminHeaders, ...(payload ? { payload } : {}) });

/** How each vendor's client lists keys and creates one with a given credential (its test description). */
const CALLS = {
  list: (t: Tenant, secret: string) => ({
    method: 'GET',
    url: DESCRIPTIONS[t.vendor].keysPath(t),
    headers: DESCRIPTIONS[t.vendor].credentialHeaders(t, secret),
  }),
  create: (t: Tenant, secret: string, unique: string) => ({
    method: 'POST',
    url: t.request.path,
    headers: DESCRIPTIONS[t.vendor].credentialHeaders(t, secret),
    payload: { ...createBody(t, unique), ...DESCRIPTIONS[t.vendor].lifecycleCreateFields(unique) },
  }),
};

/** Authenticated: 2xx, or 403 for a key that may not manage keys (Peaka project keys). */
const works = (status: number) => status < 300 || status === 403;

describe.each(ENGINES)('one tenant’s reset and delete on $engine', ({ database }) => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildTestApp({ db: await database() });
  });
  afterAll(() => app.close());

  const call = (options: object) => app.inject(options as InjectOptions);
  const keysOf = async (vendor: string, tenant: string) =>
    (await admin(app, 'GET', `/_keyforge/keys?vendor=${vendor}&tenant=${tenant}`)).json().keys as Array<{ id: string }>;
  /** A tenant with one issued key, one call journaled and one fault of its own. */
  async function worker(vendor: VendorName, name: string) {
    const tenant = await createTenant(app, vendor, name);
    const created = await call(CALLS.create(tenant, rootSecret(tenant), name));
    expect(created.statusCode, created.body).toBeLessThan(300);
    const fault = (
      await admin(app, 'PUT', '/_keyforge/faults', { vendor, tenant: name, path: '/nowhere', status: 503 })
    ).json();
    return { tenant, issued: issuedSecret(vendor, created.json()), fault };
  }

  it.each(VENDOR_NAMES)(
    '%s: a tenant reset removes its issued keys, journal entries and faults, keeps its root credential, and touches no other tenant',
    async (vendor) => {
      const mine = await worker(vendor, `reset-mine-${vendor}`);
      const theirs = await worker(vendor, `reset-theirs-${vendor}`);
      expect(works((await call(CALLS.list(theirs.tenant, theirs.issued))).statusCode)).toBe(true); // cached
      await app.keys.flushUse();
      const theirKeys = await keysOf(vendor, theirs.tenant.tenant);
      const theirJournal = (await admin(app, 'GET', `/_keyforge/requests?vendor=${vendor}`))
        .json()
        .requests.filter((e: { tenant: string }) => e.tenant === theirs.tenant.tenant);

      const res = await admin(app, 'POST', `/_keyforge/reset?vendor=${vendor}&tenant=${mine.tenant.tenant}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({
        reset: [vendor],
        tenant: mine.tenant.tenant,
        removed: { keys: 1, projects: 0, journalEntries: 1, faults: 1 },
      });

      expect((await call(CALLS.list(mine.tenant, mine.issued))).statusCode).toBe(401);
      expect(works((await call(CALLS.list(mine.tenant, rootSecret(mine.tenant)))).statusCode)).toBe(true);
      const journal = (await admin(app, 'GET', `/_keyforge/requests?vendor=${vendor}`)).json().requests;
      expect(journal.filter((e: { tenant: string }) => e.tenant === mine.tenant.tenant)).toHaveLength(1); // the root's call just now
      const faults = (await admin(app, 'GET', '/_keyforge/faults')).json().faults.map((f: { id: number }) => f.id);
      expect(faults).not.toContain(mine.fault.id);

      // The other tenant: the same keys, journal entries (and then some) and fault, and its keys work.
      expect(await keysOf(vendor, theirs.tenant.tenant)).toEqual(theirKeys);
      expect(journal.filter((e: { tenant: string }) => e.tenant === theirs.tenant.tenant)).toEqual(
        expect.arrayContaining(theirJournal),
      );
      expect(faults).toContain(theirs.fault.id);
      expect(works((await call(CALLS.list(theirs.tenant, theirs.issued))).statusCode)).toBe(true);
    },
  );

  it.each(VENDOR_NAMES)(
    '%s: deleting a tenant removes it, its projects, root credential and keys, refused at once; others stay',
    async (vendor) => {
      const mine = await worker(vendor, `delete-mine-${vendor}`);
      const theirs = await worker(vendor, `delete-theirs-${vendor}`);
      const root = rootSecret(mine.tenant);
      expect(works((await call(CALLS.list(mine.tenant, root))).statusCode)).toBe(true); // cached now
      expect(works((await call(CALLS.list(theirs.tenant, theirs.issued))).statusCode)).toBe(true);
      await app.keys.flushUse();
      const theirKeys = await keysOf(vendor, theirs.tenant.tenant);

      const res = await admin(app, 'DELETE', `/_keyforge/tenants/${vendor}/${mine.tenant.tenant}`);
      expect(res.statusCode, res.body).toBe(200);
      const { hasProjects, rootIsStoredKey } = DESCRIPTIONS[vendor];
      // Basic's root credential is a user JWT, not a stored key.
      expect(res.json()).toEqual({
        vendor,
        tenant: mine.tenant.tenant,
        removed: { keys: rootIsStoredKey ? 2 : 1, projects: hasProjects ? 1 : 0, journalEntries: 2, faults: 1 },
      });
      expect((await call(CALLS.list(mine.tenant, root))).statusCode).toBe(401);
      expect((await call(CALLS.list(mine.tenant, mine.issued))).statusCode).toBe(401);
      expect(await keysOf(vendor, mine.tenant.tenant)).toEqual([]);
      expect((await admin(app, 'DELETE', `/_keyforge/tenants/${vendor}/${mine.tenant.tenant}`)).statusCode).toBe(404);

      expect(await keysOf(vendor, theirs.tenant.tenant)).toEqual(theirKeys);
      expect(works((await call(CALLS.list(theirs.tenant, theirs.issued))).statusCode)).toBe(true);
    },
  );

  it('brings a demo tenant’s credential back as configured on its reset, revoked or not', async () => {
    const [demoRoot] = await keysOf('baseten', 'demo-workspace');
    await admin(app, 'POST', `/_keyforge/keys/${demoRoot!.id}/revoke`);
    const demo = { authorization: 'Api-Key kfdemo01.BasetenDemoKey000000000000000000' };
    expect((await call({ method: 'GET', url: '/v1/api_keys', headers: demo })).statusCode).toBe(401);
    expect((await admin(app, 'POST', '/_keyforge/reset?vendor=baseten&tenant=demo-workspace')).statusCode).toBe(200);
    expect((await call({ method: 'GET', url: '/v1/api_keys', headers: demo })).statusCode).toBe(200);
  });

  it('answers 404 for an unknown tenant and 400 for a tenant without a vendor', async () => {
    expect((await admin(app, 'POST', '/_keyforge/reset?vendor=peaka&tenant=nobody')).json()).toEqual({
      error: 'Not Found',
      message: 'no peaka tenant nobody',
    });
    expect((await admin(app, 'DELETE', '/_keyforge/tenants/peaka/nobody')).statusCode).toBe(404);
    const bad = await admin(app, 'POST', '/_keyforge/reset?tenant=nobody');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain('querystring.tenant: tenant needs a vendor');
    expect((await admin(app, 'DELETE', '/_keyforge/tenants/nope/nobody')).statusCode).toBe(400);
  });

  it.each(VENDOR_NAMES)(
    '%s: a fault naming a tenant fires only for calls whose credential belongs to it, after auth',
    async (vendor) => {
      const mine = await createTenant(app, vendor, `fault-mine-${vendor}`);
      const theirs = await createTenant(app, vendor, `fault-theirs-${vendor}`);
      const fault = (
        await admin(app, 'PUT', '/_keyforge/faults', { vendor, tenant: mine.tenant, status: 503, count: 2 })
      ).json();
      expect(fault).toMatchObject({ vendor, tenant: mine.tenant, status: 503, remaining: 2 });

      expect(works((await call(CALLS.list(theirs, rootSecret(theirs)))).statusCode)).toBe(true);
      // A bad credential is refused by auth first: the fault never sees it.
      expect((await call(CALLS.list(mine, DESCRIPTIONS[vendor].refusedSecret))).statusCode).toBe(401);
      const hit = await call(CALLS.list(mine, rootSecret(mine)));
      expect(hit.statusCode).toBe(503);
      // Before validation: an invalid body still gets the fault.
      const invalid = {
        ...CALLS.create(mine, rootSecret(mine), 'x'),
        payload: { name: 7, label: 7, role: 7, roles: 7 },
      };
      expect((await call(invalid)).statusCode).toBe(503);
      expect(
        (await admin(app, 'GET', '/_keyforge/faults')).json().faults.map((f: { id: number }) => f.id),
      ).not.toContain(fault.id);
      expect(works((await call(CALLS.list(mine, rootSecret(mine)))).statusCode)).toBe(true);
      const journal = (await admin(app, 'GET', `/_keyforge/requests?vendor=${vendor}&limit=3`)).json().requests;
      expect(journal[1]).toMatchObject({ status: 503, refusal: 'fault', tenant: mine.tenant });
    },
  );
});
