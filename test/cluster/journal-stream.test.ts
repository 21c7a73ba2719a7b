// The live journal over two real instances: every entry reaches a stream exactly once however
// the instances interleave their writes (ids are committed in order), and a client that
// reconnects with Last-Event-ID after an instance restarted gets every entry it missed, once
// (ids are unique across instances and restarts: a new process does not count from 1 again).
import { beforeAll, expect, it } from 'vitest';
import { describeWithPostgres, freshDatabase } from '../support/postgres.js';
import { openSse, type SseConnection } from '../support/sse.js';
import { ADMIN_TOKEN, adminCall, LIFECYCLES, newTenant, startInstances, type Instance } from './support.js';

const ADMIN = { authorization: `Bearer ${ADMIN_TOKEN}` };
const ids = (stream: SseConnection) => stream.events.map((e) => Number(e.id));
const journalIds = async (instance: Instance) =>
  ((await adminCall(instance.url, 'GET', '/_keyforge/requests')).body.requests as Array<{ id: number }>)
    .map((r) => r.id)
    .sort((x, y) => x - y);

describeWithPostgres('the journal stream across instances and restarts', () => {
  let db: string;
  let a: Instance;
  let b: Instance;

  beforeAll(async () => {
    db = await freshDatabase();
    a = (await startInstances(db, ['a']))[0]!;
    b = (await startInstances(db, ['b']))[0]!;
  }, 60_000);

  it('delivers every entry once, however the instances interleave their writes', async () => {
    const tenant = await newTenant(a.url, 'baseten');
    const stream = await openSse(`${a.url}/_keyforge/requests/stream`, ADMIN);
    try {
      await stream.waitForComment('connected');
      for (let round = 0; round < 8; round++) {
        await Promise.all(Array.from({ length: 8 }, (_, i) => LIFECYCLES.baseten.list(i % 2 ? a.url : b.url, tenant)));
      }
      const journaled = await journalIds(b);
      expect(journaled).toHaveLength(64);
      await stream.waitForEvents(64, 10_000);
      await new Promise((resolve) => setTimeout(resolve, 300)); // nothing more comes
      expect([...ids(stream)].sort((x, y) => x - y)).toEqual(journaled);
    } finally {
      stream.close();
    }
  });

  it('gives a client reconnecting after a restart every entry it missed, once, and goes on live', async () => {
    const tenant = await newTenant(b.url, 'imtegrate');
    const first = await openSse(`${a.url}/_keyforge/requests/stream`, ADMIN);
    await first.waitForComment('connected');
    for (const instance of [a, b, a]) await LIFECYCLES.imtegrate.list(instance.url, tenant);
    await first.waitForEvents(3, 10_000);
    const lastSeen = Math.max(...ids(first));
    first.close();

    await LIFECYCLES.imtegrate.list(a.url, tenant); // written as A shuts down
    await a.stop('SIGTERM');
    for (let i = 0; i < 3; i++) await LIFECYCLES.imtegrate.list(b.url, tenant);
    a = (await startInstances(db, ['a']))[0]!;
    for (let i = 0; i < 2; i++) await LIFECYCLES.imtegrate.list(a.url, tenant);

    const missed = (await journalIds(a)).filter((id) => id > lastSeen);
    expect(missed).toHaveLength(6);
    const again = await openSse(`${a.url}/_keyforge/requests/stream`, { ...ADMIN, 'last-event-id': String(lastSeen) });
    try {
      await again.waitForEvents(6, 10_000);
      await LIFECYCLES.imtegrate.list(b.url, tenant);
      await again.waitForEvents(7, 10_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const received = ids(again);
      expect(received.slice(0, 6).sort((x, y) => x - y)).toEqual(missed);
      expect(received).toHaveLength(7);
      expect(received[6]).toBeGreaterThan(Math.max(...missed));
    } finally {
      again.close();
    }
  }, 60_000);
});
