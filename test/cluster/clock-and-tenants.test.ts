// Two real keyforge processes on one PostgreSQL database: the test clock is one (set through
// either, read by both, answered once both use it), expiry and rate-limit windows follow it on
// both, and one tenant's reset, delete and faults reach both instances and no other tenant.
import { beforeAll, expect, it } from 'vitest';
import { describeWithPostgres, freshDatabase } from '../support/postgres.js';
import { adminCall, call, LIFECYCLES, newTenant, rootSecret, startInstances, works, type Instance } from './support.js';

const HOUR = 3_600_000;
const RATE_LIMIT = 4;

describeWithPostgres('the test clock and one tenant’s state on two instances', () => {
  let a: Instance;
  let b: Instance;

  beforeAll(async () => {
    [a, b] = (await startInstances(await freshDatabase(), ['a', 'b'], ['--rate-limit', String(RATE_LIMIT)])) as [
      Instance,
      Instance,
    ];
  }, 60_000);

  const clockOf = async (instance: Instance) =>
    (await adminCall(instance.url, 'GET', '/_keyforge/clock')).body as { now: string; offsetMs: number };

  it('is one clock: moved through A, B answers the moved time as soon as A has answered; reset through B, both are on real time', async () => {
    const moved = await adminCall(a.url, 'PUT', '/_keyforge/clock', { at: '2030-01-01T00:00:00Z' });
    expect(moved.status).toBe(200);
    const onB = await clockOf(b);
    expect(onB.offsetMs).toBe(moved.body.offsetMs);
    expect(Date.parse(onB.now) - Date.parse('2030-01-01T00:00:00Z')).toBeLessThan(1000);

    // Two moves at once through both instances both count, on both: neither instance's own answer
    // may overwrite the other's move it has already heard (before the fix, round 1 failed here).
    for (let round = 1; round <= 10; round++) {
      await Promise.all([
        adminCall(a.url, 'PUT', '/_keyforge/clock', { advance: 'PT1H' }),
        adminCall(b.url, 'PUT', '/_keyforge/clock', { advance: 'PT1H' }),
      ]);
      for (const instance of [a, b])
        expect((await clockOf(instance)).offsetMs - moved.body.offsetMs, `round ${round}`).toBe(2 * round * HOUR);
    }

    expect((await adminCall(b.url, 'POST', '/_keyforge/reset')).status).toBe(200);
    for (const instance of [a, b]) expect((await clockOf(instance)).offsetMs).toBe(0);
  });

  it('expires a Peaka key on both: expiresAt in an hour works on B, and after advance PT2H through A, B refuses it and lists it expired', async () => {
    const partner = await newTenant(a.url, 'peaka');
    const created = await call(
      a.url,
      'POST',
      `/api/v1/projects/${partner.project}/apiKeys`,
      { authorization: `Bearer ${rootSecret(partner)}` },
      { name: 'hour', expiresAt: new Date(Date.now() + HOUR).toISOString() },
    );
    expect(created.status, created.text).toBe(200);
    const use = (instance: Instance) =>
      call(instance.url, 'GET', `/api/v1/projects/${partner.project}/apiKeys`, {
        authorization: `Bearer ${created.body.apiKey}`,
      });
    expect((await use(b)).status).toBe(403); // authenticated (a project key may not list), and cached on B
    expect((await use(b)).status).toBe(403);

    await adminCall(a.url, 'PUT', '/_keyforge/clock', { advance: 'PT2H' });
    expect((await use(b)).status).toBe(401);
    expect((await use(a)).status).toBe(401);
    const { keys } = (await adminCall(b.url, 'GET', `/_keyforge/keys?vendor=peaka&tenant=${partner.tenant}`)).body;
    expect(keys.find((k: { id: string }) => k.id === created.body.apiKeyId)).toMatchObject({ state: 'expired' });
    await adminCall(a.url, 'DELETE', '/_keyforge/clock');
  });

  it('expires a Basic user JWT minted through A once the clock moves 31 days through B', async () => {
    const account = await newTenant(a.url, 'basic');
    expect((await LIFECYCLES.basic.create(b.url, account, 'before')).status).toBe(200);
    await adminCall(b.url, 'PUT', '/_keyforge/clock', { advance: 'P31D' });
    expect((await LIFECYCLES.basic.create(a.url, account, 'after')).status).toBe(401);
    expect((await LIFECYCLES.basic.create(b.url, account, 'after')).status).toBe(401);
    await adminCall(b.url, 'DELETE', '/_keyforge/clock');
  });

  it('counts rate-limit windows on the clock across both: past the window, calls pass again', async () => {
    const org = await newTenant(a.url, 'imtegrate');
    const statuses: number[] = [];
    for (let i = 0; i <= RATE_LIMIT; i++)
      statuses.push((await LIFECYCLES.imtegrate.list(i % 2 ? a.url : b.url, org)).status);
    expect(statuses).toEqual([...Array.from({ length: RATE_LIMIT }, () => 200), 429]);
    await adminCall(a.url, 'PUT', '/_keyforge/clock', { advance: 'PT61S' });
    expect((await LIFECYCLES.imtegrate.list(b.url, org)).status).toBe(200);
    await adminCall(a.url, 'DELETE', '/_keyforge/clock');
    expect((await LIFECYCLES.imtegrate.list(a.url, org)).status).toBe(200);
  });

  it('resets one tenant through A: B refuses its issued key at once, keeps its root, and another tenant is untouched', async () => {
    const mine = await newTenant(a.url, 'baseten');
    const theirs = await newTenant(a.url, 'baseten');
    const { key: my } = await LIFECYCLES.baseten.create(a.url, mine, 'mine');
    const { key: their } = await LIFECYCLES.baseten.create(a.url, theirs, 'theirs');
    expect(works(await LIFECYCLES.baseten.use(b.url, mine, my!))).toBe(true); // cached on B
    expect(works(await LIFECYCLES.baseten.use(b.url, theirs, their!))).toBe(true);

    const reset = await adminCall(a.url, 'POST', `/_keyforge/reset?vendor=baseten&tenant=${mine.tenant}`);
    expect(reset.body).toMatchObject({ reset: ['baseten'], tenant: mine.tenant, removed: { keys: 1 } });
    expect((await LIFECYCLES.baseten.use(b.url, mine, my!)).status).toBe(401);
    expect((await LIFECYCLES.baseten.list(b.url, mine)).status).toBe(200);
    expect(works(await LIFECYCLES.baseten.use(b.url, theirs, their!))).toBe(true);
    expect(LIFECYCLES.baseten.lists(await LIFECYCLES.baseten.list(b.url, theirs), their!)).toBe(true);
    const journal = (await adminCall(b.url, 'GET', '/_keyforge/requests?vendor=baseten')).body.requests as Array<{
      tenant: string | null;
    }>;
    expect(journal.filter((e) => e.tenant === mine.tenant)).toHaveLength(1); // the root's list just now
    expect(journal.filter((e) => e.tenant === theirs.tenant).length).toBeGreaterThanOrEqual(3);
  });

  it('deletes one tenant through B: A refuses its root credential at once, though A had it cached', async () => {
    const mine = await newTenant(a.url, 'bytebeam');
    const theirs = await newTenant(a.url, 'bytebeam');
    expect((await LIFECYCLES.bytebeam.list(a.url, mine)).status).toBe(200);
    expect((await LIFECYCLES.bytebeam.list(a.url, mine)).status).toBe(200);
    const deleted = await adminCall(b.url, 'DELETE', `/_keyforge/tenants/bytebeam/${mine.tenant}`);
    expect(deleted.body).toMatchObject({ vendor: 'bytebeam', tenant: mine.tenant, removed: { keys: 1 } });
    expect((await LIFECYCLES.bytebeam.list(a.url, mine)).status).toBe(401);
    expect((await LIFECYCLES.bytebeam.list(a.url, theirs)).status).toBe(200);
    expect((await adminCall(a.url, 'DELETE', `/_keyforge/tenants/bytebeam/${mine.tenant}`)).status).toBe(404);
  });

  it('fires a fault naming a tenant, set through A, only for that tenant’s calls on B', async () => {
    const mine = await newTenant(a.url, 'imtegrate');
    const theirs = await newTenant(a.url, 'imtegrate');
    const put = await adminCall(a.url, 'PUT', '/_keyforge/faults', {
      vendor: 'imtegrate',
      tenant: mine.tenant,
      status: 503,
    });
    expect(put.status).toBe(201);
    expect((await LIFECYCLES.imtegrate.list(b.url, mine)).status).toBe(503);
    expect((await LIFECYCLES.imtegrate.list(b.url, theirs)).status).toBe(200);
    expect(
      (await adminCall(b.url, 'POST', `/_keyforge/reset?vendor=imtegrate&tenant=${mine.tenant}`)).body.removed.faults,
    ).toBe(1);
    expect((await LIFECYCLES.imtegrate.list(a.url, mine)).status).toBe(200);
  });
});
