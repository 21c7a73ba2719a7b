// The repository's contract, on every engine (describe.each): what one engine does, the other
// must too. Lists never show a state older than the last write; inserts of one turn commit
// together, each failing alone; a reseed wipes and re-seeds in one transaction.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuplicateKey, OwnerGone } from '../../src/db/errors.js';
import type { KeyRow } from '../../src/db/key-store.js';
import { openStorage, type Storage } from '../../src/db/open.js';
import { ENGINES } from '../support/postgres.js';

describe.each(ENGINES)('key store on $engine', ({ engine, database }) => {
  let storage: Storage;
  let tenantId: string;
  let clock = 0;

  beforeEach(async () => {
    storage = await openStorage({ db: await database(), poolSize: 4, journalSize: 100, instance: 'test' });
    tenantId = (
      await storage.keys.ensureTenant({ id: randomUUID(), vendor: 'baseten', name: 'acme', createdAt: new Date(0) })
    ).id;
  });
  afterEach(() => storage.close());

  const key = (name: string, extra: Partial<KeyRow> = {}): KeyRow => ({
    id: randomUUID(),
    vendor: 'baseten',
    tenantId,
    projectId: null,
    name,
    kind: 'PERSONAL',
    scopes: ['m1', 'm2'],
    lookupId: randomUUID().slice(0, 8),
    hash: '$argon2id$v=19$m=1024,t=1,p=1$c2FsdA$aGFzaA',
    createdBy: 'test',
    createdAt: new Date(Date.UTC(2026, 0, 1) + clock++ * 1000),
    expiresAt: null,
    lastUsedAt: null,
    revokedAt: null,
    uniqueName: null,
    root: false,
    ...extra,
  });
  const names = async (filter = {}) => (await storage.keys.listKeys({ tenantId, ...filter })).map((row) => row.name);

  it('reads back every column as written, oldest first', async () => {
    const first = key('a', { expiresAt: new Date(Date.UTC(2027, 0, 1)), scopes: null });
    await storage.keys.insertKey(first);
    await storage.keys.insertKey(key('b'));
    expect((await storage.keys.listKeys({ tenantId }))[0]).toEqual(first);
    expect(await storage.keys.findKeyById(first.id)).toEqual(first);
    expect(await storage.keys.findKeyByLookup('baseten', first.lookupId)).toEqual(first);
    expect(await names()).toEqual(['a', 'b']);
  });

  it('never answers a list from before the last write', async () => {
    const a = key('a');
    await storage.keys.insertKey(a);
    expect(await names()).toEqual(['a']);
    await storage.keys.insertKey(key('b'));
    expect(await names()).toEqual(['a', 'b']);
    await storage.keys.markRevoked(a.id, new Date(4000));
    expect(await names()).toEqual(['b']);
    expect(await names({ includeRevoked: true })).toEqual(['a', 'b']);
    await storage.keys.touchLastUsed([{ id: a.id, at: new Date(5000) }]);
    expect((await storage.keys.listKeys({ tenantId, includeRevoked: true }))[0]!.lastUsedAt).toEqual(new Date(5000));
    await storage.reseed({ vendor: 'baseten' }, async () => undefined);
    expect(await names()).toEqual([]);
  });

  it('never moves a last use back', async () => {
    const a = key('a');
    await storage.keys.insertKey(a);
    await storage.keys.touchLastUsed([{ id: a.id, at: new Date(9000) }]);
    await storage.keys.touchLastUsed([{ id: a.id, at: new Date(3000) }]);
    expect((await storage.keys.findKeyById(a.id))!.lastUsedAt).toEqual(new Date(9000));
  });

  it('hands out fresh rows: changing one changes no later answer', async () => {
    await storage.keys.insertKey(key('a'));
    const [row] = await storage.keys.listKeys({ tenantId });
    row!.scopes!.push('tampered');
    row!.createdAt.setTime(0);
    const [again] = await storage.keys.listKeys({ tenantId });
    expect(again!.scopes).toEqual(['m1', 'm2']);
    expect(again!.createdAt.getTime()).not.toBe(0);
  });

  it('keeps unique names unique among live keys, and frees a name when its key is revoked', async () => {
    const first = key('ci', { uniqueName: 'ci' });
    await storage.keys.insertKey(first);
    await expect(storage.keys.insertKey(key('ci', { uniqueName: 'ci' }))).rejects.toEqual(
      new DuplicateKey('uniqueName'),
    );
    await storage.keys.insertKey(key('ci')); // names are unique only where the dialect asks
    await storage.keys.markRevoked(first.id, new Date());
    await storage.keys.insertKey(key('ci', { uniqueName: 'ci' }));
    expect(await names({ name: 'ci' })).toEqual(['ci', 'ci']);
  });

  it('refuses a key whose tenant is gone', async () => {
    await expect(storage.keys.insertKey(key('orphan', { tenantId: randomUUID() }))).rejects.toEqual(new OwnerGone());
  });

  it('stores a tenant, a project and a setting once, answering racing callers with the one stored', async () => {
    const racing = await Promise.all(
      Array.from({ length: 5 }, () =>
        storage.keys.ensureTenant({ id: randomUUID(), vendor: 'peaka', name: 'race', createdAt: new Date(0) }),
      ),
    );
    expect(new Set(racing.map((t) => t.id)).size).toBe(1);
    const project = {
      id: randomUUID(),
      tenantId: racing[0]!.id,
      vendor: 'peaka',
      externalId: 'Prj00001',
      createdAt: new Date(0),
    };
    const projects = await Promise.all([
      storage.keys.ensureProject(project),
      storage.keys.ensureProject({ ...project, id: randomUUID() }),
    ]);
    expect(projects[1]).toEqual(projects[0]);
    expect(await storage.keys.listProjects(racing[0]!.id)).toEqual([projects[0]]);
    const values = await Promise.all([storage.keys.ensureSetting('s', 'one'), storage.keys.ensureSetting('s', 'two')]);
    expect(values[1]).toBe(values[0]);
    expect(await storage.keys.ensureSetting('s', 'three')).toBe(values[0]);
  });

  describe('group commit of key inserts', () => {
    const row = (lookupId: string): KeyRow => key(lookupId, { lookupId });

    it('commits the inserts of one turn together, each resolving once its row is stored', async () => {
      const inserts = Array.from({ length: 20 }, (_, i) =>
        storage.keys.insertKey(row(`look${String(i).padStart(4, '0')}`)),
      );
      await Promise.all(inserts);
      expect(await storage.keys.listKeys({ tenantId })).toHaveLength(20);
    });

    it('fails only the row whose lookup id is taken, and commits the rest', async () => {
      await storage.keys.insertKey(row('taken000'));
      const results = await Promise.allSettled([
        storage.keys.insertKey(row('fresh001')),
        storage.keys.insertKey(row('taken000')),
        storage.keys.insertKey(row('fresh002')),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect((results[1] as PromiseRejectedResult).reason).toEqual(new DuplicateKey('lookupId'));
      expect((await storage.keys.listKeys({ tenantId })).map((r) => r.lookupId).sort()).toEqual([
        'fresh001',
        'fresh002',
        'taken000',
      ]);
    });

    it('commits waiting inserts before a wipe: acknowledged, then wiped with the rest', async () => {
      const beforeWipe = storage.keys.insertKey(row('wiped001'));
      await storage.reseed({ vendor: 'baseten' }, async () => undefined);
      await beforeWipe;
      expect(await storage.keys.listKeys({ tenantId })).toEqual([]);
    });
  });

  describe('reseed', () => {
    it('wipes and re-seeds in one transaction: a failing seed leaves everything as it was', async () => {
      await storage.keys.insertKey(key('kept'));
      await expect(
        storage.reseed({}, async (tx) => {
          await tx.ensureTenant({ id: randomUUID(), vendor: 'baseten', name: 'half-seeded', createdAt: new Date(0) });
          throw new Error('seed failed');
        }),
      ).rejects.toThrow('seed failed');
      expect(await names()).toEqual(['kept']);
      expect(await storage.keys.findTenant('baseten', 'half-seeded')).toBeUndefined();
    });

    it('shows other calls the state before it or after it, never between', async () => {
      let wiped!: () => void;
      const inside = new Promise<void>((resolve) => (wiped = resolve));
      let seeded!: () => void;
      const gate = new Promise<void>((resolve) => (seeded = resolve));
      const reseeding = storage.reseed({}, async (tx) => {
        wiped();
        await gate; // wiped, not yet re-seeded
        await tx.ensureTenant({ id: randomUUID(), vendor: 'baseten', name: 'acme', createdAt: new Date(0) });
      });
      await inside;
      const meanwhile = storage.keys.findTenant('baseten', 'acme');
      // PostgreSQL answers from the state before while the reseed is still open; SQLite holds the call until it commits.
      if (engine === 'postgres') expect(await meanwhile).toBeDefined();
      seeded();
      await reseeding;
      expect(await meanwhile).toBeDefined();
    });
  });
});

// Two storages on one PostgreSQL database are two instances in one process: what one writes,
// the other lists at once (its cached list was dropped before the write answered).
describe.each(ENGINES.filter((e) => e.engine === 'postgres'))(
  'two storages on one $engine database',
  ({ database }) => {
    let a: Storage;
    let b: Storage;
    let tenantId: string;

    beforeEach(async () => {
      const db = await database();
      a = await openStorage({ db, poolSize: 2, journalSize: 10, instance: 'a' });
      b = await openStorage({ db, poolSize: 2, journalSize: 10, instance: 'b' });
      tenantId = (
        await a.keys.ensureTenant({ id: randomUUID(), vendor: 'baseten', name: 'acme', createdAt: new Date(0) })
      ).id;
    });
    afterEach(async () => {
      await a.close();
      await b.close();
    });

    const key = (lookupId: string): KeyRow => ({
      id: randomUUID(),
      vendor: 'baseten',
      tenantId,
      projectId: null,
      name: lookupId,
      kind: 'PERSONAL',
      scopes: null,
      lookupId,
      hash: '$argon2id$v=19$m=1024,t=1,p=1$c2FsdA$aGFzaA',
      createdBy: 'test',
      createdAt: new Date(),
      expiresAt: null,
      lastUsedAt: null,
      revokedAt: null,
      uniqueName: null,
      root: false,
    });
    const names = async (storage: Storage) => (await storage.keys.listKeys({ tenantId })).map((row) => row.name);

    it('lists on one what the other wrote, though the first had cached the list', async () => {
      expect(await names(a)).toEqual([]);
      const row = key('first001');
      await b.keys.insertKey(row);
      expect(await names(a)).toEqual(['first001']);
      await b.keys.markRevoked(row.id, new Date());
      expect(await names(a)).toEqual([]);
    });

    it('lets only one of two racing inserts have a lookup id', async () => {
      const results = await Promise.allSettled([a.keys.insertKey(key('samelook')), b.keys.insertKey(key('samelook'))]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      expect(await names(b)).toEqual(['samelook']);
    });
  },
);
