// The two engines' schemas are declared twice (Drizzle has one table builder per dialect), so
// this proves they declare the same tables, columns, indexes and constraints. The PostgreSQL
// schema also holds the tables through which instances share what one SQLite process keeps in
// memory (faults, journal, rate-limit counts), and PostgreSQL indexes client-chosen names by their
// digest (a btree entry holds ~2.7 KB at most): they are listed here, and nothing else may differ.
import { getTableConfig as pgConfig, type PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig as sqliteConfig, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import { Column, is, SQL, Table } from 'drizzle-orm';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { KeyRow, ProjectRow, TenantRow } from '../../src/db/key-store.js';
import * as pg from '../../src/db/postgres/schema.js';
import * as sqlite from '../../src/db/sqlite/schema.js';

/** Tables only PostgreSQL has: shared state of several instances. */
const CLUSTER_TABLES = ['faults', 'journal', 'rate_limits'];

/** Index columns PostgreSQL holds as a digest of the name where SQLite holds the name (schema.ts digestOf). */
const DIGESTED = ['tenants_vendor_name.name', 'api_keys_tenant_name.name', 'api_keys_tenant_unique_name.unique_name'];

type Config = ReturnType<typeof pgConfig> | ReturnType<typeof sqliteConfig>;

/** An index column by name; `keyforge_sha256(<column>)` by the column's name, marked as digested. */
function indexColumn(index: string, column: unknown): string {
  if (!is(column, SQL)) return (column as { name: string }).name;
  const chunks = column.queryChunks;
  const inner = chunks.find((chunk) => is(chunk, Column)) as Column | undefined;
  const text = chunks
    .map((chunk) => (is(chunk, Column) ? '?' : ((chunk as { value?: string[] }).value ?? []).join('')))
    .join('');
  if (!inner || text !== 'keyforge_sha256(?)' || !DIGESTED.includes(`${index}.${inner.name}`))
    throw new Error(`unexpected index expression in ${index}: ${text}`);
  return inner.name;
}

/** A table as both dialects can state it: types by what they hold, not how a dialect spells them. */
function shape(config: Config) {
  return {
    name: config.name,
    columns: config.columns
      .map((c) => ({
        name: c.name,
        holds: c.dataType,
        notNull: c.notNull,
        primary: c.primary,
        hasDefault: c.hasDefault,
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    indexes: config.indexes
      .map((i) => ({
        name: i.config.name,
        unique: i.config.unique,
        columns: i.config.columns.map((c) => indexColumn(String(i.config.name), c)),
      }))
      .sort((a, b) => String(a.name).localeCompare(String(b.name))),
    foreignKeys: config.foreignKeys
      .map((fk) => {
        const ref = fk.reference();
        return {
          columns: ref.columns.map((c) => c.name),
          references: `${getName(ref.foreignTable)}(${ref.foreignColumns.map((c) => c.name).join(',')})`,
          onDelete: fk.onDelete,
        };
      })
      .sort((a, b) => a.columns.join().localeCompare(b.columns.join())),
    primaryKeys: config.primaryKeys.map((pk) => pk.columns.map((c) => c.name)),
    uniqueConstraints: config.uniqueConstraints.map((u) => u.columns.map((c) => c.name)),
  };
}

const getName = (table: unknown) => (table as Record<symbol, string>)[Symbol.for('drizzle:Name')];
const tablesOf = (module: Record<string, unknown>) => Object.values(module).filter((value) => is(value, Table));

describe('the SQLite and PostgreSQL schemas', () => {
  const sqliteTables = new Map(
    tablesOf(sqlite).map((t) => [sqliteConfig(t as SQLiteTable).name, shape(sqliteConfig(t as SQLiteTable))]),
  );
  const pgTables = new Map(tablesOf(pg).map((t) => [pgConfig(t as PgTable).name, shape(pgConfig(t as PgTable))]));

  it('declare the same key tables, and PostgreSQL only the cluster tables besides', () => {
    expect([...sqliteTables.keys()].sort()).toEqual(['api_keys', 'projects', 'settings', 'tenants']);
    expect([...pgTables.keys()].sort()).toEqual([...sqliteTables.keys(), ...CLUSTER_TABLES].sort());
  });

  it.each(['tenants', 'projects', 'api_keys', 'settings'])(
    'declare %s with the same columns, indexes and constraints',
    (table) => {
      expect(pgTables.get(table)).toEqual(sqliteTables.get(table));
    },
  );

  it('differ in indexes only where PostgreSQL indexes a digest of a name', () => {
    const digested = pgConfig(pg.apiKeys).indexes.filter((i) => i.config.columns.some((c) => is(c, SQL)));
    expect(digested.map((i) => i.config.name).sort()).toEqual(['api_keys_tenant_name', 'api_keys_tenant_unique_name']);
    expect(
      pgConfig(pg.tenants)
        .indexes.filter((i) => i.config.columns.some((c) => is(c, SQL)))
        .map((i) => i.config.name),
    ).toEqual(['tenants_vendor_name']);
  });

  it('both read back as the rows the repository deals in', () => {
    expectTypeOf<typeof sqlite.apiKeys.$inferSelect>().toEqualTypeOf<KeyRow>();
    expectTypeOf<typeof pg.apiKeys.$inferSelect>().toEqualTypeOf<KeyRow>();
    expectTypeOf<typeof sqlite.tenants.$inferSelect>().toEqualTypeOf<TenantRow>();
    expectTypeOf<typeof pg.tenants.$inferSelect>().toEqualTypeOf<TenantRow>();
    expectTypeOf<typeof sqlite.projects.$inferSelect>().toEqualTypeOf<ProjectRow>();
    expectTypeOf<typeof pg.projects.$inferSelect>().toEqualTypeOf<ProjectRow>();
  });
});
