// PostgreSQL for tests: the server test/global-setup.ts provides, a fresh database per caller
// (dropped afterwards), and the engines the contract suites run on.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, inject } from 'vitest';

/** The server's URL, or undefined when no PostgreSQL is available. */
export function postgresUrl(): string | undefined {
  return inject('postgresUrl') || undefined;
}

/** `describe` when PostgreSQL is available, `describe.skip` otherwise. */
export const describeWithPostgres = (postgresUrl() ? describe : describe.skip) as typeof describe;

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: postgresUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const created: string[] = [];
// A drop takes 0.5-1 s on a loaded 2-core machine (fsync on), and a file may have made dozens.
afterAll(async () => {
  if (created.length === 0) return;
  await admin(async (client) => {
    for (const db of created.splice(0)) await client.query(`drop database if exists ${db} with (force)`);
  });
}, 120_000);

/** Creates an empty database and answers its URL; every database made here is dropped after the file. */
export async function freshDatabase(): Promise<string> {
  const name = `kf_test_${randomBytes(6).toString('hex')}`;
  await admin((client) => client.query(`create database ${name}`));
  created.push(name);
  const url = new URL(postgresUrl()!);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Where each engine's contract tests keep their data: SQLite in memory, PostgreSQL in a fresh
 * database. The unit project runs the SQLite half, the integration project the PostgreSQL half
 * (vitest.config.ts provides `engines`).
 */
export const ENGINES: ReadonlyArray<{ engine: 'sqlite' | 'postgres'; database: () => Promise<string> }> = [
  ...(inject('engines').includes('sqlite') ? [{ engine: 'sqlite' as const, database: async () => ':memory:' }] : []),
  ...(inject('engines').includes('postgres') && postgresUrl()
    ? [{ engine: 'postgres' as const, database: freshDatabase }]
    : []),
];
