// Two real keyforge processes on one real PostgreSQL database behave as one keyforge: what one
// instance writes, the other serves at once; revocations, resets and faults reach both; the
// journal and rate limits count across both.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { VENDOR_NAMES } from '../reliability/support.js';
import { describeWithPostgres, freshDatabase } from '../support/postgres.js';
import { adminCall, call, LIFECYCLES, newTenant, startInstances, works, type Instance } from './support.js';
import { testTempDir } from '../support/test-run.js';

const SEED_KEY = 'seedKey1.SeededBasetenKey0000000000000000';
const RATE_LIMIT = 30;
const JOURNAL_SIZE = 20;

describeWithPostgres('two instances on one PostgreSQL database', () => {
  let a: Instance;
  let b: Instance;
  let dir: string | undefined;

  beforeAll(async () => {
    dir = testTempDir('keyforge-cluster-');
    const seed = join(dir, 'seed.json');
    writeFileSync(
      seed,
      JSON.stringify({ tenants: [{ vendor: 'baseten', tenant: 'seeded', credentials: [SEED_KEY] }] }),
    );
    const db = await freshDatabase();
    // Started at the same moment on an empty database: migrations and bootstrap must not race.
    [a, b] = (await startInstances(
      db,
      ['a', 'b'],
      ['--seed', seed, '--demo', '--rate-limit', String(RATE_LIMIT), '--journal-size', String(JOURNAL_SIZE)],
    )) as [Instance, Instance];
  }, 60_000);
  afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

  it.each(VENDOR_NAMES)('%s: a key created through A authenticates on B at once and is listed on B', async (vendor) => {
    const lifecycle = LIFECYCLES[vendor];
    const tenant = await newTenant(a.url, vendor);
    const created = await lifecycle.create(a.url, tenant, 'one');
    expect(created.status, created.text).toBeLessThan(300);
    expect(works(await lifecycle.use(b.url, tenant, created.key!))).toBe(true);
    expect(lifecycle.lists(await lifecycle.list(b.url, tenant), created.key!)).toBe(true);
  });

  it.each(VENDOR_NAMES)(
    '%s: a key deleted through A is refused by B within 100 ms, though B had it cached',
    async (vendor) => {
      const lifecycle = LIFECYCLES[vendor];
      const tenant = await newTenant(a.url, vendor);
      const { key } = await lifecycle.create(a.url, tenant, 'gone');
      expect(works(await lifecycle.use(b.url, tenant, key!))).toBe(true);
      expect(works(await lifecycle.use(b.url, tenant, key!))).toBe(true); // answered from B's verified-credential cache
      expect((await lifecycle.remove(a.url, tenant, key!)).status).toBe(200);
      const removedAt = performance.now();
      const refused = await lifecycle.use(b.url, tenant, key!);
      expect(refused.status).toBe(401);
      expect(performance.now() - removedAt).toBeLessThan(100);
      expect(lifecycle.lists(await lifecycle.list(b.url, tenant), key!)).toBe(false);
    },
  );

  it('never serves a stale list after another instance wrote', async () => {
    const lifecycle = LIFECYCLES.baseten;
    const tenant = await newTenant(a.url, 'baseten');
    for (let i = 0; i < 5; i++) {
      expect((await lifecycle.list(b.url, tenant)).body.keys).toHaveLength(1 + i); // B lists (and could cache) first
      const { key } = await lifecycle.create(a.url, tenant, `n${i}`);
      expect(lifecycle.lists(await lifecycle.list(b.url, tenant), key!)).toBe(true);
    }
  });

  it('never gives two keys one lookup id, however creates interleave on both instances', async () => {
    const lifecycle = LIFECYCLES.baseten;
    const tenant = await newTenant(a.url, 'baseten');
    const creates = await Promise.all(
      Array.from({ length: 24 }, (_, i) => lifecycle.create(i % 2 ? a.url : b.url, tenant, `c${i}`)),
    );
    expect(creates.map((c) => c.status)).toEqual(creates.map(() => 200));
    const prefixes = creates.map((c) => c.key!.handle);
    expect(new Set(prefixes).size).toBe(24);
    const listed = (await lifecycle.list(a.url, tenant)).body.keys.map((k: { prefix: string }) => k.prefix);
    expect(new Set(listed).size).toBe(listed.length);
    expect(listed).toEqual(expect.arrayContaining(prefixes));
  });

  it('keeps Bytebeam key names unique across instances', async () => {
    const tenant = await newTenant(a.url, 'bytebeam');
    const body = { name: 'same-name', role: 'admin' };
    const headers = {
      'x-bytebeam-api-key': tenant.request.headers['x-bytebeam-api-key']!,
      'x-bytebeam-tenant': tenant.tenant,
    };
    const answers = await Promise.all(
      [a, b, a, b].map((instance) => call(instance.url, 'POST', '/api/v1/apikeys', headers, body)),
    );
    expect(answers.map((r) => r.status).sort()).toEqual([200, 400, 400, 400]);
  });

  it('applies a fault set through A to calls served by B, and count 1 fires once across the cluster', async () => {
    const tenant = await newTenant(a.url, 'baseten');
    const put = await adminCall(a.url, 'PUT', '/_keyforge/faults', {
      vendor: 'baseten',
      path: '/v1/api_keys',
      status: 503,
      count: 1,
    });
    expect(put.status).toBe(201);
    const first = await LIFECYCLES.baseten.list(b.url, tenant);
    expect(first.status).toBe(503);
    expect(first.body).toEqual({ detail: 'Service Unavailable' });
    const rest = await Promise.all(
      Array.from({ length: 6 }, (_, i) => LIFECYCLES.baseten.list(i % 2 ? a.url : b.url, tenant)),
    );
    expect(rest.map((r) => r.status)).toEqual(rest.map(() => 200));
    expect((await adminCall(b.url, 'GET', '/_keyforge/faults')).body).toEqual({ faults: [] });

    // Without a count it fires on both until cleared through B.
    await adminCall(a.url, 'PUT', '/_keyforge/faults', { vendor: 'baseten', path: '/v1/api_keys', status: 429 });
    expect((await LIFECYCLES.baseten.list(b.url, tenant)).status).toBe(429);
    expect((await LIFECYCLES.baseten.list(a.url, tenant)).status).toBe(429);
    const [fault] = (await adminCall(b.url, 'GET', '/_keyforge/faults')).body.faults;
    expect(fault).toMatchObject({ hits: 2, remaining: null });
    expect((await adminCall(b.url, 'DELETE', '/_keyforge/faults')).body).toEqual({ cleared: 1 });
    expect((await LIFECYCLES.baseten.list(a.url, tenant)).status).toBe(200);
  });

  it('journals the calls of both instances, newest first, each with its instance, bounded and redacted', async () => {
    const tenant = await newTenant(a.url, 'baseten');
    const secret = tenant.request.headers.Authorization!.replace('Api-Key ', '');
    for (let i = 0; i < JOURNAL_SIZE + 6; i++) await LIFECYCLES.baseten.list(i % 2 ? a.url : b.url, tenant);
    const created = await LIFECYCLES.baseten.create(b.url, tenant, 'journaled');
    for (const instance of [a, b]) {
      const { requests } = (await adminCall(instance.url, 'GET', '/_keyforge/requests')).body;
      expect(requests).toHaveLength(JOURNAL_SIZE);
      expect(requests[0], JSON.stringify(requests.slice(0, 3), null, 1)).toMatchObject({
        instance: 'b',
        method: 'POST',
        path: '/v1/api_keys',
        status: 200,
      });
      expect(new Set(requests.map((r: { instance: string }) => r.instance))).toEqual(new Set(['a', 'b']));
      const times = requests.map((r: { time: string }) => r.time);
      expect([...times].sort().reverse()).toEqual(times);
      const text = JSON.stringify(requests);
      expect(text).not.toContain(secret);
      expect(text).not.toContain(created.key!.secret);
    }
  });

  it('counts --rate-limit per credential across the cluster', async () => {
    const tenant = await newTenant(a.url, 'imtegrate');
    const statuses: number[] = [];
    for (let i = 0; i < RATE_LIMIT + 2; i++)
      statuses.push((await LIFECYCLES.imtegrate.list(i % 2 ? a.url : b.url, tenant)).status);
    expect(statuses.slice(0, RATE_LIMIT)).toEqual(Array.from({ length: RATE_LIMIT }, () => 200));
    expect(statuses.slice(RATE_LIMIT)).toEqual([429, 429]);
  });

  it('writes last-use times from every instance to the database', async () => {
    const tenant = await newTenant(a.url, 'imtegrate');
    const { key } = await LIFECYCLES.imtegrate.create(a.url, tenant, 'used');
    expect((await LIFECYCLES.imtegrate.use(b.url, tenant, key!)).status).toBe(200);
    // B writes its last uses within a second; A reads them from the database.
    await expect
      .poll(
        async () =>
          (await adminCall(a.url, 'GET', `/_keyforge/keys?vendor=imtegrate&tenant=${tenant.tenant}`)).body.keys.find(
            (k: { id: string }) => k.id === key!.handle,
          )?.lastUsedAt,
        {
          timeout: 5000,
        },
      )
      .not.toBeNull();
  });

  it('accepts on B a Basic user JWT minted through A (one signing secret)', async () => {
    const tenant = await newTenant(a.url, 'basic');
    expect(tenant.request.headers.Authorization).toMatch(/^Bearer eyJ/);
    const created = await LIFECYCLES.basic.create(b.url, tenant, 'jwt');
    expect(created.status, created.text).toBe(200);
  });

  it('resets cluster-wide and atomically: no instance accepts a pre-reset key; demo and seed credentials exist once', async () => {
    const tenant = await newTenant(a.url, 'baseten');
    const { key } = await LIFECYCLES.baseten.create(b.url, tenant, 'before-reset');
    expect(works(await LIFECYCLES.baseten.use(b.url, tenant, key!))).toBe(true); // cached on B
    // Two resets at once, one through each instance.
    const resets = await Promise.all([
      adminCall(a.url, 'POST', '/_keyforge/reset'),
      adminCall(b.url, 'POST', '/_keyforge/reset'),
    ]);
    expect(resets.map((r) => r.status)).toEqual([200, 200]);
    expect((await adminCall(a.url, 'GET', '/_keyforge/requests')).body.requests).toEqual([]);
    for (const instance of [a, b]) expect((await LIFECYCLES.baseten.use(instance.url, tenant, key!)).status).toBe(401);
    const { keys } = (await adminCall(b.url, 'GET', '/_keyforge/keys')).body as {
      keys: Array<{ vendor: string; tenant: string; prefix: string }>;
    };
    expect(keys.map((k) => `${k.vendor}/${k.tenant}`).sort()).toEqual(
      [
        'basic/demo-account',
        'baseten/demo-workspace',
        'baseten/seeded',
        'bytebeam/demo-tenant',
        'imtegrate/demo-org',
        'peaka/demo-partner',
      ].sort(),
    );
    // The demo and seed credentials work on both.
    for (const instance of [a, b]) {
      expect((await call(instance.url, 'GET', '/v1/api_keys', { authorization: `Api-Key ${SEED_KEY}` })).status).toBe(
        200,
      );
      expect(
        (
          await call(instance.url, 'GET', '/v1/api_keys', {
            authorization: 'Api-Key kfdemo01.BasetenDemoKey000000000000000000',
          })
        ).status,
      ).toBe(200);
    }
  });
});
