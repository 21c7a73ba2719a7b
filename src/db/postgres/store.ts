// The repository on PostgreSQL. Reads and key writes on the request path are prepared
// statements on pipelined connections (statements.ts, pipeline.ts); the rare writes are built with
// Drizzle's pg dialect. Key inserts of one event-loop turn share one statement and one commit.
// A key write announces itself in the same statement (bus.ts) and answers once every live
// instance has dropped what it cached (lists; a revoked key's verification), so lists can be
// cached here as on SQLite and are never older than a write a client has seen answered.
import { and, count, eq, inArray, isNotNull, or, sql } from 'drizzle-orm';
import { DuplicateKey, OwnerGone } from '../errors.js';
import type { KeyRow, KeyStore } from '../key-store.js';
import { GroupCommit } from '../group-commit.js';
import { ListCache } from '../list-cache.js';
import { CHANNEL, MEMBERS_SQL, type PostgresBus } from './bus.js';
import type { BusMessage } from './bus-messages.js';
import { unavailableIfDown, type PostgresDatabase, type Transaction } from './client.js';
import * as reads from './statements.js';
import { apiKeys, projects, settings, tenants } from './schema.js';
import { paramToPg } from './text.js';

export interface PostgresKeyStore extends KeyStore {
  /** Commits waiting group-commit inserts now (before closing). */
  flushWrites(): Promise<void>;
}

/** The key columns an insert fills, with their PostgreSQL types (for unnest). */
const KEY_COLUMNS = reads.columnsOf<KeyRow>(apiKeys);
const INSERT = `insert into "api_keys" (${KEY_COLUMNS.map((c) => `"${c.name}"`).join(', ')}) select * from unnest(${KEY_COLUMNS.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ')})`;
/** The insert alone (inside a transaction, which announces for itself), and the insert that also tells every instance. */
const INSERT_KEYS = { name: 'kf_insert_keys', text: INSERT };
const INSERT_KEYS_ANNOUNCED = {
  name: 'kf_insert_keys_announced',
  text: withAnnouncement(INSERT, KEY_COLUMNS.length + 1),
};
const REVOKE_ANNOUNCED = {
  name: 'kf_revoke_announced',
  text: withAnnouncement(
    `update "api_keys" set "${apiKeys.revokedAt.name}" = $2, "${apiKeys.uniqueName.name}" = null where "${apiKeys.id.name}" = $1`,
    3,
  ),
};

/** A change and its announcement in one statement (one commit): the notification goes out iff the change is committed. */
function withAnnouncement(change: string, payloadParameter: number): string {
  return `with change as (${change} returning 1) select pg_notify('${CHANNEL}', $${payloadParameter}), ${MEMBERS_SQL} as members`;
}
const encodeKeyColumn = (rows: KeyRow[], key: keyof KeyRow) =>
  rows.map((row) => {
    const value = row[key];
    if (key === 'scopes') return row.scopes === null ? null : JSON.stringify(paramToPg(row.scopes));
    return value instanceof Date ? value.toISOString() : paramToPg(value);
  });

export interface StoreConnections {
  /** Drizzle on the pool, for the rare writes and their transactions. */
  db: PostgresDatabase;
  /** Where the request path's statements go: the pipeline. */
  fast: reads.Queryable;
  bus: PostgresBus;
}

/** The store on the pool and pipeline, or bound to one transaction (demo and seed bootstrap, resets). */
export function createPostgresStore({ db, fast, bus }: StoreConnections, tx?: Transaction): PostgresKeyStore {
  const on = tx?.db ?? db;
  const statements: reads.Queryable = tx?.client ?? fast;
  const run = <T>(work: Promise<T>): Promise<T> =>
    unavailableIfDown(work).catch((err: unknown) => Promise.reject(storageError(err)));
  const lists = new ListCache<KeyRow[]>();
  if (!tx)
    bus.on(
      (message) => void (['keys', 'revoked', 'reset', 'tenant', 'resync'].includes(message.type) && lists.invalidate()),
    );

  /** Runs a key write that announces itself, then waits until every live instance has heard it. */
  const announced = async (statement: { name: string; text: string }, values: unknown[], message: BusMessage) => {
    const pending = bus.begin(message);
    let members: string[];
    try {
      members = (
        await run(
          statements.query<[unknown, string[]]>({
            ...statement,
            values: [...values, pending.payload],
            rowMode: 'array',
          }),
        )
      ).rows[0]![1];
    } catch (err) {
      pending.cancel();
      throw err;
    }
    await pending.sent(members); // our own handler drops our cached lists first
  };
  const insertRows = (rows: KeyRow[]) => {
    const values = KEY_COLUMNS.map((c) => encodeKeyColumn(rows, c.key));
    return tx
      ? run(statements.query({ ...INSERT_KEYS, values, rowMode: 'array' }))
      : announced(INSERT_KEYS_ANNOUNCED, values, { type: 'keys' });
  };

  // Group commit (src/db/group-commit.ts): a turn's creates share one INSERT and one commit.
  const group = new GroupCommit<KeyRow>(async (rows) => void (await insertRows(rows)));

  return {
    async ensureTenant(row) {
      await run(
        on
          .insert(tenants)
          .values({ ...row, name: paramToPg(row.name) })
          .onConflictDoNothing(),
      );
      return (await run(reads.tenantByName(statements, row.vendor, row.name)))!;
    },
    findTenant: (vendor, name) => run(reads.tenantByName(statements, vendor, name)),
    findTenantById: (id) => run(reads.tenantById(statements, id)),
    async ensureProject(row) {
      await run(
        on
          .insert(projects)
          .values({ ...row, externalId: paramToPg(row.externalId) })
          .onConflictDoNothing({ target: [projects.vendor, projects.externalId] }),
      );
      return (await run(reads.projectByExternal(statements, row.vendor, row.externalId)))!;
    },
    findProject: (vendor, externalId) => run(reads.projectByExternal(statements, vendor, externalId)),
    findProjectById: (id) => run(reads.projectById(statements, id)),
    listProjects: (tenantId) => run(reads.projectsOf(statements, tenantId)),
    insertKey: tx ? async (row) => void (await insertRows([row])) : (row) => group.add(row),
    findKeyByLookup: (vendor, lookupId) => run(reads.keyByLookup(statements, vendor, lookupId)),
    findKeyById: (id) => run(reads.keyById(statements, id)),
    async listKeys(filter) {
      // Cached lists hold only while this instance hears every other instance's writes.
      if (tx || !bus.trustworthy) return run(reads.listKeys(statements, filter));
      const key = ListCache.keyOf(filter);
      let rows = lists.get(key);
      if (!rows) {
        const since = lists.now;
        rows = await run(reads.listKeys(statements, filter));
        lists.keep(key, rows, since);
      }
      return rows.map(copyOf);
    },
    async markRevoked(id, at) {
      if (tx)
        return void (await run(
          tx.db.update(apiKeys).set({ revokedAt: at, uniqueName: null }).where(eq(apiKeys.id, id)),
        ));
      await announced(REVOKE_ANNOUNCED, [id, at.toISOString()], { type: 'revoked', ids: [id] });
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
      lists.invalidate();
      // Other instances' cached lists show last uses too; nobody waits for this one.
      if (!tx) await bus.tell({ type: 'keys' }).catch(() => undefined);
    },
    async ensureSetting(key, value) {
      await run(on.insert(settings).values({ key, value }).onConflictDoNothing());
      return (await run(on.select().from(settings).where(eq(settings.key, key))))[0]!.value;
    },
    flushWrites: async () => group.commit(),
  };
}

/** A row a caller may change without changing anyone else's: its own dates and scopes. */
function copyOf(row: KeyRow): KeyRow {
  return {
    ...row,
    scopes: row.scopes && [...row.scopes],
    createdAt: new Date(row.createdAt.getTime()),
    expiresAt: row.expiresAt && new Date(row.expiresAt.getTime()),
    lastUsedAt: row.lastUsedAt && new Date(row.lastUsedAt.getTime()),
    revokedAt: row.revokedAt && new Date(row.revokedAt.getTime()),
  };
}

/** Deletes every tenant (with its projects and keys) of one vendor or of all. */
export function wipeTenants(tx: PostgresDatabase, vendor: string | undefined) {
  return vendor === undefined ? tx.delete(tenants) : tx.delete(tenants).where(inArray(tenants.vendor, [vendor]));
}

/**
 * Inside a transaction: deletes the tenant (with its projects and keys) or, without `remove`, its
 * keys but its live root credentials (a revoked one goes, so a demo or seed credential comes back).
 */
export async function wipeTenant(
  tx: PostgresDatabase,
  tenantId: string,
  remove: boolean,
): Promise<{ keys: number; projects: number }> {
  const ofTenant = eq(apiKeys.tenantId, tenantId);
  const doomed = remove ? ofTenant : and(ofTenant, or(eq(apiKeys.root, false), isNotNull(apiKeys.revokedAt)));
  const [keyCount] = await tx.select({ n: count() }).from(apiKeys).where(doomed);
  if (!remove) {
    await tx.delete(apiKeys).where(doomed);
    return { keys: keyCount!.n, projects: 0 };
  }
  const [projectCount] = await tx.select({ n: count() }).from(projects).where(eq(projects.tenantId, tenantId));
  await tx.delete(tenants).where(eq(tenants.id, tenantId));
  return { keys: keyCount!.n, projects: projectCount!.n };
}

/** node-postgres's constraint errors as the repository's own; Drizzle's wrapper (which quotes the parameters) is dropped. */
function storageError(err: unknown): unknown {
  const cause = ((err as { cause?: unknown }).cause ?? err) as { code?: string; constraint?: string };
  if (cause.code === '23505')
    return new DuplicateKey(cause.constraint?.includes('unique_name') ? 'uniqueName' : 'lookupId');
  if (cause.code === '23503') return new OwnerGone();
  return cause;
}
