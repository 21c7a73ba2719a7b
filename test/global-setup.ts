// Once per `npm test`: a PostgreSQL server for the suites that also run on PostgreSQL. Uses
// KEYFORGE_TEST_PG when given (it must answer), else starts a throwaway one when PostgreSQL is
// installed (scripts/postgres-cluster.ts). Without either, those suites are skipped — unless
// KEYFORGE_TEST_REQUIRED=1 (CI), which makes that a failure.
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { postgresBinaries, startCluster, type Cluster } from '../scripts/postgres-cluster.js';
import { tempParent, trackProcess } from './support/test-run.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A PostgreSQL server's URL (its `postgres` database, superuser), or '' when there is none. */
    postgresUrl: string;
    /** The engines the contract suites run on in this project (vitest.config.ts). */
    engines: Array<'sqlite' | 'postgres'>;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const required = process.env.KEYFORGE_TEST_REQUIRED === '1';
  let url = process.env.KEYFORGE_TEST_PG ?? '';
  let cluster: Cluster | undefined;
  if (url === '' && postgresBinaries()) {
    try {
      cluster = await startCluster(tempParent());
      trackProcess(cluster.pid(), 'PostgreSQL for the suite');
      url = cluster.url;
    } catch (err) {
      if (required) throw err;
      console.warn(`PostgreSQL suites skipped: ${(err as Error).message}`);
    }
  }
  if (url !== '') {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
    try {
      await client.connect();
      await client.query('select 1');
    } catch (err) {
      cluster?.stop();
      throw new Error(`PostgreSQL at ${url} does not answer: ${(err as Error).message}`, { cause: err });
    } finally {
      await client.end().catch(() => undefined);
    }
  } else if (required) {
    throw new Error('KEYFORGE_TEST_REQUIRED=1 but no PostgreSQL server: set KEYFORGE_TEST_PG or install postgresql');
  } else {
    console.warn('PostgreSQL suites skipped: no KEYFORGE_TEST_PG and PostgreSQL is not installed');
  }
  project.provide('postgresUrl', url);
  return () => cluster?.stop();
}
