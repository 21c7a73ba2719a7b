// Opens the SQLite database, sets the pragmas keyforge relies on and applies the drizzle-kit
// migrations in migrations/sqlite/. One connection per app: better-sqlite3 is synchronous, so a
// statement that returned has committed (WAL, synchronous=NORMAL survives a process crash).
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { packagePath } from '../../paths.js';
import { DatabaseOpenError } from '../errors.js';
import { BACKSTOP_PAGES } from './checkpointer.js';
import * as schema from './schema.js';

export type SqliteDatabase = BetterSQLite3Database<typeof schema>;

export interface OpenedSqlite {
  db: SqliteDatabase;
  sqlite: Database.Database;
  close(): void;
}

const MIGRATIONS_FOLDER = packagePath('migrations', 'sqlite');

export function openSqlite(path: string): OpenedSqlite {
  let sqlite: Database.Database;
  try {
    sqlite = new Database(path);
  } catch (err) {
    throw new DatabaseOpenError(`cannot open database ${path}: ${whyNot(path, err)}`);
  }
  try {
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    // 32 MiB of page cache instead of SQLite's 2 MiB: with a million keys, every insert touches
    // random index pages, and missing them cost ~50 µs per insert (measured; RSS stays < 200 MB).
    sqlite.pragma('cache_size = -32768');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    // Checkpoints run on a worker thread (checkpointer.ts); a commit checkpoints only past this.
    if (path !== ':memory:') sqlite.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
    const db = drizzle(sqlite, { schema });
    migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
    return { db, sqlite, close: () => sqlite.open && sqlite.close() };
  } catch (err) {
    sqlite.close();
    throw new DatabaseOpenError(`cannot use database ${path}: ${whyNot(path, err)}`);
  }
}

/** SQLite's "unable to open database file" names no cause; the file system does. */
function whyNot(path: string, err: unknown): string {
  const code = (err as { code?: string }).code;
  if (code === 'SQLITE_NOTADB') return 'it is not a SQLite database';
  if (path === ':memory:') return (err as Error).message;
  const file = resolve(path);
  const directory = dirname(file);
  if (!existsSync(directory)) return `directory ${directory} does not exist`;
  if (existsSync(file) && statSync(file).isDirectory()) return 'it is a directory';
  if (existsSync(file) && !canAccess(file, constants.R_OK | constants.W_OK))
    return 'permission denied (the file must be readable and writable)';
  // WAL mode needs <file>-wal and <file>-shm beside the database.
  if (!canAccess(directory, constants.W_OK))
    return `directory ${directory} is read-only (SQLite writes ${path}-wal beside the database)`;
  if (code === 'SQLITE_READONLY') return 'the database is read-only';
  return (err as Error).message;
}

function canAccess(path: string, mode: number): boolean {
  try {
    accessSync(path, mode);
    return true;
  } catch {
    return false;
  }
}
