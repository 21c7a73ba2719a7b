import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { adminHeaders, buildTestApp, useTestApp } from '../helper.js';

const DEMO_KEY = 'kfdemo01.BasetenDemoKey000000000000000000';

const createKey = (app: FastifyInstance, key = DEMO_KEY, url = '/v1/api_keys') =>
  app.inject({ method: 'POST', url, headers: { authorization: `Api-Key ${key}` }, payload: { type: 'PERSONAL' } });
const admin = (app: FastifyInstance, method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, payload?: object) =>
  app.inject({ method, url, headers: adminHeaders, ...(payload ? { payload } : {}) });

describe('POST /_keyforge/reset', () => {
  const app = useTestApp();

  it('wipes keys and tenants, then re-applies the demo credentials', async () => {
    const issued = (await createKey(app())).json().api_key;
    await admin(app(), 'POST', '/_keyforge/tenants', { vendor: 'baseten', tenant: 'gone-after-reset' });
    const res = await admin(app(), 'POST', '/_keyforge/reset');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ reset: ['basic', 'baseten', 'bytebeam', 'peaka', 'imtegrate'] });
    expect((await createKey(app(), issued)).statusCode).toBe(401);
    expect((await createKey(app())).statusCode).toBe(200);
    const keys = (await admin(app(), 'GET', '/_keyforge/keys?tenant=gone-after-reset')).json().keys;
    expect(keys).toEqual([]);
  });

  it('resets one vendor with ?vendor=', async () => {
    const res = await admin(app(), 'POST', '/_keyforge/reset?vendor=baseten');
    expect(res.json()).toEqual({ reset: ['baseten'] });
    expect((await admin(app(), 'POST', '/_keyforge/reset?vendor=nope')).statusCode).toBe(400);
  });

  it('is atomic under concurrent creates: every call sees the state before or after, never between', async () => {
    const calls = Array.from({ length: 40 }, (_, i) =>
      i === 20 ? admin(app(), 'POST', '/_keyforge/reset') : createKey(app()),
    );
    const results = await Promise.all(calls);
    expect(results.map((r) => r.statusCode)).toEqual(Array.from({ length: 40 }, () => 200));
    const keys = (await admin(app(), 'GET', '/_keyforge/keys?vendor=baseten')).json().keys as Array<{
      name: string | null;
    }>;
    // The demo root plus the creates that ran after the reset; none of those before it.
    expect(keys.length).toBeGreaterThanOrEqual(1);
    expect(keys.length).toBeLessThanOrEqual(40);
  });
});

describe('GET /_keyforge/requests', () => {
  it('journals vendor calls newest first with secrets redacted, and logs none either', async () => {
    let logs = '';
    const logStream = new Writable({ write: (chunk, _enc, done) => ((logs += chunk.toString()), done()) });
    const app = await buildTestApp({ logLevel: 'trace', journalSize: 3 }, { logStream });
    try {
      const secrets = [DEMO_KEY];
      for (let i = 0; i < 3; i++) secrets.push((await createKey(app)).json().api_key);
      await app.inject({
        method: 'POST',
        url: '/baseten/v1/api_keys',
        headers: { authorization: `Api-Key ${secrets[1]}`, 'content-type': 'application/json' },
        payload: '{"type": nope}',
      });
      const { requests } = (await admin(app, 'GET', '/_keyforge/requests?vendor=baseten&limit=2')).json();
      expect(requests).toHaveLength(2);
      expect(requests[0]).toMatchObject({
        vendor: 'baseten',
        method: 'POST',
        path: '/baseten/v1/api_keys',
        status: 422,
        latencyMs: expect.any(Number),
        request: { headers: { authorization: 'Api-Key [redacted]' }, body: '{"type": nope}' },
        response: {
          contentType: expect.stringMatching(/^application\/json/),
          body: expect.stringContaining('json_invalid'),
        },
      });
      expect(requests[1]).toMatchObject({ status: 200, response: { body: '{"api_key":"[redacted]"}' } });
      expect((await admin(app, 'GET', '/_keyforge/requests')).json().requests).toHaveLength(3); // ring buffer of 3

      const journal = (await admin(app, 'GET', '/_keyforge/requests')).body;
      for (const secret of secrets) {
        expect(journal).not.toContain(secret);
        expect(logs).not.toContain(secret);
        expect(logs).not.toContain(secret.split('.')[1]);
      }
      expect(logs).toContain('incoming request'); // the log really did record the calls
      // Request lines come from each request's own child logger, bound to its id.
      for (const line of logs.split('\n').filter((l) => l.includes('incoming request')))
        expect(JSON.parse(line)).toHaveProperty('reqId');
    } finally {
      await app.close();
    }
  });

  it('keeps the newest entries in order as the ring wraps, and records bodies no parser read', async () => {
    const app = await buildTestApp({ journalSize: 4 });
    try {
      for (let i = 0; i < 6; i++) await createKey(app);
      // Without a credential Bytebeam answers 401 before its body parser runs: the journal reads the body itself.
      await app.inject({
        method: 'POST',
        url: '/api/v1/apikeys',
        headers: { 'content-type': 'text/csv', 'x-bytebeam-tenant': 'demo-tenant' },
        payload: 'a,b,c',
      });
      const { requests } = (await admin(app, 'GET', '/_keyforge/requests')).json() as {
        requests: Array<{ id: number; time: string; status: number; request: { body: string | null } }>;
      };
      // Ids start at the process's start time in microseconds (they grow across restarts); the newest four of seven.
      const ids = requests.map((r) => r.id);
      expect(ids.map((id) => id - ids[3]!)).toEqual([3, 2, 1, 0]);
      expect(requests[0]).toMatchObject({ status: 401, refusal: 'authentication', request: { body: 'a,b,c' } });
      expect(new Date(requests[0]!.time).toISOString()).toBe(requests[0]!.time);
      await admin(app, 'POST', '/_keyforge/reset?vendor=bytebeam'); // also clears that vendor's journal
      expect((await admin(app, 'GET', '/_keyforge/requests')).json().requests.map((r: { id: number }) => r.id)).toEqual(
        ids.slice(1),
      );
    } finally {
      await app.close();
    }
  });

  it('does not journal admin calls', async () => {
    const app = await buildTestApp();
    try {
      await admin(app, 'GET', '/_keyforge/keys');
      expect((await admin(app, 'GET', '/_keyforge/requests')).json()).toEqual({ requests: [] });
    } finally {
      await app.close();
    }
  });
});

describe('/_keyforge/faults', () => {
  it('answers the fault status in the vendor’s shape before auth, and clears itself after count hits', async () => {
    const app = await buildTestApp();
    try {
      const put = await admin(app, 'PUT', '/_keyforge/faults', { vendor: 'baseten', status: 503, count: 2 });
      expect(put.statusCode).toBe(201);
      expect(put.json()).toMatchObject({
        id: 1,
        vendor: 'baseten',
        status: 503,
        probability: 1,
        count: 2,
        hits: 0,
        remaining: 2,
      });
      for (let i = 0; i < 2; i++) {
        const res = await app.inject({ method: 'POST', url: '/v1/api_keys', payload: {} }); // no credential at all
        expect(res.statusCode).toBe(503);
        expect(res.json()).toEqual({ detail: 'Service Unavailable' });
      }
      expect((await createKey(app)).statusCode).toBe(200);
      expect((await admin(app, 'GET', '/_keyforge/faults')).json()).toEqual({ faults: [] });
    } finally {
      await app.close();
    }
  });

  it('fires with the given probability', async () => {
    const draws = [0.1, 0.9, 0.4, 0.6];
    const app = await buildTestApp({}, { random: () => draws.shift() ?? 0.99 });
    try {
      await admin(app, 'PUT', '/_keyforge/faults', { vendor: 'baseten', status: 500, probability: 0.5 });
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await createKey(app)).statusCode);
      expect(statuses).toEqual([500, 200, 500, 200, 200]);
    } finally {
      await app.close();
    }
  });

  it('adds latency, matches a path prefix on either mount, and is cleared by DELETE', async () => {
    const app = await buildTestApp();
    try {
      await admin(app, 'PUT', '/_keyforge/faults', { vendor: 'baseten', path: '/v1/api_keys', latencyMs: 150 });
      await admin(app, 'PUT', '/_keyforge/faults', { vendor: 'baseten', path: '/v1/other', status: 418 });
      const started = Date.now();
      expect((await createKey(app, DEMO_KEY, '/baseten/v1/api_keys')).statusCode).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
      expect((await admin(app, 'DELETE', '/_keyforge/faults?vendor=baseten')).json()).toEqual({ cleared: 2 });
    } finally {
      await app.close();
    }
  });

  it.each([
    [{ vendor: 'baseten' }],
    [{ vendor: 'baseten', status: 200 }],
    [{ vendor: 'baseten', status: 503, probability: 2 }],
    [{ vendor: 'nobody', status: 503 }],
  ])('refuses an invalid fault %j with 400', async (payload) => {
    const app = await buildTestApp();
    try {
      const res = await admin(app, 'PUT', '/_keyforge/faults', payload);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ error: 'Bad Request', message: expect.any(String) });
    } finally {
      await app.close();
    }
  });
});

describe('--auth any', () => {
  const app = useTestApp({ auth: 'any' });
  const madeUp = `madeUp01.${'m'.repeat(32)}`;

  it('accepts a made-up well-formed key and gives it a tenant of its own', async () => {
    const res = await createKey(app(), madeUp);
    expect(res.statusCode).toBe(200);
    const keys = (await admin(app(), 'GET', '/_keyforge/keys?tenant=any-madeUp01')).json().keys;
    expect(keys.map((k: { prefix: string }) => k.prefix)).toContain('madeUp01');
    expect((await createKey(app(), res.json().api_key)).statusCode).toBe(200);
  });

  it('still refuses malformed keys, wrong secrets for known keys, and deleted keys', async () => {
    expect((await createKey(app(), 'not-a-key')).statusCode).toBe(401);
    expect((await createKey(app(), `madeUp01.${'x'.repeat(32)}`)).statusCode).toBe(401);
    const issued = (await createKey(app(), madeUp)).json().api_key as string;
    const del = await app().inject({
      method: 'DELETE',
      url: `/v1/api_keys/${issued.split('.')[0]}`,
      headers: { authorization: `Api-Key ${madeUp}` },
    });
    expect(del.statusCode).toBe(200);
    expect((await createKey(app(), issued)).statusCode).toBe(401);
  });
});

describe('--rate-limit', () => {
  const app = useTestApp({ rateLimit: 3 });

  it('answers 429 in the vendor’s shape once a credential exceeds its calls per minute', async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await createKey(app())).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await createKey(app());
    expect(limited.json()).toEqual({ detail: 'Too Many Requests' });
    expect(limited.headers['retry-after']).toBeDefined();
  });

  it('counts each credential on its own and never limits the admin API', async () => {
    const other = (
      await admin(app(), 'POST', '/_keyforge/tenants', { vendor: 'baseten', tenant: 'rate-other' })
    ).json();
    const secret = other.request.headers.Authorization.replace('Api-Key ', '');
    expect((await createKey(app(), secret)).statusCode).toBe(200);
    for (let i = 0; i < 5; i++) expect((await admin(app(), 'GET', '/_keyforge/keys')).statusCode).toBe(200);
  });
});
