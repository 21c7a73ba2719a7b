// The one repository the key service talks to. It hides the SQL dialect: a PostgreSQL twin
// would implement the same KeyStore interface. Hot-path queries are prepared once.
import type Database from 'better-sqlite3';
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { KeyforgeDatabase } from './client.js';
import { getTableConfig } from 'drizzle-orm/sqlite-core';
import { apiKeys, projects, settings, tenants, type KeyRow, type NewKeyRow, type ProjectRow, type TenantRow } from './schema.js';

export interface KeyFilter {
  vendor?: string;
  tenantId?: string;
  projectId?: string;
  /** Exact key name (Bytebeam addresses keys by name). */
  name?: string;
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

/**
 * The key insert, prepared once on the driver: drizzle's insert builder costs more than the
 * statement itself on the create path. Column names and value encodings (timestamps, JSON)
 * come from the drizzle schema, so the statement follows it.
 */
function prepareKeyInsert(db: KeyforgeDatabase): (row: NewKeyRow) => void {
  const config = getTableConfig(apiKeys);
  const columns = Object.entries(apiKeys as unknown as Record<string, unknown>)
    .filter(([, column]) => config.columns.includes(column as (typeof config.columns)[number]))
    .map(([key, column]) => ({ key: key as keyof NewKeyRow, column: column as (typeof config.columns)[number] }));
  // drizzle() attaches the driver connection as $client (not part of the exported type).
  const sqlite = (db as unknown as { $client: Database.Database }).$client;
  const statement = sqlite.prepare(
    `insert into "${config.name}" (${columns.map((c) => `"${c.column.name}"`).join(', ')}) values (${columns.map(() => '?').join(', ')})`,
  );
  return (row) => {
    statement.run(
      columns.map(({ key, column }) => {
        const value = row[key];
        return value === undefined || value === null ? null : column.mapToDriverValue(value);
      }),
    );
  };
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

  // Every query on a request's path is prepared once (drizzle would otherwise rebuild and
  // re-prepare the SQL on each call); list queries are prepared per combination of filters.
  const insertKeyRow = prepareKeyInsert(db);
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
  const lists = new Map<number, ReturnType<typeof prepareList>>();
  const prepareList = (filter: KeyFilter) =>
    db
      .select()
      .from(apiKeys)
      .where(
        and(
          filter.vendor === undefined ? undefined : eq(apiKeys.vendor, sql.placeholder('vendor')),
          filter.tenantId === undefined ? undefined : eq(apiKeys.tenantId, sql.placeholder('tenantId')),
          filter.projectId === undefined ? undefined : eq(apiKeys.projectId, sql.placeholder('projectId')),
          filter.name === undefined ? undefined : eq(apiKeys.name, sql.placeholder('name')),
          filter.includeRevoked ? undefined : isNull(apiKeys.revokedAt),
        ),
      )
      .orderBy(asc(apiKeys.createdAt), asc(apiKeys.id))
      .prepare();
  const listStatement = (filter: KeyFilter) => {
    const shape =
      (filter.vendor === undefined ? 0 : 1) | (filter.tenantId === undefined ? 0 : 2) | (filter.projectId === undefined ? 0 : 4) | (filter.includeRevoked ? 8 : 0) |
      (filter.name === undefined ? 0 : 16);
    let statement = lists.get(shape);
    if (!statement) lists.set(shape, (statement = prepareList(filter)));
    return statement;
  };

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
    insertKey: (row) => insertKeyRow(row),
    findKeyByLookup: (vendor, lookupId) => byLookup.get({ vendor, lookupId }),
    findKeyById: (id) => byId.get({ id }),
    listKeys: (filter) => listStatement(filter).all({ ...filter }),
    markRevoked: (id, at) => void revoke.run({ id, at: at.getTime() }),
    touchLastUsed: (entries) => {
      if (entries.length === 0) return;
      db.transaction(() => {
        for (const { id, at } of entries) touch.run({ id, at: at.getTime() });
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
