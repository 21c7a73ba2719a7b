// One stopped instance (SIGSTOP: a paused container, a debugger) keeps its listening session in
// pg_stat_activity, so it looks live but never acknowledges. It may cost one write the
// acknowledgement timeout; after that it is suspect, and writes on the others return to their
// usual latency while it stays stopped. Resumed, it distrusts its caches (its own heartbeat is
// stale): a key revoked meanwhile is refused at its first call.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ACK_TIMEOUT_MS } from '../../src/db/postgres/bus.js';
import { describeWithPostgres, freshDatabase } from '../support/postgres.js';
import { LIFECYCLES, newTenant, startInstances, type Instance } from './support.js';

const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;

describeWithPostgres('an instance stopped with SIGSTOP', () => {
  let a: Instance;
  let b: Instance;
  let c: Instance;

  beforeAll(async () => {
    const db = await freshDatabase();
    // One after another: three compiling at once took 15 s to start on this loaded 2-core machine.
    const started: Instance[] = [];
    for (const name of ['a', 'b', 'c']) started.push(...(await startInstances(db, [name])));
    [a, b, c] = started as [Instance, Instance, Instance];
  }, 90_000);
  afterAll(() => {
    for (const instance of [a, b, c]) if (instance?.child.exitCode === null) instance.child.kill('SIGCONT');
  });

  it('slows at most the first write on the others; resumed, it refuses at its first call a key revoked meanwhile', async () => {
    const lifecycle = LIFECYCLES.baseten;
    const tenant = await newTenant(a.url, 'baseten');
    const timedCreate = async (i: number) => {
      const started = performance.now();
      const answer = await lifecycle.create(a.url, tenant, `k${i}`);
      expect(answer.status, answer.text).toBe(200);
      return { ms: performance.now() - started, key: answer.key! };
    };
    for (let i = 0; i < 5; i++) await timedCreate(i); // warm-up
    const baseline: number[] = [];
    for (let i = 0; i < 15; i++) baseline.push((await timedCreate(10 + i)).ms);
    const { key: revoked } = await timedCreate(100);
    const { key: kept } = await timedCreate(101);
    const { key: revokedOnC } = await timedCreate(102);
    for (const key of [revoked, kept]) expect((await lifecycle.use(b.url, tenant, key)).status).toBe(200); // cached on B
    expect((await lifecycle.use(c.url, tenant, revokedOnC)).status).toBe(200); // cached on C

    b.child.kill('SIGSTOP');
    const first = (await timedCreate(200)).ms;
    const stopped: number[] = [];
    for (let i = 0; i < 20; i++) stopped.push((await timedCreate(300 + i)).ms);
    console.log(
      `create on A: baseline median ${median(baseline).toFixed(1)} ms; B stopped: first ${first.toFixed(0)} ms, then median ${median(stopped).toFixed(1)} ms, max ${Math.max(...stopped).toFixed(0)} ms`,
    );
    // The first may wait for B's acknowledgement; none after it does (each would take ACK_TIMEOUT_MS).
    expect(first).toBeLessThan(ACK_TIMEOUT_MS + 2000);
    expect(median(stopped)).toBeLessThan(Math.max(10 * median(baseline), 100));
    expect(stopped.filter((ms) => ms >= ACK_TIMEOUT_MS)).toEqual([]);

    // C still hears and acknowledges: a revocation through A is refused on C before A answers.
    expect((await lifecycle.remove(a.url, tenant, revokedOnC)).status).toBe(200);
    expect((await lifecycle.use(c.url, tenant, revokedOnC)).status).toBe(401);
    // B cannot hear this one.
    const removing = performance.now();
    expect((await lifecycle.remove(a.url, tenant, revoked)).status).toBe(200);
    expect(performance.now() - removing).toBeLessThan(ACK_TIMEOUT_MS);

    b.child.kill('SIGCONT');
    expect((await lifecycle.use(b.url, tenant, revoked)).status).toBe(401); // its first call after resuming
    expect((await lifecycle.use(b.url, tenant, kept)).status).toBe(200);
    // Answering again, B is waited for again: a revocation through A is refused on B at once.
    await expect.poll(async () => (await lifecycle.use(b.url, tenant, kept)).status, { timeout: 10_000 }).toBe(200);
    const { key: later } = await timedCreate(400);
    expect((await lifecycle.use(b.url, tenant, later)).status).toBe(200);
    expect((await lifecycle.use(b.url, tenant, later)).status).toBe(200); // cached on B
    expect((await lifecycle.remove(a.url, tenant, later)).status).toBe(200);
    expect((await lifecycle.use(b.url, tenant, later)).status).toBe(401);
  }, 60_000);
});
