// The single-process engine: keys in a SQLite file (or :memory:), and what instances would share
// kept in this process's memory, since there is no other instance to share it with.
import { LocalEvents } from '../memory/events.js';
import { LocalFaults } from '../memory/faults.js';
import { LocalJournal } from '../memory/journal.js';
import type { Storage, StorageOptions } from '../open.js';
import { Checkpointer } from './checkpointer.js';
import { openSqlite } from './client.js';
import { createSqliteStore } from './store.js';

export function openSqliteStorage(options: Pick<StorageOptions, 'db' | 'journalSize'>): Storage {
  const database = openSqlite(options.db);
  const checkpointer = options.db === ':memory:' ? null : new Checkpointer(options.db);
  const store = createSqliteStore(database, checkpointer ? () => checkpointer.wrote() : undefined);
  const events = new LocalEvents();
  const faults = new LocalFaults();
  const journal = new LocalJournal(options.journalSize);
  return {
    engine: 'sqlite',
    keys: {
      ...store,
      markRevoked: async (id, at) => {
        await store.markRevoked(id, at);
        events.raise({ type: 'revoked', ids: [id] });
      },
    },
    faults,
    journal,
    events,
    rateLimits: null,
    async reseed(wipe, seed) {
      const result = await store.exclusive(wipe, seed);
      if (wipe) {
        journal.clear(wipe.vendor);
        faults.clearNow({ vendor: wipe.vendor });
        events.raise({ type: 'reset', vendor: wipe.vendor });
      }
      return result;
    },
    health: async () => (database.sqlite.open ? { ok: true } : { ok: false, reason: 'the database is closed' }),
    async close() {
      store.flushWrites();
      await checkpointer?.close();
      database.close();
    },
  };
}
