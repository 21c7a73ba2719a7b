// The one repository the key service talks to. It hides the SQL dialect: a PostgreSQL twin
// would implement the same KeyStore interface. Hot-path queries are prepared once.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { KeyforgeDatabase } from './client.js';
import { KeyRows, type KeyFilter } from './key-rows.js';
import { apiKeys, projects, settings, tenants, type KeyRow, type NewKeyRow, type ProjectRow, type TenantRow } from './schema.js';

export type { KeyFilter };

export interface KeyStore {
  transaction<T>(fn: () => T): T;
  insertTenant(row: TenantRow): void;
  findTenant(vendor: string, name: string): TenantRow | undefined;
  findTenantById(id: string): TenantRow | undefined;
  insertProject(row: ProjectRow): void;
  findProject(vendor: string, externalId: string): ProjectRow | undefined;
  findProjectById(id: string): ProjectRow | undefined;
  listProjects(tenantId: string): ProjectRow[];
  insertKey(row: NewKeyRow): void;
  /**
   * Inserts a key in the group commit of this event-loop turn: resolves once its row is
   * committed, rejects (e.g. a taken lookup id) for that row alone.
   */
  insertKeyInTurn(row: NewKeyRow): Promise<void>;
  /** Commits waiting group-commit inserts now (before closing). */
  flushWrites(): void;
  findKeyByLookup(vendor: string, lookupId: string): KeyRow | undefined;
  findKeyById(id: string): KeyRow | undefined;
  listKeys(filter: KeyFilter): KeyRow[];
  markRevoked(id: string, at: Date): void;
  touchLastUsed(entries: ReadonlyArray<{ id: string; at: Date }>): void;
  getSetting(key: string): string | undefined;
  setSetting(key: string, value: string): void;
  /** Deletes every tenant (and with them projects and keys) of one vendor or of all. */
  wipe(vendor?: string): void;
}

export function createSqliteStore(db: KeyforgeDatabase): KeyStore {
  const keyRows = new KeyRows(db);
  const tenantById = db.select().from(tenants).where(eq(tenants.id, sql.placeholder('id'))).prepare();
  const tenantByName = db
    .select()
    .from(tenants)
    .where(and(eq(tenants.vendor, sql.placeholder('vendor')), eq(tenants.name, sql.placeholder('name'))))
    .prepare();
  const projectByExternal = db
    .select()
    .from(projects)
    .where(and(eq(projects.vendor, sql.placeholder('vendor')), eq(projects.externalId, sql.placeholder('externalId'))))
    .prepare();

  // Every query on a request's path is prepared once (drizzle would otherwise rebuild and
  // re-prepare the SQL on each call).
  const revoke = db
    .update(apiKeys)
    .set({ revokedAt: sql`${sql.placeholder('at')}` })
    .where(eq(apiKeys.id, sql.placeholder('id')))
    .prepare();
  const touch = db
    .update(apiKeys)
    .set({ lastUsedAt: sql`${sql.placeholder('at')}` })
    .where(eq(apiKeys.id, sql.placeholder('id')))
    .prepare();
  /** Runs a write and tells the key rows (their cached lists may be stale now). */
  const write = <T>(run: () => T): T => {
    try {
      return run();
    } finally {
      keyRows.written();
    }
  };

  // Group commit: an autocommit insert wrote its pages to the WAL on its own (~165 µs here), a
  // transaction of a turn's creates shares them (~90 µs each). Creates answer after the commit.
  let waiting: Array<{ row: NewKeyRow; settle: (err: unknown) => void }> = [];
  const commitWaiting = () => {
    const batch = waiting;
    waiting = [];
    if (batch.length === 0) return;
    try {
      write(() => db.transaction(() => batch.forEach(({ row }) => keyRows.insert(row)), { behavior: 'immediate' }));
      for (const { settle } of batch) settle(undefined);
    } catch {
      // The batch rolled back as a whole: insert the rows one by one, so only a failing row fails.
      for (const { row, settle } of batch) {
        try {
          write(() => keyRows.insert(row));
          settle(undefined);
        } catch (err) {
          settle(err ?? new Error('insert failed'));
        }
      }
    }
  };

  return {
    // A transaction that rolls back may have been listed from inside: clear after it either way.
    transaction: (fn) => write(() => db.transaction(() => fn(), { behavior: 'immediate' })),
    insertTenant: (row) => write(() => void db.insert(tenants).values(row).run()),
    findTenant: (vendor, name) => tenantByName.get({ vendor, name }),
    findTenantById: (id) => tenantById.get({ id }),
    insertProject: (row) => write(() => void db.insert(projects).values(row).run()),
    findProject: (vendor, externalId) => projectByExternal.get({ vendor, externalId }),
    findProjectById: (id) => db.select().from(projects).where(eq(projects.id, id)).get(),
    listProjects: (tenantId) =>
      db.select().from(projects).where(eq(projects.tenantId, tenantId)).orderBy(asc(projects.createdAt)).all(),
    insertKey: (row) => write(() => keyRows.insert(row)),
    insertKeyInTurn: (row) =>
      new Promise<void>((resolve, reject) => {
        if (waiting.length === 0) setImmediate(commitWaiting);
        waiting.push({ row, settle: (err) => (err === undefined ? resolve() : reject(err as Error)) });
      }),
    flushWrites: commitWaiting,
    findKeyByLookup: (vendor, lookupId) => keyRows.findByLookup(vendor, lookupId),
    findKeyById: (id) => keyRows.findById(id),
    listKeys: (filter) => keyRows.list(filter),
    markRevoked: (id, at) => write(() => void revoke.run({ id, at: at.getTime() })),
    touchLastUsed: (entries) => {
      if (entries.length === 0) return;
      write(() =>
        db.transaction(() => {
          for (const { id, at } of entries) touch.run({ id, at: at.getTime() });
        }),
      );
    },
    getSetting: (key) => db.select().from(settings).where(eq(settings.key, key)).get()?.value,
    setSetting: (key, value) =>
      write(() => void db.insert(settings).values({ key, value }).onConflictDoUpdate({ target: settings.key, set: { value } }).run()),
    wipe: (vendor) =>
      write(() => {
        commitWaiting(); // keys acknowledged before the wipe are wiped with the rest
        if (vendor === undefined) db.delete(tenants).run();
        else db.delete(tenants).where(inArray(tenants.vendor, [vendor])).run();
      }),
  };
}
