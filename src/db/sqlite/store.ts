// The repository on SQLite. better-sqlite3 answers synchronously; the interface is asynchronous
// for PostgreSQL's sake, so each call here resolves at once. One connection serves the app: while
// an exclusive transaction (a reset) is open across awaits, every other call waits for it, so
// nothing outside the transaction ever joins it (what a reset deletes in it: wipes.ts).
// Hot-path queries are prepared once.
import { and, asc, eq, sql } from 'drizzle-orm';
import type { OpenedSqlite } from './client.js';
import { DuplicateKey, OwnerGone } from '../errors.js';
import { GroupCommit } from '../group-commit.js';
import { KeyRows } from './statements.js';
import type { KeyRow, KeyStore } from '../key-store.js';
import type { TenantTarget } from '../open.js';
import { wellFormed } from '../unicode.js';
import { apiKeys, projects, settings, tenants } from './schema.js';
import { wipeTenant, wipeTenants } from './wipes.js';

export interface SqliteKeyStore extends KeyStore {
  /**
   * Runs `work` in one IMMEDIATE transaction on a store bound to it, after `wipe` deletes every
   * tenant (with its projects and keys) of one vendor or of all. Other calls wait until it ends.
   */
  exclusive<T>(wipe: { vendor?: string } | null, work: (store: KeyStore) => Promise<T>): Promise<T>;
  /**
   * Like exclusive, for one tenant: deletes it (with its projects and keys) or, without
   * `remove`, its keys but its live root credentials; then runs `work`. Null when there is no such tenant.
   */
  exclusiveTenant(
    target: TenantTarget,
    work: (store: KeyStore) => Promise<void>,
  ): Promise<{ tenantId: string; keys: number; projects: number } | null>;
  /** Writes a setting (null deletes it), in turn with every other call. */
  writeSetting(key: string, value: string | null): Promise<void>;
  /** A setting as stored now. */
  readSetting(key: string): string | undefined;
  /** Commits waiting group-commit inserts now (before closing). */
  flushWrites(): void;
}

/** `afterWrite`: told after every write (the checkpointer schedules a checkpoint). */
export function createSqliteStore(
  { db, sqlite }: Pick<OpenedSqlite, 'db' | 'sqlite'>,
  afterWrite: () => void = () => undefined,
): SqliteKeyStore {
  const keyRows = new KeyRows(db);
  const tenantById = db
    .select()
    .from(tenants)
    .where(eq(tenants.id, sql.placeholder('id')))
    .prepare();
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
  const revoke = db
    .update(apiKeys)
    .set({ revokedAt: sql`${sql.placeholder('at')}`, uniqueName: null })
    .where(eq(apiKeys.id, sql.placeholder('id')))
    .prepare();
  // A use never moves the time back (two instances' batches may arrive out of order).
  const touch = db
    .update(apiKeys)
    .set({ lastUsedAt: sql`max(coalesce(${apiKeys.lastUsedAt}, 0), ${sql.placeholder('at')})` })
    .where(eq(apiKeys.id, sql.placeholder('id')))
    .prepare();

  /** Runs a write and tells the key rows (their cached lists may be stale now). */
  const write = <T>(run: () => T): T => {
    try {
      return run();
    } finally {
      keyRows.written();
      afterWrite();
    }
  };
  const insertRow = (row: KeyRow) => write(() => keyRows.insert(row));

  /** The open exclusive transaction; calls from outside it wait for it to end. */
  let exclusive: Promise<unknown> | null = null;
  const group = new GroupCommit<KeyRow>(
    (rows) => {
      try {
        write(() => db.transaction(() => rows.forEach((row) => keyRows.insert(row)), { behavior: 'immediate' }));
      } catch (err) {
        throw storageError(err);
      }
    },
    (commit) => setImmediate(() => (exclusive ? exclusive.finally(commit) : commit())),
  );
  const commitWaiting = () => void group.commit();

  /** Answers `op` now, or after the exclusive transaction when one is open and this is not it. */
  const runner =
    (inside: boolean) =>
    <T>(op: () => T): Promise<T> => {
      if (exclusive !== null && !inside)
        return exclusive.then(
          () => runner(inside)(op),
          () => runner(inside)(op),
        );
      try {
        return Promise.resolve(op());
      } catch (err) {
        return Promise.reject(storageError(err));
      }
    };

  const build = (inside: boolean): KeyStore => {
    const run = runner(inside);
    return {
      ensureTenant: (row) =>
        run(() => {
          const name = wellFormed(row.name);
          write(() =>
            db
              .insert(tenants)
              .values({ ...row, name })
              .onConflictDoNothing()
              .run(),
          );
          return tenantByName.get({ vendor: row.vendor, name })!;
        }),
      findTenant: (vendor, name) => run(() => tenantByName.get({ vendor, name: wellFormed(name) })),
      findTenantById: (id) => run(() => tenantById.get({ id })),
      ensureProject: (row) =>
        run(() => {
          const externalId = wellFormed(row.externalId);
          write(() =>
            db
              .insert(projects)
              .values({ ...row, externalId })
              .onConflictDoNothing({ target: [projects.vendor, projects.externalId] })
              .run(),
          );
          return projectByExternal.get({ vendor: row.vendor, externalId })!;
        }),
      findProject: (vendor, externalId) =>
        run(() => projectByExternal.get({ vendor, externalId: wellFormed(externalId) })),
      findProjectById: (id) => run(() => db.select().from(projects).where(eq(projects.id, id)).get()),
      listProjects: (tenantId) =>
        run(() =>
          db.select().from(projects).where(eq(projects.tenantId, tenantId)).orderBy(asc(projects.createdAt)).all(),
        ),
      insertKey: inside ? (row) => run(() => insertRow(row)) : (row) => group.add(row),
      findKeyByLookup: (vendor, lookupId) => run(() => keyRows.findByLookup(vendor, lookupId)),
      findKeyById: (id) => run(() => keyRows.findById(id)),
      listKeys: (filter) => run(() => keyRows.list(filter)),
      markRevoked: (id, at) => run(() => write(() => void revoke.run({ id, at: at.getTime() }))),
      touchLastUsed: (entries) =>
        run(() => {
          if (entries.length === 0) return;
          write(() => db.transaction(() => entries.forEach(({ id, at }) => touch.run({ id, at: at.getTime() }))));
        }),
      ensureSetting: (key, value) =>
        run(() => {
          write(() => db.insert(settings).values({ key, value }).onConflictDoNothing().run());
          return db.select().from(settings).where(eq(settings.key, key)).get()!.value;
        }),
    };
  };

  const inTransaction = build(true);
  /** Runs `body` in one IMMEDIATE transaction; calls from outside it wait until it ends. */
  const inExclusive = async <T>(body: () => Promise<T>): Promise<T> => {
    while (exclusive) await exclusive.catch(() => undefined);
    commitWaiting(); // keys acknowledged before a wipe are wiped with the rest
    const running = (async () => {
      write(() => sqlite.exec('BEGIN IMMEDIATE'));
      try {
        const result = await body();
        write(() => sqlite.exec('COMMIT'));
        return result;
      } catch (err) {
        // A list read inside the transaction may show rows it rolled back: write() clears them.
        write(() => sqlite.inTransaction && sqlite.exec('ROLLBACK'));
        throw err;
      }
    })();
    exclusive = running;
    try {
      return await running;
    } finally {
      exclusive = null;
    }
  };
  return {
    ...build(false),
    flushWrites: commitWaiting,
    async exclusive(wipe, work) {
      return inExclusive(async () => {
        if (wipe) write(() => wipeTenants(db, wipe.vendor));
        return work(inTransaction);
      });
    },
    async exclusiveTenant(target, work) {
      return inExclusive(async () => {
        const tenant = tenantByName.get({ vendor: target.vendor, name: target.name });
        if (!tenant) return null;
        const wiped = write(() => wipeTenant(db, tenant.id, target.remove));
        await work(inTransaction);
        return { tenantId: tenant.id, ...wiped };
      });
    },
    writeSetting: (key, value) =>
      runner(false)(() =>
        write(() => {
          if (value === null) db.delete(settings).where(eq(settings.key, key)).run();
          else
            db.insert(settings)
              .values({ key, value })
              .onConflictDoUpdate({ target: settings.key, set: { value } })
              .run();
        }),
      ),
    readSetting: (key) => db.select().from(settings).where(eq(settings.key, key)).get()?.value,
  };
}

/** better-sqlite3's constraint errors as the repository's own. */
function storageError(err: unknown): unknown {
  const { code, message } = err as { code?: string; message?: string };
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    return new DuplicateKey(message?.includes('unique_name') ? 'uniqueName' : 'lookupId');
  }
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return new OwnerGone();
  return err;
}
