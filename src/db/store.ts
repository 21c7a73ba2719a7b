// The one repository the key service talks to. It hides the SQL dialect: a PostgreSQL twin
// would implement the same KeyStore interface. Hot-path queries are prepared once.
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { KeyforgeDatabase } from './client.js';
import { apiKeys, projects, settings, tenants, type KeyRow, type NewKeyRow, type ProjectRow, type TenantRow } from './schema.js';

export interface KeyFilter {
  vendor?: string;
  tenantId?: string;
  projectId?: string;
  includeRevoked?: boolean;
}

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
  const byLookup = db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.vendor, sql.placeholder('vendor')), eq(apiKeys.lookupId, sql.placeholder('lookupId'))))
    .prepare();
  const byId = db.select().from(apiKeys).where(eq(apiKeys.id, sql.placeholder('id'))).prepare();
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

  return {
    transaction: (fn) => db.transaction(() => fn(), { behavior: 'immediate' }),
    insertTenant: (row) => void db.insert(tenants).values(row).run(),
    findTenant: (vendor, name) => tenantByName.get({ vendor, name }),
    findTenantById: (id) => tenantById.get({ id }),
    insertProject: (row) => void db.insert(projects).values(row).run(),
    findProject: (vendor, externalId) => projectByExternal.get({ vendor, externalId }),
    findProjectById: (id) => db.select().from(projects).where(eq(projects.id, id)).get(),
    listProjects: (tenantId) =>
      db.select().from(projects).where(eq(projects.tenantId, tenantId)).orderBy(asc(projects.createdAt)).all(),
    insertKey: (row) => void db.insert(apiKeys).values(row).run(),
    findKeyByLookup: (vendor, lookupId) => byLookup.get({ vendor, lookupId }),
    findKeyById: (id) => byId.get({ id }),
    listKeys: (filter) =>
      db
        .select()
        .from(apiKeys)
        .where(
          and(
            filter.vendor === undefined ? undefined : eq(apiKeys.vendor, filter.vendor),
            filter.tenantId === undefined ? undefined : eq(apiKeys.tenantId, filter.tenantId),
            filter.projectId === undefined ? undefined : eq(apiKeys.projectId, filter.projectId),
            filter.includeRevoked ? undefined : isNull(apiKeys.revokedAt),
          ),
        )
        .orderBy(asc(apiKeys.createdAt), asc(apiKeys.id))
        .all(),
    markRevoked: (id, at) => void db.update(apiKeys).set({ revokedAt: at }).where(eq(apiKeys.id, id)).run(),
    touchLastUsed: (entries) => {
      if (entries.length === 0) return;
      db.transaction(() => {
        for (const { id, at } of entries) db.update(apiKeys).set({ lastUsedAt: at }).where(eq(apiKeys.id, id)).run();
      });
    },
    getSetting: (key) => db.select().from(settings).where(eq(settings.key, key)).get()?.value,
    setSetting: (key, value) =>
      void db.insert(settings).values({ key, value }).onConflictDoUpdate({ target: settings.key, set: { value } }).run(),
    wipe: (vendor) => {
      if (vendor === undefined) db.delete(tenants).run();
      else db.delete(tenants).where(inArray(tenants.vendor, [vendor])).run();
    },
  };
}
