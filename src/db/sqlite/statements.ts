// The api_keys statements on the request path, prepared once on the driver. drizzle's query
// builder and generic row mapper cost more than the SQLite statements themselves there, so
// these use better-sqlite3 directly; column names and value encodings (timestamps, JSON) still
// come from the drizzle schema, so the statements follow it. Client strings are stored well-formed
// (../unicode.ts), as PostgreSQL stores them.
import type Database from 'better-sqlite3';
import { getTableConfig } from 'drizzle-orm/sqlite-core';
import type { SqliteDatabase } from './client.js';
import type { KeyFilter, KeyRow } from '../key-store.js';
import { ListCache } from '../list-cache.js';
import { wellFormed } from '../unicode.js';
import { apiKeys, TENANT_NAME_INDEX } from './schema.js';

type Column = ReturnType<typeof getTableConfig>['columns'][number];
type RawRow = unknown[];

export class KeyRows {
  private readonly columns: Array<{ key: keyof KeyRow; column: Column }>;
  private readonly sqlite: Database.Database;
  private readonly table: string;
  private readonly insertStatement: Database.Statement;
  private readonly byLookup: Database.Statement;
  private readonly byId: Database.Statement;
  private readonly lists = new Map<number, Database.Statement>();
  /** List results (raw rows) since the last write; decoded afresh on every read, so callers share nothing. */
  private readonly cachedLists = new ListCache<RawRow[]>();

  constructor(db: SqliteDatabase) {
    const config = getTableConfig(apiKeys);
    this.columns = Object.entries(apiKeys as unknown as Record<string, unknown>)
      .filter(([, column]) => config.columns.includes(column as Column))
      .map(([key, column]) => ({ key: key as keyof KeyRow, column: column as Column }));
    // drizzle() attaches the driver connection as $client (not part of the exported type).
    this.sqlite = (db as unknown as { $client: Database.Database }).$client;
    this.table = `"${config.name}"`;
    const names = this.columns.map(({ column }) => `"${column.name}"`);
    this.insertStatement = this.sqlite.prepare(
      `insert into ${this.table} (${names.join(', ')}) values (${names.map(() => '?').join(', ')})`,
    );
    this.byLookup = this.select(`"${apiKeys.vendor.name}" = @vendor and "${apiKeys.lookupId.name}" = @lookupId`);
    this.byId = this.select(`"${apiKeys.id.name}" = @id`);
  }

  insert(row: KeyRow): void {
    this.insertStatement.run(this.columns.map(({ key, column }) => encode(column, row[key])));
  }

  findByLookup(vendor: string, lookupId: string): KeyRow | undefined {
    return this.decode(this.byLookup.get({ vendor, lookupId: wellFormed(lookupId) }) as RawRow | undefined);
  }

  findById(id: string): KeyRow | undefined {
    return this.decode(this.byId.get({ id: wellFormed(id) }) as RawRow | undefined);
  }

  /** Oldest first (creation time, then id). */
  list(filter: KeyFilter): KeyRow[] {
    const cacheKey = ListCache.keyOf(filter);
    let rows = this.cachedLists.get(cacheKey);
    if (rows === undefined) {
      const shape = listShape(filter);
      let statement = this.lists.get(shape);
      if (!statement) this.lists.set(shape, (statement = this.listStatement(filter)));
      rows = statement.all(
        filter.name === undefined ? filter : { ...filter, name: wellFormed(filter.name) },
      ) as RawRow[];
      this.cachedLists.keep(cacheKey, rows);
    }
    return rows.map((raw) => this.decode(raw)!);
  }

  /** Called by every write to the database: cached lists may be stale now. */
  written(): void {
    this.cachedLists.invalidate();
  }

  private listStatement(filter: KeyFilter): Database.Statement {
    const conditions = [
      filter.vendor === undefined ? null : `"${apiKeys.vendor.name}" = @vendor`,
      filter.tenantId === undefined ? null : `"${apiKeys.tenantId.name}" = @tenantId`,
      filter.projectId === undefined ? null : `"${apiKeys.projectId.name}" = @projectId`,
      filter.name === undefined ? null : `"${apiKeys.name.name}" = @name`,
      filter.includeRevoked ? null : `"${apiKeys.revokedAt.name}" is null`,
    ].filter((condition) => condition !== null);
    // By name, SQLite's planner prefers the (tenant_id, created_at) index for the ORDER BY and
    // then reads every key of the tenant (a create got slower with every key, O(n)); a name
    // names one key, so the (tenant_id, name) index is named outright.
    const index = filter.tenantId !== undefined && filter.name !== undefined ? `indexed by "${TENANT_NAME_INDEX}"` : '';
    return this.select(
      conditions.length === 0 ? '1' : conditions.join(' and '),
      `order by "${apiKeys.createdAt.name}", "${apiKeys.id.name}"`,
      index,
    );
  }

  private select(where: string, order = '', index = ''): Database.Statement {
    const names = this.columns.map(({ column }) => `"${column.name}"`).join(', ');
    return this.sqlite.prepare(`select ${names} from ${this.table} ${index} where ${where} ${order}`).raw(true);
  }

  private decode(raw: RawRow | undefined): KeyRow | undefined {
    if (raw === undefined) return undefined;
    const row: Record<string, unknown> = {};
    for (let i = 0; i < this.columns.length; i++) {
      const value = raw[i];
      row[this.columns[i]!.key] = value === null ? null : this.columns[i]!.column.mapFromDriverValue(value);
    }
    return row as unknown as KeyRow;
  }
}

function encode(column: Column, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return column.mapToDriverValue(wellFormed(value));
  return column.mapToDriverValue(
    Array.isArray(value) ? value.map((item) => (typeof item === 'string' ? wellFormed(item) : item)) : value,
  );
}

/** Which filters are set: one prepared statement per combination. */
function listShape(filter: KeyFilter): number {
  return (
    (filter.vendor === undefined ? 0 : 1) |
    (filter.tenantId === undefined ? 0 : 2) |
    (filter.projectId === undefined ? 0 : 4) |
    (filter.includeRevoked ? 8 : 0) |
    (filter.name === undefined ? 0 : 16)
  );
}
