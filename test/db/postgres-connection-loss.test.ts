// A pool connection that dies while checked out (PostgreSQL restarted or a backend terminated
// mid-transaction) fails its transaction as "unavailable" and nothing else: node-postgres emits
// 'error' on such a client, which with no listener ended the whole process (issue 23's outage
// test caught it: the instance died on the first call after PostgreSQL stopped).
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { inTransaction, isConnectionFailure, openPostgres } from '../../src/db/postgres/client.js';
import { describeWithPostgres, freshDatabase } from '../support/postgres.js';

describeWithPostgres('a PostgreSQL connection lost while checked out', () => {
  let pool: pg.Pool | undefined;
  afterAll(() => pool?.end());

  it('rejects the transaction with a connection failure, and the pool keeps working', async () => {
    const url = await freshDatabase();
    ({ pool } = await openPostgres({ url, poolSize: 2, applicationName: 'keyforge connection-loss test' }));
    const running = inTransaction(pool, async ({ client }) => {
      const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
      const killer = new pg.Client({ connectionString: url });
      await killer.connect();
      await killer.query('select pg_terminate_backend($1)', [rows[0]!.pid]);
      await killer.end();
      await client.query('select 1'); // on the terminated connection
    });
    const failure = await running.then(
      () => null,
      (err: unknown) => err,
    );
    expect(failure, 'the transaction fails').not.toBeNull();
    expect(isConnectionFailure(failure), String(failure)).toBe(true);
    // The broken client was dropped on release: the next transaction gets a live one.
    expect(await inTransaction(pool, async ({ client }) => (await client.query('select 1 as one')).rows[0].one)).toBe(
      1,
    );
  });
});
