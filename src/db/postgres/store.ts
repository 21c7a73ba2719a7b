// The repository on PostgreSQL, through Drizzle's pg dialect. The request path's queries are
// prepared once (named statements, parsed once per connection). Key inserts of one event-loop
// turn share one statement and one commit; a revocation goes out as a notification in its own
// transaction and answers once every live instance has forgotten the key (bus.ts).
import { and, asc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { DuplicateKey, OwnerGone } from '../errors.js';
import type { KeyFilter, KeyRow, KeyStore } from '../repository.js';
import type { PostgresBus, Transaction } from './bus.js';
import { unavailableIfDown, type PostgresDatabase } from './client.js';
import { apiKeys, projects, settings, tenants } from './schema.js';

type Database = PostgresDatabase | Transaction;

export interface PostgresKeyStore extends KeyStore {
  /** Commits waiting group-commit inserts now (before closing). */
  flushWrites(): Promise<void>;
}

/** The store on the pool (`tx` absent), or bound to one transaction (demo and seed bootstrap, resets). */
export function createPostgresStore(db: PostgresDatabase, bus: PostgresBus, tx?: Transaction): PostgresKeyStore {
  const on: Database = tx ?? db;
  const run = <T>(work: Promise<T>): Promise<T> => unavailableIfDown(work).catch((err: unknown) => Promise.reject(storageError(err)));
  const prepared = <T extends { prepare(name: string): unknown }>(name: string, query: T) => (tx ? query : query.prepare(name)) as T & { execute(values?: Record<string, unknown>): Promise<unknown> };

  const keyByLookup = prepared(
    'kf_key_by_lookup',
    on
      .select()
      .from(apiKeys)
      .where(and(eq(apiKeys.vendor, sql.placeholder('vendor')), eq(apiKeys.lookupId, sql.placeholder('lookupId')))),
  );
  const keyById = prepared('kf_key_by_id', on.select().from(apiKeys).where(eq(apiKeys.id, sql.placeholder('id'))));
  const tenantById = prepared('kf_tenant_by_id', on.select().from(tenants).where(eq(tenants.id, sql.placeholder('id'))));
  const tenantByName = prepared(
    'kf_tenant_by_name',
    on
      .select()
      .from(tenants)
      .where(and(eq(tenants.vendor, sql.placeholder('vendor')), eq(tenants.name, sql.placeholder('name')))),
  );
  const projectByExternal = prepared(
    'kf_project_by_external',
    on
      .select()
      .from(projects)
      .where(and(eq(projects.vendor, sql.placeholder('vendor')), eq(projects.externalId, sql.placeholder('externalId')))),
  );
  const first = async <T>(query: { execute(values: Record<string, unknown>): Promise<unknown> }, values: Record<string, unknown>) =>
    ((await run(query.execute(values))) as T[])[0];

  const insertRows = (rows: KeyRow[]) => run(on.insert(apiKeys).values(rows));

  // Group commit, as on SQLite: a turn's creates share one INSERT and one commit (one WAL flush).
  let waiting: Array<{ row: KeyRow; settle: (err: unknown) => void }> = [];
  const commitWaiting = async () => {
    const batch = waiting;
    waiting = [];
    if (batch.length === 0) return;
    try {
      await insertRows(batch.map(({ row }) => row));
      for (const { settle } of batch) settle(undefined);
    } catch {
      // The statement failed as a whole: insert one by one, so only a failing row fails.
      await Promise.all(batch.map(({ row, settle }) => insertRows([row]).then(() => settle(undefined), settle)));
    }
  };

  return {
    async ensureTenant(row) {
      await run(on.insert(tenants).values(row).onConflictDoNothing());
      return (await first<typeof row>(tenantByName, { vendor: row.vendor, name: row.name }))!;
    },
    findTenant: (vendor, name) => first(tenantByName, { vendor, name }),
    findTenantById: (id) => first(tenantById, { id }),
    async ensureProject(row) {
      await run(on.insert(projects).values(row).onConflictDoNothing({ target: [projects.vendor, projects.externalId] }));
      return (await first<typeof row>(projectByExternal, { vendor: row.vendor, externalId: row.externalId }))!;
    },
    findProject: (vendor, externalId) => first(projectByExternal, { vendor, externalId }),
    findProjectById: async (id) => (await run(on.select().from(projects).where(eq(projects.id, id))))[0],
    listProjects: (tenantId) => run(on.select().from(projects).where(eq(projects.tenantId, tenantId)).orderBy(asc(projects.createdAt))),
    insertKey: tx
      ? async (row) => void (await insertRows([row]))
      : (row) =>
          new Promise<void>((resolve, reject) => {
            if (waiting.length === 0) setImmediate(() => void commitWaiting());
            waiting.push({ row, settle: (err) => (err === undefined ? resolve() : reject(err as Error)) });
          }),
    findKeyByLookup: (vendor, lookupId) => first(keyByLookup, { vendor, lookupId }),
    findKeyById: (id) => first(keyById, { id }),
    listKeys: (filter) => run(on.select().from(apiKeys).where(listCondition(filter)).orderBy(asc(apiKeys.createdAt), asc(apiKeys.id))),
    async markRevoked(id, at) {
      const revoke = (t: Database) => t.update(apiKeys).set({ revokedAt: at, uniqueName: null }).where(eq(apiKeys.id, id));
      if (tx) return void (await run(revoke(tx)));
      await run(
        bus.transaction(async (t, announce) => {
          await revoke(t);
          await announce({ type: 'revoked', ids: [id] });
        }),
      );
    },
    async touchLastUsed(entries) {
      if (entries.length === 0) return;
      // One statement for the batch; a use never moves the time back (instances flush out of order).
      await run(
        on.execute(sql`
          update ${apiKeys} set last_used_at = greatest(${apiKeys.lastUsedAt}, used.at)
          from unnest(${sql.param(entries.map((e) => e.id))}::text[], ${sql.param(entries.map((e) => e.at.toISOString()))}::timestamptz[]) as used(id, at)
          where ${apiKeys.id} = used.id`),
      );
    },
    async ensureSetting(key, value) {
      await run(on.insert(settings).values({ key, value }).onConflictDoNothing());
      return (await run(on.select().from(settings).where(eq(settings.key, key))))[0]!.value;
    },
    flushWrites: commitWaiting,
  };
}

function listCondition(filter: KeyFilter): SQL | undefined {
  return and(
    filter.vendor === undefined ? undefined : eq(apiKeys.vendor, filter.vendor),
    filter.tenantId === undefined ? undefined : eq(apiKeys.tenantId, filter.tenantId),
    filter.projectId === undefined ? undefined : eq(apiKeys.projectId, filter.projectId),
    filter.name === undefined ? undefined : eq(apiKeys.name, filter.name),
    filter.includeRevoked ? undefined : isNull(apiKeys.revokedAt),
  );
}

/** Deletes every tenant (with its projects and keys) of one vendor or of all. */
export function wipeTenants(tx: Database, vendor: string | undefined) {
  return vendor === undefined ? tx.delete(tenants) : tx.delete(tenants).where(inArray(tenants.vendor, [vendor]));
}

/** node-postgres's constraint errors as the repository's own; Drizzle's wrapper (which quotes the parameters) is dropped. */
function storageError(err: unknown): unknown {
  const cause = ((err as { cause?: unknown }).cause ?? err) as { code?: string; constraint?: string };
  if (cause.code === '23505') return new DuplicateKey(cause.constraint?.includes('unique_name') ? 'uniqueName' : 'lookupId');
  if (cause.code === '23503') return new OwnerGone();
  return cause;
}
