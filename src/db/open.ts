// Everything keyforge stores, behind one object: the key repository and the state instances
// share (faults, journal, rate-limit counts, events). `--db` picks the engine: a postgres:// or
// postgresql:// URL opens PostgreSQL (several instances on one database), anything else a
// SQLite file or `:memory:` (one process, the default).
import type { KeyStore } from './key-store.js';
import type { ClockOffset, ClusterEvents, FaultRecords, JournalRecords, RateLimitCounter } from './shared-state.js';

/** One tenant to wipe: `remove` deletes it, else only its keys go but its live root credentials. */
export interface TenantTarget {
  vendor: string;
  name: string;
  remove: boolean;
}

/** What a tenant wipe removed. */
export interface TenantWipe {
  keys: number;
  /** Deleted with the tenant (Basic, Peaka); a reset keeps them. */
  projects: number;
  journalEntries: number;
  faults: number;
}

export interface Storage {
  readonly engine: 'sqlite' | 'postgres';
  readonly keys: KeyStore;
  readonly faults: FaultRecords;
  readonly journal: JournalRecords;
  readonly events: ClusterEvents;
  /** Rate-limit counts: this process's (SQLite) or every instance's (PostgreSQL). */
  readonly rateLimits: RateLimitCounter;
  /** The test clock's offset, one for every instance; a global reset sets it back to 0. */
  readonly clock: ClockOffset;
  /**
   * Runs `seed` on a store bound to one transaction, under the cluster-wide bootstrap lock (so
   * demo and seed credentials are stored once however many instances start or reset at once).
   * With `wipe`, first deletes one vendor's state or all of it: tenants, projects, keys, journal
   * entries and faults. Nobody sees the state in between; every live instance has dropped its
   * caches (a `reset` event) before this resolves.
   */
  reseed<T>(wipe: { vendor?: string | undefined } | null, seed: (store: KeyStore) => Promise<T>): Promise<T>;
  /**
   * Wipes one tenant in one transaction (its keys but its live root credentials, or with
   * `remove` the tenant itself with its projects and keys), and its journal entries and faults,
   * then runs `seed` in that transaction (its demo and seed credentials). Null when there is no
   * such tenant. Every live instance has forgotten what it verified of the tenant before this
   * resolves; other tenants' state, cached or stored, is untouched.
   */
  wipeTenant(target: TenantTarget, seed: (store: KeyStore) => Promise<void>): Promise<TenantWipe | null>;
  /** `ok` while the database answers; a `reason` whenever anything is amiss (PostgreSQL: also when invalidations go unheard). */
  health(): Promise<{ ok: boolean; reason?: string }>;
  /** Writes what waits (group commits, journal batches) and closes every connection. */
  close(): Promise<void>;
}

export interface StorageOptions {
  /** SQLite path, `:memory:`, or a PostgreSQL URL. */
  db: string;
  /** PostgreSQL connections per instance. */
  poolSize: number;
  journalSize: number;
  /** This instance's name in the journal and in PostgreSQL's application_name. */
  instance: string;
}

export const isPostgresUrl = (db: string): boolean => /^postgres(ql)?:/i.test(db);

export async function openStorage(options: StorageOptions): Promise<Storage> {
  if (isPostgresUrl(options.db)) {
    const { openPostgresStorage } = await import('./postgres/index.js');
    return openPostgresStorage(options);
  }
  const { openSqliteStorage } = await import('./sqlite/index.js');
  return openSqliteStorage(options);
}
