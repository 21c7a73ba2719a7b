// Connects to PostgreSQL (node-postgres, through Drizzle's pg dialect) and applies the
// drizzle-kit migrations in migrations/postgres/ under an advisory lock, so instances starting
// at the same moment on an empty database never race. TLS follows the URL's `sslmode` (and
// sslrootcert, sslcert, sslkey), as node-postgres reads them.
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { packagePath } from '../../paths.js';
import { DatabaseOpenError, StorageUnavailable } from '../errors.js';
import * as schema from './schema.js';

export type PostgresDatabase = NodePgDatabase<typeof schema>;

const MIGRATIONS_FOLDER = packagePath('migrations', 'postgres');
const CONNECT_TIMEOUT_MS = 5000;

/** Advisory lock keys (classid 'kf', objid): the migrations, demo/seed bootstrap and resets, journal inserts. */
export const LOCKS = { migrate: [0x6b66, 1], bootstrap: [0x6b66, 2], journal: [0x6b66, 3] } as const;

/** Where the URL points, without its password, for messages. */
export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname || parsed.searchParams.get('host') || 'localhost'}:${parsed.port || 5432}/${decodeURIComponent(parsed.pathname.slice(1))}`;
  } catch {
    return 'the PostgreSQL URL';
  }
}

export interface PostgresConnectionOptions {
  url: string;
  poolSize: number;
  /** Shown in pg_stat_activity. */
  applicationName: string;
}

export function clientConfig({ url, applicationName }: Omit<PostgresConnectionOptions, 'poolSize'>): pg.ClientConfig {
  return {
    connectionString: withLibpqSslModes(url),
    application_name: applicationName.slice(0, 63),
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    keepAlive: true,
  };
}

/**
 * `sslmode` as libpq (and every other PostgreSQL client) means it — `require` encrypts without
 * checking the certificate, `verify-full` checks it — rather than node-postgres's older reading
 * (every mode as verify-full, with a multi-line warning on stderr).
 */
function withLibpqSslModes(url: string): string {
  if (!/[?&]sslmode=/i.test(url) || /[?&]uselibpqcompat=/i.test(url)) return url;
  return `${url}&uselibpqcompat=true`;
}

/** Opens the pool and migrates; a server that cannot be reached or used is one DatabaseOpenError line. */
export async function openPostgres(
  options: PostgresConnectionOptions,
): Promise<{ pool: pg.Pool; db: PostgresDatabase }> {
  const pool = new pg.Pool({ ...clientConfig(options), max: options.poolSize });
  // Idle connections that the server drops (a restart) emit errors here; queries that use them fail on their own.
  pool.on('error', () => undefined);
  // A checked-out connection has no listener of the pool's: when its socket dies mid-transaction,
  // node-postgres fails the queries and then emits 'error', which unheard would end the process.
  // The pool drops such a client when it is released (it is no longer queryable).
  pool.on('connect', (client) => client.on('error', () => undefined));
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw new DatabaseOpenError(`cannot connect to PostgreSQL at ${describeUrl(options.url)}: ${reasonOf(err)}`);
  }
  try {
    await client.query('select pg_advisory_lock($1, $2)', [...LOCKS.migrate]);
    try {
      await migrate(drizzle(client, { schema }), { migrationsFolder: MIGRATIONS_FOLDER });
    } finally {
      await client.query('select pg_advisory_unlock($1, $2)', [...LOCKS.migrate]);
    }
  } catch (err) {
    client.release(true);
    await pool.end().catch(() => undefined);
    throw new DatabaseOpenError(`cannot use PostgreSQL at ${describeUrl(options.url)}: ${reasonOf(err)}`);
  }
  client.release();
  return { pool, db: drizzle(pool, { schema }) };
}

/** One transaction on one pool connection: raw queries on `client`, Drizzle's builder on `db`. */
export interface Transaction {
  client: pg.PoolClient;
  db: PostgresDatabase;
}

/** Runs `work` between BEGIN and COMMIT (ROLLBACK when it throws) on a connection of its own. */
export async function inTransaction<T>(pool: pg.Pool, work: (tx: Transaction) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('begin');
    const result = await work({ client, db: drizzle(client, { schema }) });
    await client.query('commit');
    return result;
  } catch (err) {
    await client.query('rollback').catch((rollbackFailed: Error) => (broken = rollbackFailed));
    throw err;
  } finally {
    client.release(broken);
  }
}

/** A driver error's own words (Drizzle wraps them as `cause`). */
export function reasonOf(err: unknown): string {
  const cause = (err as { cause?: unknown }).cause ?? err;
  const { code, message } = cause as { code?: string; message?: string };
  if (message) return message;
  return code ?? String(cause);
}

/** SQLSTATE classes and socket errors that mean "the database is not answering", not "this query is wrong". */
export function isConnectionFailure(err: unknown): boolean {
  const cause = ((err as { cause?: unknown }).cause ?? err) as { code?: string; message?: string };
  const code = cause.code ?? '';
  if (
    /^(08|57P|53)/.test(code) ||
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH'].includes(code)
  )
    return true;
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable/i.test(
    cause.message ?? '',
  );
}

/** Runs a database call; a lost connection becomes StorageUnavailable (vendors answer 503). */
export async function unavailableIfDown<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (isConnectionFailure(err)) throw new StorageUnavailable(reasonOf(err));
    throw err;
  }
}
