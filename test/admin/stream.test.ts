// GET /_keyforge/requests/stream over real HTTP with a plain client (node:http): one event per
// vendor call with who made it, filtered by vendor, heartbeats, replay after Last-Event-ID, the
// admin token, a reconnection after a restart, and a graceful close that does not wait on open
// streams. On PostgreSQL: a stream on one instance shows the calls another instance served.
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../src/vendors/index.js';
import { adminHeaders, buildTestApp, TEST_ADMIN_TOKEN } from '../helper.js';
import { openSse, type SseConnection } from '../support/sse.js';
import { describeWithPostgres, freshDatabase } from '../support/postgres.js';

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

/** Each vendor's demo create call, as the banner prints it. */
async function createWithDemo(url: string, vendor: string): Promise<number> {
  const dialect = DIALECTS.find((d) => d.name === vendor)!;
  const { method, path, headers, body } = dialect.createKeyRequest(dialect.demo);
  const response = await fetch(url + path, {
    method,
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  await response.arrayBuffer();
  return response.status;
}

const entryOf = (connection: SseConnection, index: number) => JSON.parse(connection.events[index]!.data);

describe('GET /_keyforge/requests/stream', () => {
  let app: FastifyInstance;
  let url: string;

  beforeAll(async () => {
    app = await buildTestApp({ instance: 'stream-test' }, { streamHeartbeatMs: 50 });
    url = await listen(app);
  });
  afterAll(() => app.close());

  it('answers 401 without the admin token or with a wrong one, and takes none in the URL', async () => {
    expect((await openSse(`${url}/_keyforge/requests/stream`)).status).toBe(401);
    expect((await openSse(`${url}/_keyforge/requests/stream`, { authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await openSse(`${url}/_keyforge/requests/stream?token=${TEST_ADMIN_TOKEN}`)).status).toBe(401);
  });

  it('sends each vendor call as one event as it happens: the journal entry with instance, tenant and key id', async () => {
    const stream = await openSse(`${url}/_keyforge/requests/stream`, adminHeaders);
    try {
      expect(stream.status).toBe(200);
      expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
      expect(stream.headers['cache-control']).toContain('no-cache');
      await stream.waitForComment('connected');
      for (const dialect of DIALECTS) expect(await createWithDemo(url, dialect.name)).toBeLessThan(300);
      await stream.waitForEvents(DIALECTS.length);
      const keys = (await app.inject({ url: '/_keyforge/keys', headers: adminHeaders })).json().keys as Array<{
        id: string;
        vendor: string;
        tenant: string;
        kind: string;
      }>;
      DIALECTS.forEach((dialect, i) => {
        const entry = entryOf(stream, i);
        expect(stream.events[i]!.id).toBe(String(entry.id));
        expect(entry).toMatchObject({
          vendor: dialect.name,
          method: 'POST',
          instance: 'stream-test',
          tenant: dialect.demo.tenant,
          status: expect.any(Number),
        });
        // The key id names the demo root credential, as the keys listing shows it.
        expect(
          keys.find((k) => k.id === entry.keyId),
          `${dialect.name} key ${entry.keyId}`,
        ).toMatchObject({ vendor: dialect.name, tenant: dialect.demo.tenant });
        expect(JSON.stringify(entry)).not.toContain(dialect.demo.secret);
      });
    } finally {
      stream.close();
    }
  });

  it('filters by ?vendor= and keeps an idle stream alive with heartbeat comments', async () => {
    const stream = await openSse(`${url}/_keyforge/requests/stream?vendor=peaka`, adminHeaders);
    try {
      await stream.waitForComment('connected');
      await createWithDemo(url, 'baseten');
      await createWithDemo(url, 'peaka');
      const [event] = await stream.waitForEvents(1);
      expect(JSON.parse(event!.data).vendor).toBe('peaka');
      await stream.waitForComment('heartbeat');
      expect(stream.events).toHaveLength(1);
      expect((await openSse(`${url}/_keyforge/requests/stream?vendor=nope`, adminHeaders)).status).toBe(400);
    } finally {
      stream.close();
    }
  });

  it('replays the entries after Last-Event-ID that the journal still holds, then goes on live', async () => {
    const first = await openSse(`${url}/_keyforge/requests/stream`, adminHeaders);
    await first.waitForComment('connected');
    await createWithDemo(url, 'baseten');
    const [seen] = await first.waitForEvents(1);
    first.close();
    await createWithDemo(url, 'imtegrate'); // missed while disconnected
    const again = await openSse(`${url}/_keyforge/requests/stream`, { ...adminHeaders, 'last-event-id': seen!.id! });
    try {
      await again.waitForEvents(1);
      expect(entryOf(again, 0)).toMatchObject({ vendor: 'imtegrate', id: Number(seen!.id) + 1 });
      await createWithDemo(url, 'bytebeam');
      await again.waitForEvents(2);
      expect(entryOf(again, 1).vendor).toBe('bytebeam');
    } finally {
      again.close();
    }
  });

  it('sends new calls even after a Last-Event-ID beyond every id (one another keyforge gave)', async () => {
    const stream = await openSse(`${url}/_keyforge/requests/stream`, {
      ...adminHeaders,
      'last-event-id': String(Number.MAX_SAFE_INTEGER),
    });
    try {
      await stream.waitForComment('connected');
      await createWithDemo(url, 'peaka');
      await stream.waitForEvents(1);
      expect(entryOf(stream, 0).vendor).toBe('peaka');
    } finally {
      stream.close();
    }
  });

  it('is not recorded in the journal itself', async () => {
    const { requests } = (await app.inject({ url: '/_keyforge/requests', headers: adminHeaders })).json();
    expect(requests.every((r: { path: string }) => !r.path.startsWith('/_keyforge'))).toBe(true);
  });
});

describe('the journal stream across a restart', () => {
  it('gives a client that reconnects to the new process every entry it missed: ids go on growing', async () => {
    const before = await buildTestApp({ instance: 'before' });
    const beforeUrl = await listen(before);
    const first = await openSse(`${beforeUrl}/_keyforge/requests/stream`, adminHeaders);
    await first.waitForComment('connected');
    for (const vendor of ['baseten', 'peaka', 'imtegrate']) await createWithDemo(beforeUrl, vendor);
    const lastSeen = Number((await first.waitForEvents(3))[2]!.id);
    first.close();
    await before.close();

    const after = await buildTestApp({ instance: 'after' });
    try {
      const url = await listen(after);
      for (const vendor of ['basic', 'bytebeam']) await createWithDemo(url, vendor); // missed while away
      const again = await openSse(`${url}/_keyforge/requests/stream`, {
        ...adminHeaders,
        'last-event-id': String(lastSeen),
      });
      try {
        const missed = await again.waitForEvents(2);
        expect(missed.map((e) => JSON.parse(e.data).vendor)).toEqual(['basic', 'bytebeam']);
        expect(missed.every((e) => Number(e.id) > lastSeen)).toBe(true);
        await createWithDemo(url, 'baseten');
        await again.waitForEvents(3);
        expect(new Set(again.events.map((e) => e.id)).size).toBe(3);
      } finally {
        again.close();
      }
    } finally {
      await after.close();
    }
  });
});

describe('closing the app with streams open', () => {
  it('ends every open stream, so app.close() resolves at once', async () => {
    const app = await buildTestApp();
    const url = await listen(app);
    const streams = await Promise.all([
      openSse(`${url}/_keyforge/requests/stream`, adminHeaders),
      openSse(`${url}/_keyforge/requests/stream`, adminHeaders),
    ]);
    await Promise.all(streams.map((s) => s.waitForComment('connected')));
    const started = Date.now();
    await app.close();
    await Promise.all(streams.map((s) => s.ended));
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describeWithPostgres('the journal stream across instances on one PostgreSQL database', () => {
  let a: FastifyInstance;
  let b: FastifyInstance;

  beforeAll(async () => {
    const db = await freshDatabase();
    a = await buildTestApp({ db, instance: 'instance-a' });
    b = await buildTestApp({ db, instance: 'instance-b' });
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
  });

  it('shows the calls every instance served, each naming its instance, tenant and key', async () => {
    const stream = await openSse(`${await listen(a)}/_keyforge/requests/stream`, adminHeaders);
    try {
      await stream.waitForComment('connected');
      const urlB = await listen(b);
      expect(await createWithDemo(urlB, 'baseten')).toBe(200);
      await stream.waitForEvents(1, 10_000);
      expect(entryOf(stream, 0)).toMatchObject({
        vendor: 'baseten',
        instance: 'instance-b',
        tenant: DIALECTS.find((d) => d.name === 'baseten')!.demo.tenant,
        keyId: expect.any(String),
      });
    } finally {
      stream.close();
    }
  });
});
