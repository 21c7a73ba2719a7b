// Tables of keyforge, PostgreSQL dialect: the twin of src/db/sqlite/schema.ts (same tables,
// columns, indexes and constraints; test/db/schema.test.ts compares them), plus the tables
// through which instances share what a single SQLite process keeps in memory (src/db/memory/).
import { sql, type SQL } from 'drizzle-orm';
import {
  bigint,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp as pgTimestamp,
  uniqueIndex,
  type PgColumn,
} from 'drizzle-orm/pg-core';

const timestamp = (name: string) => pgTimestamp(name, { withTimezone: true, mode: 'date', precision: 3 });

/**
 * What an index holds of a name a client chooses: its SHA-256 (keyforge_sha256, declared by the
 * migration), not the name. A btree entry holds at most ~2.7 KB, and Bytebeam, Peaka, Basic and
 * Baseten names have no length limit; SQLite has no such limit and indexes the name itself.
 * Lookups compare both the digest (to use the index) and the name (statements.ts).
 */
export const digestOf = (column: PgColumn): SQL => sql`keyforge_sha256(${column})`;

export const tenants = pgTable(
  'tenants',
  {
    id: text('id').primaryKey(),
    vendor: text('vendor').notNull(),
    name: text('name').notNull(),
    createdAt: timestamp('created_at').notNull(),
  },
  (t) => [uniqueIndex('tenants_vendor_name').on(t.vendor, digestOf(t.name))],
);

export const projects = pgTable(
  'projects',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    vendor: text('vendor').notNull(),
    externalId: text('external_id').notNull(),
    createdAt: timestamp('created_at').notNull(),
  },
  (t) => [uniqueIndex('projects_vendor_external').on(t.vendor, t.externalId), index('projects_tenant').on(t.tenantId)],
);

export const apiKeys = pgTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    vendor: text('vendor').notNull(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    projectId: text('project_id').references(() => projects.id, { onDelete: 'cascade' }),
    name: text('name'),
    kind: text('kind').notNull(),
    scopes: jsonb('scopes').$type<string[] | null>(),
    lookupId: text('lookup_id').notNull(),
    hash: text('hash').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at').notNull(),
    expiresAt: timestamp('expires_at'),
    lastUsedAt: timestamp('last_used_at'),
    revokedAt: timestamp('revoked_at'),
    uniqueName: text('unique_name'),
    root: boolean('root').notNull().default(false),
  },
  (t) => [
    uniqueIndex('api_keys_vendor_lookup').on(t.vendor, t.lookupId),
    index('api_keys_tenant_created').on(t.tenantId, t.createdAt),
    index('api_keys_tenant_name').on(t.tenantId, digestOf(t.name)),
    index('api_keys_project').on(t.projectId),
    uniqueIndex('api_keys_tenant_unique_name').on(t.tenantId, digestOf(t.uniqueName)),
  ],
);

export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

// What instances share beyond keys. One SQLite process keeps these in memory (src/db/memory/).

/**
 * Injected faults (PUT /_keyforge/faults); hits and the remaining count are claimed here, once
 * across the cluster. Counts and ids are bigint: the admin API takes any safe integer, as a
 * JavaScript number is on SQLite.
 */
export const faults = pgTable('faults', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  vendor: text('vendor').notNull(),
  /** Fires only for this tenant's calls (its name), after the vendor's auth. */
  tenant: text('tenant'),
  path: text('path'),
  status: integer('status'),
  latencyMs: integer('latency_ms'),
  probability: doublePrecision('probability').notNull(),
  count: bigint('count', { mode: 'number' }),
  hits: bigint('hits', { mode: 'number' }).notNull().default(0),
  remaining: bigint('remaining', { mode: 'number' }),
});

/** The request journal of every instance, newest last; trimmed to --journal-size entries. */
export const journal = pgTable(
  'journal',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    at: bigint('at', { mode: 'number' }).notNull(),
    /** The test clock's time when it was moved, else null. */
    emulatedAt: bigint('emulated_at', { mode: 'number' }),
    instance: text('instance').notNull(),
    vendor: text('vendor').notNull(),
    method: text('method').notNull(),
    path: text('path').notNull(),
    status: integer('status').notNull(),
    latencyMs: doublePrecision('latency_ms').notNull(),
    tenant: text('tenant'),
    keyId: text('key_id'),
    requestHeaders: text('request_headers').notNull(),
    requestBody: text('request_body'),
    responseHeaders: text('response_headers').notNull(),
    responseType: text('response_type'),
    responseBody: text('response_body'),
    refusal: text('refusal'),
  },
  (t) => [index('journal_at').on(t.at, t.id), index('journal_vendor_at').on(t.vendor, t.at, t.id)],
);

/** --rate-limit counts per credential digest, one fixed window each. */
export const rateLimits = pgTable('rate_limits', {
  key: text('key').primaryKey(),
  windowEndsAt: bigint('window_ends_at', { mode: 'number' }).notNull(),
  hits: integer('hits').notNull(),
});
