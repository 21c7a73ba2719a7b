// --rate-limit counts on PostgreSQL: one statement counts a hit on the database's clock, read
// once, so a window's end and the time it has left always agree.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openStorage, type Storage } from '../../src/db/open.js';
import { describeWithPostgres, freshDatabase } from '../support/postgres.js';

describeWithPostgres('rate-limit counts on PostgreSQL', () => {
  let storage: Storage;
  beforeAll(async () => {
    storage = await openStorage({ db: await freshDatabase(), poolSize: 4, journalSize: 10, instance: 'test' });
  });
  afterAll(() => storage?.close());

  it('answers a new window with exactly its length left: one reading of the clock', async () => {
    // Read apart, the readings were a millisecond or more apart in 27 of 400 calls here.
    const answers = await Promise.all(Array.from({ length: 400 }, () => storage.rateLimits!.increment(randomUUID(), 60_000)));
    expect(answers.filter((a) => a.msLeft !== 60_000 || a.hits !== 1)).toEqual([]);
  });

  it('counts within a window and starts the next one afresh', async () => {
    const key = randomUUID();
    const counts = [];
    for (let i = 0; i < 3; i++) counts.push((await storage.rateLimits!.increment(key, 200)).hits);
    expect(counts).toEqual([1, 2, 3]);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await storage.rateLimits!.increment(key, 200)).toEqual({ hits: 1, msLeft: 200 });
  });
});
