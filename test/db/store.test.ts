// The key store reads api_keys through its own prepared statements and keeps list results
// until the next write: a list must never show a state older than the last write.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type OpenedDatabase } from '../../src/db/client.js';
import type { KeyRow } from '../../src/db/schema.js';
import { createSqliteStore, type KeyStore } from '../../src/db/store.js';

let database: OpenedDatabase;
let store: KeyStore;
let tenantId: string;
let clock = 0;

beforeEach(() => {
  database = openDatabase(':memory:');
  store = createSqliteStore(database.db);
  tenantId = randomUUID();
  store.insertTenant({ id: tenantId, vendor: 'baseten', name: 'acme', createdAt: new Date(0) });
});
afterEach(() => database.close());

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
  ...extra,
});

describe('key store', () => {
  const names = () => store.listKeys({ tenantId }).map((row) => row.name);

  it('reads back every column as written, oldest first', () => {
    const first = key('a', { expiresAt: new Date(Date.UTC(2027, 0, 1)), projectId: null });
    store.insertKey(first);
    store.insertKey(key('b'));
    expect(store.listKeys({ tenantId })[0]).toEqual(first);
    expect(store.findKeyById(first.id)).toEqual(first);
    expect(store.findKeyByLookup('baseten', first.lookupId)).toEqual(first);
    expect(names()).toEqual(['a', 'b']);
  });

  it('never answers a list from before the last write', () => {
    const a = key('a');
    store.insertKey(a);
    expect(names()).toEqual(['a']);
    store.insertKey(key('b'));
    expect(names()).toEqual(['a', 'b']);
    store.markRevoked(a.id, new Date());
    expect(names()).toEqual(['b']);
    expect(store.listKeys({ tenantId, includeRevoked: true }).map((row) => row.name)).toEqual(['a', 'b']);
    store.touchLastUsed([{ id: a.id, at: new Date(5000) }]);
    expect(store.listKeys({ tenantId, includeRevoked: true })[0]!.lastUsedAt).toEqual(new Date(5000));
    store.wipe('baseten');
    expect(names()).toEqual([]);
  });

  it('forgets lists read inside a transaction that rolled back', () => {
    expect(() =>
      store.transaction(() => {
        store.insertKey(key('rolled-back'));
        expect(names()).toEqual(['rolled-back']);
        throw new Error('roll back');
      }),
    ).toThrow('roll back');
    expect(names()).toEqual([]);
  });

  it('hands out fresh rows: changing one changes no later answer', () => {
    store.insertKey(key('a'));
    const [row] = store.listKeys({ tenantId });
    row!.scopes!.push('tampered');
    row!.createdAt.setTime(0);
    const [again] = store.listKeys({ tenantId });
    expect(again!.scopes).toEqual(['m1', 'm2']);
    expect(again!.createdAt.getTime()).not.toBe(0);
  });
});

describe('group commit of key inserts', () => {
  const row = (lookupId: string): KeyRow => key(lookupId, { lookupId });

  it('commits the inserts of one turn together, each resolving once its row is stored', async () => {
    const inserts = Array.from({ length: 20 }, (_, i) => store.insertKeyInTurn(row(`look${String(i).padStart(4, '0')}`)));
    expect(store.listKeys({ tenantId })).toEqual([]); // nothing is committed before the turn ends
    await Promise.all(inserts);
    expect(store.listKeys({ tenantId })).toHaveLength(20);
  });

  it('fails only the row whose lookup id is taken, and commits the rest', async () => {
    store.insertKey(row('taken000'));
    const results = await Promise.allSettled([store.insertKeyInTurn(row('fresh001')), store.insertKeyInTurn(row('taken000')), store.insertKeyInTurn(row('fresh002'))]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'SQLITE_CONSTRAINT_UNIQUE' });
    expect(store.listKeys({ tenantId }).map((r) => r.lookupId).sort()).toEqual(['fresh001', 'fresh002', 'taken000']);
  });

  it('commits waiting inserts on flush and before a wipe', async () => {
    const waiting = store.insertKeyInTurn(row('flushed1'));
    store.flushWrites();
    expect(store.listKeys({ tenantId })).toHaveLength(1);
    await waiting;
    const beforeWipe = store.insertKeyInTurn(row('wiped001'));
    store.wipe('baseten');
    await beforeWipe; // acknowledged, then wiped with the rest
    expect(store.listKeys({ tenantId })).toEqual([]);
  });
});
