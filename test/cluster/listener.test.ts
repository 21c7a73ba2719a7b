// Fail safe: an instance whose listening connection goes silent (no error, no close — a network
// that drops packets) cannot hear revocations, so once its last heartbeat is older than the trust
// window it checks every cached credential against the database. A key revoked through A while B
// hears nothing is still refused by B.
import { expect, it } from 'vitest';
import { TRUST_MS } from '../../src/db/postgres/bus.js';
import { describeWithPostgres } from '../support/postgres.js';
import { useDeafPair } from './deaf-pair.js';
import { call, LIFECYCLES, newTenant } from './support.js';

describeWithPostgres('an instance that cannot hear the others', () => {
  const pair = useDeafPair();

  it('stops trusting its cache once its listening connection goes silent, and refuses a key revoked meanwhile', async () => {
    const { a, b, proxy } = pair();
    const lifecycle = LIFECYCLES.imtegrate;
    const tenant = await newTenant(a.url, 'imtegrate');
    const { key: kept } = await lifecycle.create(a.url, tenant, 'kept');
    const { key: revoked } = await lifecycle.create(a.url, tenant, 'revoked');
    for (const key of [kept!, revoked!]) expect((await lifecycle.use(b.url, tenant, key)).status).toBe(200); // now cached on B

    expect(proxy.silenceListeners()).toBe(1);
    // Its last answered heartbeat grows older than TRUST_MS: from then on it says so.
    await expect
      .poll(async () => (await call(b.url, 'GET', '/_keyforge/health')).body.status, {
        timeout: TRUST_MS + 10_000,
        interval: 100,
      })
      .toBe('degraded');
    const health = await call(b.url, 'GET', '/_keyforge/health');
    expect(health.status).toBe(200); // it still serves correctly, from the database
    expect(health.body).toMatchObject({
      status: 'degraded',
      reason: expect.stringContaining('cached credentials are checked against the database'),
    });

    expect((await lifecycle.remove(a.url, tenant, revoked!)).status).toBe(200); // B cannot hear it
    expect((await lifecycle.use(b.url, tenant, revoked!)).status).toBe(401);
    expect((await lifecycle.use(b.url, tenant, kept!)).status).toBe(200);
    expect((await call(b.url, 'GET', '/_keyforge/health')).body.status).toBe('degraded'); // still deaf: the database said no

    // A dead connection is replaced: B listens again and trusts its (cleared) cache again.
    proxy.allowListeners();
    await expect
      .poll(async () => (await call(b.url, 'GET', '/_keyforge/health')).body.status, { timeout: 15_000, interval: 250 })
      .toBe('ok');
    expect((await lifecycle.use(b.url, tenant, revoked!)).status).toBe(401);
  }, 40_000);
});
