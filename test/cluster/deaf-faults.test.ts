// Faults reach an instance that cannot hear the others (its listening connection silent, and
// every new one too, while its pool still works): once it no longer trusts that it hears every
// change, it reads the faults table on every call. So a fault set through A applies on B by the
// time the PUT answers, at most TRUST_MS after it committed, and a cleared one stops applying.
import { expect, it } from 'vitest';
import { ACK_TIMEOUT_MS, TRUST_MS } from '../../src/db/postgres/bus.js';
import { describeWithPostgres } from '../support/postgres.js';
import { useDeafPair } from './deaf-pair.js';
import { adminCall, call, LIFECYCLES, newTenant } from './support.js';

describeWithPostgres('faults on an instance that cannot hear the others', () => {
  const pair = useDeafPair();

  it('applies on B a fault set through A while B is deaf, and stops when it is cleared', async () => {
    const { a, b, proxy } = pair();
    const tenant = await newTenant(a.url, 'baseten');
    const list = () => LIFECYCLES.baseten.list(b.url, tenant);
    expect((await list()).status).toBe(200);

    // B calls in a loop while its listening connection goes silent and A sets a fault.
    const calls: Array<{ sentAt: number; status: number }> = [];
    let stop = false;
    const loop = (async () => {
      while (!stop) {
        const sentAt = performance.now();
        calls.push({ sentAt, status: (await list()).status });
      }
    })();
    expect(proxy.silenceListeners()).toBe(1);
    const putAt = performance.now();
    const put = await adminCall(a.url, 'PUT', '/_keyforge/faults', {
      vendor: 'baseten',
      path: '/v1/api_keys',
      status: 503,
    });
    const answeredAt = performance.now();
    expect(put.status).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    stop = true;
    await loop;

    const missed = calls.filter((c) => c.sentAt > putAt && c.status === 200);
    const missedFor = missed.length === 0 ? 0 : Math.max(...missed.map((c) => c.sentAt)) - putAt;
    console.log(
      `deaf B: the PUT answered after ${(answeredAt - putAt).toFixed(0)} ms; B served ${missed.length} calls without the fault, the last sent ${missedFor.toFixed(0)} ms after the PUT was sent`,
    );
    expect(calls.filter((c) => c.sentAt > answeredAt).map((c) => c.status)).toEqual(
      calls.filter((c) => c.sentAt > answeredAt).map(() => 503),
    );
    expect(missedFor).toBeLessThan(TRUST_MS + 500);

    // Still deaf (every new listening connection is silenced too): B reads the table on every call,
    // and A no longer waits for B's acknowledgements (B let one time out).
    expect((await call(b.url, 'GET', '/_keyforge/health')).body.status).toBe('degraded');
    const deleteAt = performance.now();
    expect((await adminCall(a.url, 'DELETE', '/_keyforge/faults')).body).toEqual({ cleared: 1 });
    expect(performance.now() - deleteAt).toBeLessThan(ACK_TIMEOUT_MS);
    expect((await list()).status).toBe(200);
    expect(
      (await adminCall(a.url, 'PUT', '/_keyforge/faults', { vendor: 'baseten', status: 429, count: 1 })).status,
    ).toBe(201);
    expect((await list()).status).toBe(429);
    expect((await list()).status).toBe(200); // count 1 fired once, across the cluster
    expect((await LIFECYCLES.baseten.list(a.url, tenant)).status).toBe(200);

    // Listening again, B goes back to its own copy of the table, reloaded.
    proxy.allowListeners();
    await expect
      .poll(async () => (await call(b.url, 'GET', '/_keyforge/health')).body.status, { timeout: 15_000, interval: 250 })
      .toBe('ok');
    expect((await adminCall(a.url, 'PUT', '/_keyforge/faults', { vendor: 'baseten', status: 502 })).status).toBe(201);
    expect((await list()).status).toBe(502);
    expect((await adminCall(b.url, 'DELETE', '/_keyforge/faults')).body).toEqual({ cleared: 1 });
    expect((await LIFECYCLES.baseten.list(a.url, tenant)).status).toBe(200);
  }, 60_000);
});
