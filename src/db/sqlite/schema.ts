// Tables of keyforge, SQLite dialect (src/db/postgres/schema.ts is its twin; test/db/schema.test.ts
// proves they declare the same tables, columns, indexes and constraints). Secrets are never
// stored: a key row holds its non-secret lookup id (the part of the key that names it) and the
// argon2id PHC string of the whole secret.
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

const timestamp = (name: string) => integer(name, { mode: 'timestamp_ms' });

/** A tenant is (vendor, name): Basic account, Baseten workspace, Bytebeam tenant, Peaka partner, Imtegrate org. */
export const tenants = sqliteTable(
  'tenants',
  {
    id: text('id').primaryKey(),
    vendor: text('vendor').notNull(),
    name: text('name').notNull(),
    createdAt: timestamp('created_at').notNull(),
  },
  (t) => [uniqueIndex('tenants_vendor_name').on(t.vendor, t.name)],
);

/** Projects exist for the vendors that scope keys to one (Basic, Peaka). */
export const projects = sqliteTable(
  'projects',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    vendor: text('vendor').notNull(),
    /** The id the vendor's clients see in paths, e.g. Peaka's `mtKDhe1U`. */
    externalId: text('external_id').notNull(),
    createdAt: timestamp('created_at').notNull(),
  },
  (t) => [uniqueIndex('projects_vendor_external').on(t.vendor, t.externalId), index('projects_tenant').on(t.tenantId)],
);

/** Bytebeam finds keys by name; src/db/sqlite/statements.ts names this index in its query. */
export const TENANT_NAME_INDEX = 'api_keys_tenant_name';

export const apiKeys = sqliteTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    vendor: text('vendor').notNull(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    projectId: text('project_id').references(() => projects.id, { onDelete: 'cascade' }),
    name: text('name'),
    /** The vendor's category of key: Baseten type, Bytebeam role, Basic roles, Peaka partner|project, Imtegrate env. */
    kind: text('kind').notNull(),
    /** What the key is limited to: Imtegrate scopes, Baseten model ids. */
    scopes: text('scopes', { mode: 'json' }).$type<string[] | null>(),
    lookupId: text('lookup_id').notNull(),
    hash: text('hash').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at').notNull(),
    expiresAt: timestamp('expires_at'),
    lastUsedAt: timestamp('last_used_at'),
    revokedAt: timestamp('revoked_at'),
    /** The name, while the key is live, where a dialect wants names unique in a tenant (Bytebeam). */
    uniqueName: text('unique_name'),
    /** A tenant's root credential (demo, seed, admin API, --auth any): a tenant reset keeps it. */
    root: integer('root', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [
    uniqueIndex('api_keys_vendor_lookup').on(t.vendor, t.lookupId),
    index('api_keys_tenant_created').on(t.tenantId, t.createdAt),
    index(TENANT_NAME_INDEX).on(t.tenantId, t.name),
    index('api_keys_project').on(t.projectId),
    uniqueIndex('api_keys_tenant_unique_name').on(t.tenantId, t.uniqueName),
  ],
);

/** Per-database values that must survive restarts, e.g. Basic's JWT signing secret. */
export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});
