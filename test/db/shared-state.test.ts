// The contract of what instances share besides keys (src/db/shared-state.ts), on every engine
// (describe.each): faults, the journal and cluster events behave alike in one process (memory/)
// and on PostgreSQL (postgres/), by test rather than by hope.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KeyRow } from '../../src/db/key-store.js';
import { openStorage, type Storage } from '../../src/db/open.js';
import type { ClusterEvent, JournalRecord } from '../../src/db/shared-state.js';
import { ENGINES } from '../support/postgres.js';

const entry = (vendor: string, path: string): Omit<JournalRecord, 'id'> => ({
  at: Date.now(),
  emulatedAt: null,
  instance: 'test',
  vendor,
  method: 'GET',
  path,
  status: 200,
  latencyMs: 1,
  tenant: null,
  keyId: null,
  requestHeaders: 'host\nlocalhost',
  requestBody: null,
  responseHeaders: '',
  responseType: null,
  responseBody: null,
  refusal: null,
});

describe.each(ENGINES)('shared state on $engine', ({ database }) => {
  let storage: Storage;
  beforeEach(async () => {
    storage = await openStorage({ db: await database(), poolSize: 4, journalSize: 5, instance: 'test' });
  });
  afterEach(() => storage.close());

  describe('faults', () => {
    it('adds a fault that is in force at once, with no hits and its count left', async () => {
      const fault = await storage.faults.add({ vendor: 'baseten', path: '/v1', status: 503, probability: 1, count: 2 });
      expect(fault).toMatchObject({
        vendor: 'baseten',
        path: '/v1',
        status: 503,
        probability: 1,
        count: 2,
        hits: 0,
        remaining: 2,
      });
      expect(storage.faults.current()).toEqual([fault]);
      expect(await storage.faults.list()).toEqual([fault]);
    });

    it('counts hits until the count is used up, then the fault is gone', async () => {
      const { id } = await storage.faults.add({ vendor: 'peaka', latencyMs: 10, probability: 1, count: 2 });
      expect(await storage.faults.hit(id)).toMatchObject({ hits: 1, remaining: 1 });
      expect(await storage.faults.hit(id)).toMatchObject({ hits: 2, remaining: 0 });
      expect(await storage.faults.hit(id)).toBeNull();
      await expect.poll(() => storage.faults.current()).toEqual([]);
      expect(await storage.faults.list()).toEqual([]);
    });

    it('keeps a fault without a count for good, counting every hit', async () => {
      const { id } = await storage.faults.add({ vendor: 'basic', status: 500, probability: 0.5 });
      for (let i = 0; i < 3; i++) await storage.faults.hit(id);
      expect(await storage.faults.list()).toMatchObject([{ id, hits: 3, remaining: null }]);
    });

    it('clears one fault, one vendor’s or all, answering how many', async () => {
      const a = await storage.faults.add({ vendor: 'baseten', status: 500, probability: 1 });
      await storage.faults.add({ vendor: 'baseten', status: 502, probability: 1 });
      await storage.faults.add({ vendor: 'bytebeam', status: 503, probability: 1 });
      await storage.faults.add({ vendor: 'imtegrate', status: 504, probability: 1 });
      expect(await storage.faults.clear({ id: a.id })).toBe(1);
      expect(await storage.faults.clear({ vendor: 'baseten' })).toBe(1);
      expect(await storage.faults.clear({ vendor: 'peaka' })).toBe(0);
      expect(await storage.faults.clear({})).toBe(2);
      expect(storage.faults.current()).toEqual([]);
    });

    it('answers null for a hit on a fault that does not exist', async () => {
      expect(await storage.faults.hit(987_654)).toBeNull();
    });
  });

  describe('journal', () => {
    it('lists entries newest first, by vendor and up to a limit, with ids that grow', async () => {
      storage.journal.append(entry('baseten', '/a'));
      storage.journal.append(entry('peaka', '/b'));
      storage.journal.append(entry('baseten', '/c'));
      const all = await storage.journal.list({});
      expect(all.map((e) => e.path)).toEqual(['/c', '/b', '/a']);
      expect(all[0]!.id).toBeGreaterThan(all[1]!.id);
      expect(all[1]!.id).toBeGreaterThan(all[2]!.id);
      expect((await storage.journal.list({ vendor: 'baseten' })).map((e) => e.path)).toEqual(['/c', '/a']);
      expect((await storage.journal.list({ limit: 1 })).map((e) => e.path)).toEqual(['/c']);
    });

    it('keeps the newest --journal-size entries', async () => {
      for (let i = 0; i < 8; i++) storage.journal.append(entry('basic', `/${i}`));
      await expect
        .poll(async () => (await storage.journal.list({})).map((e) => e.path))
        .toEqual(['/7', '/6', '/5', '/4', '/3']);
    });

    it('tells a subscriber of every entry appended after it subscribed, until it unsubscribes', async () => {
      storage.journal.append(entry('basic', '/before'));
      await storage.journal.list({});
      const heard: string[] = [];
      const unsubscribe = storage.journal.subscribe((e) => heard.push(e.path));
      storage.journal.append(entry('basic', '/one'));
      storage.journal.append(entry('basic', '/two'));
      await expect.poll(() => heard).toEqual(['/one', '/two']);
      unsubscribe();
      storage.journal.append(entry('basic', '/three'));
      await storage.journal.list({});
      expect(heard).toEqual(['/one', '/two']);
    });

    it('forgets a reset vendor’s entries and keeps the others', async () => {
      storage.journal.append(entry('basic', '/kept'));
      storage.journal.append(entry('peaka', '/wiped'));
      await storage.journal.list({});
      await storage.reseed({ vendor: 'peaka' }, async () => undefined);
      expect((await storage.journal.list({})).map((e) => e.path)).toEqual(['/kept']);
    });
  });

  describe('cluster events', () => {
    const keyRow = (tenantId: string): KeyRow => ({
      id: randomUUID(),
      vendor: 'baseten',
      tenantId,
      projectId: null,
      name: 'k',
      kind: 'PERSONAL',
      scopes: null,
      lookupId: randomUUID().slice(0, 8),
      hash: '$argon2id$v=19$m=1024,t=1,p=1$c2FsdA$aGFzaA',
      createdBy: 'test',
      createdAt: new Date(0),
      expiresAt: null,
      lastUsedAt: null,
      revokedAt: null,
      uniqueName: null,
      root: false,
    });

    it('raises a revocation before the revoke resolves, and a reset before the reseed resolves', async () => {
      const heard: ClusterEvent[] = [];
      storage.events.subscribe((event) => heard.push(event));
      const tenant = await storage.keys.ensureTenant({
        id: randomUUID(),
        vendor: 'baseten',
        name: 'acme',
        createdAt: new Date(0),
      });
      const row = keyRow(tenant.id);
      await storage.keys.insertKey(row);
      await storage.keys.markRevoked(row.id, new Date(1000));
      expect(heard).toContainEqual({ type: 'revoked', ids: [row.id] });
      await storage.reseed({ vendor: 'baseten' }, async () => undefined);
      expect(heard.at(-1)).toMatchObject({ type: 'reset', vendor: 'baseten' });
      expect(storage.events.trustworthy).toBe(true);
    });
  });
});
