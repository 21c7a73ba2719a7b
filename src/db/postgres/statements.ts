// The reads on the request path, as named prepared statements on pipelined connections
// (pipeline.ts): PostgreSQL parses and plans each once per connection, rows come back as
// arrays. Drizzle's query builder and row mapper cost more than the query itself there
// (measured by `npm run bench`); column names still come from the Drizzle schema, so the
// statements follow it. Timestamps and JSON arrive as node-postgres parses them (Date, arrays);
// strings go in and come out through text.ts (PostgreSQL text holds no NUL).
import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import type pg from 'pg';
import type { KeyFilter, KeyRow, ProjectRow, TenantRow } from '../key-store.js';
import { apiKeys, projects, tenants } from './schema.js';
import { paramToPg, valueFromPg } from './text.js';

/** Runs one array-mode query: the pipeline, the pool or a transaction's client. */
export interface Queryable {
  query<R extends unknown[] = unknown[]>(
    config: pg.QueryConfig & { rowMode: 'array' },
  ): Promise<pg.QueryArrayResult<R>>;
}

/** A table's columns in declaration order: the row property, the column name and its SQL type. */
export function columnsOf<Row>(table: PgTable): Array<{ key: keyof Row & string; name: string; type: string }> {
  const config = getTableConfig(table);
  return Object.entries(table as unknown as Record<string, unknown>)
    .filter(([, column]) => config.columns.includes(column as (typeof config.columns)[number]))
    .map(([key, column]) => ({
      key: key as keyof Row & string,
      name: (column as (typeof config.columns)[number]).name,
      type: (column as (typeof config.columns)[number]).getSQLType(),
    }));
}

/**
 * Selects of one table: its columns in order, and rows decoded into the repository's shape.
 * `digested`: columns whose index holds their digest (schema.ts digestOf), so a lookup by one
 * compares the digest too, or PostgreSQL could not use the index.
 */
function reader<Row>(table: PgTable, prefix: string, digested: ReadonlyArray<keyof Row & string> = []) {
  const config = getTableConfig(table);
  const columns = columnsOf<Row>(table);
  const select = `select ${columns.map((c) => `"${c.name}"`).join(', ')} from "${config.name}"`;
  const decode = (raw: unknown[]): Row => {
    const row: Record<string, unknown> = {};
    for (let i = 0; i < columns.length; i++) row[columns[i]!.key] = valueFromPg(raw[i]);
    return row as Row;
  };
  const statements = new Map<string, { name: string; text: string }>();
  const column = (key: keyof Row & string) => `"${columns.find((c) => c.key === key)!.name}"`;
  return {
    /** Rows whose `fields` equal `values` (and whose `nullFields` are null), in `order`. */
    async where(
      on: Queryable,
      fields: Array<keyof Row & string>,
      values: unknown[],
      nullFields: Array<keyof Row & string> = [],
      order: Array<keyof Row & string> = [],
    ): Promise<Row[]> {
      const id = `${fields.join(',')}|${nullFields.join(',')}|${order.join(',')}`;
      let statement = statements.get(id);
      if (!statement) {
        const equal = (f: keyof Row & string, i: number) =>
          (digested.includes(f) ? `keyforge_sha256(${column(f)}) = keyforge_sha256($${i + 1}) and ` : '') +
          `${column(f)} = $${i + 1}`;
        const conditions = [...fields.map(equal), ...nullFields.map((f) => `${column(f)} is null`)];
        const where = conditions.length === 0 ? '' : ` where ${conditions.join(' and ')}`;
        const orderBy = order.length === 0 ? '' : ` order by ${order.map(column).join(', ')}`;
        statement = { name: `kf_${prefix}_${statements.size}`, text: `${select}${where}${orderBy}` };
        statements.set(id, statement);
      }
      const { rows } = await on.query({ ...statement, values: values.map(paramToPg), rowMode: 'array' });
      return rows.map(decode);
    },
  };
}

const keys = reader<KeyRow>(apiKeys, 'keys', ['name']);
const tenantRows = reader<TenantRow>(tenants, 'tenants', ['name']);
const projectRows = reader<ProjectRow>(projects, 'projects');

export const keyByLookup = async (on: Queryable, vendor: string, lookupId: string) =>
  (await keys.where(on, ['vendor', 'lookupId'], [vendor, lookupId]))[0];
export const keyById = async (on: Queryable, id: string) => (await keys.where(on, ['id'], [id]))[0];

/** Oldest first (creation time, then id). */
export function listKeys(on: Queryable, filter: KeyFilter): Promise<KeyRow[]> {
  const fields = (['vendor', 'tenantId', 'projectId', 'name'] as const).filter((f) => filter[f] !== undefined);
  return keys.where(
    on,
    [...fields],
    fields.map((f) => filter[f]),
    filter.includeRevoked ? [] : ['revokedAt'],
    ['createdAt', 'id'],
  );
}

export const tenantById = async (on: Queryable, id: string) => (await tenantRows.where(on, ['id'], [id]))[0];
export const tenantByName = async (on: Queryable, vendor: string, name: string) =>
  (await tenantRows.where(on, ['vendor', 'name'], [vendor, name]))[0];
export const projectById = async (on: Queryable, id: string) => (await projectRows.where(on, ['id'], [id]))[0];
export const projectByExternal = async (on: Queryable, vendor: string, externalId: string) =>
  (await projectRows.where(on, ['vendor', 'externalId'], [vendor, externalId]))[0];
export const projectsOf = (on: Queryable, tenantId: string) =>
  projectRows.where(on, ['tenantId'], [tenantId], [], ['createdAt']);
