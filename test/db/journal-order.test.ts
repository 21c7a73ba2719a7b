// The PostgreSQL journal's ids are committed in order, whichever instance writes: a subscriber
// that has seen id N never gets an id below N later, so it misses none. Two storages on one
// database write at once, one in slow batches (a trigger makes each of its rows take a
// millisecond after it took its id), the other an entry at a time; a third follows the journal
// live and must receive every row stored.
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openStorage, type Storage } from '../../src/db/open.js';
import type { JournalRecord } from '../../src/db/shared-state.js';
import { describeWithPostgres, freshDatabase } from '../support/postgres.js';

const entry = (instance: string, i: number): Omit<JournalRecord, 'id'> => ({
  at: Date.now(),
  emulatedAt: null,
  instance,
  vendor: 'baseten',
  method: 'GET',
  path: `/v1/api_keys?${i}`,
  status: 200,
  latencyMs: 1,
  tenant: null,
  keyId: null,
  requestHeaders: 'host\nlocalhost',
  requestBody: null,
  responseHeaders: 'content-type\napplication/json',
  responseType: 'application/json',
  responseBody: '{"keys":[]}',
  refusal: null,
});

describeWithPostgres('journal ids on PostgreSQL', () => {
  const storages: Storage[] = [];
  beforeAll(async () => {
    const db = await freshDatabase();
    for (const instance of ['big', 'small', 'reader'])
      storages.push(await openStorage({ db, poolSize: 4, journalSize: 100_000, instance }));
    const client = new pg.Client({ connectionString: db });
    await client.connect();
    await client.query(
      `create function slow_big() returns trigger language plpgsql as $$ begin if new.instance = 'big' then perform pg_sleep(0.001); end if; return new; end $$`,
    );
    await client.query('create trigger slow_big before insert on journal for each row execute function slow_big()');
    await client.end();
  });
  afterAll(async () => {
    await Promise.all(storages.map((s) => s.close()));
  });

  it('reach a live reader in commit order: every stored row, once', async () => {
    const [big, small, reader] = storages as [Storage, Storage, Storage];
    const received: number[] = [];
    const unsubscribe = reader.journal.subscribe((record) => received.push(record.id));
    // The reader has found where the journal starts once it receives a first entry.
    small.journal.append(entry('small', -1));
    await expect.poll(() => received.length, { timeout: 20_000 }).toBe(1);
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 1000; i++) big.journal.append(entry('big', i)); // one batch of 1,000, flushed at once: a second or more
      for (let i = 0; i < 20; i++) {
        small.journal.append(entry('small', i)); // flushed every 100 ms meanwhile
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    // A read waits for the others' flushes at most ACK_TIMEOUT_MS; these take longer.
    const storedIds = async () =>
      (await reader.journal.list({ limit: 100_000 })).map((r) => r.id).sort((x, y) => x - y);
    await expect.poll(async () => (await storedIds()).length, { timeout: 60_000, interval: 500 }).toBe(3 * 1020 + 1);
    const stored = await storedIds();
    await expect.poll(() => received.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(stored.length);
    unsubscribe();
    expect([...received].sort((x, y) => x - y)).toEqual(stored);
  }, 120_000);
});
