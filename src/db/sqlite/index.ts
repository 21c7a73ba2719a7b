// The single-process engine: keys in a SQLite file (or :memory:), and what instances would share
// kept in this process's memory, since there is no other instance to share it with.
import { LocalClock } from '../memory/clock.js';
import { LocalEvents } from '../memory/events.js';
import { LocalFaults } from '../memory/faults.js';
import { LocalJournal } from '../memory/journal.js';
import { LocalRateLimits } from '../memory/rate-limits.js';
import type { Storage, StorageOptions } from '../open.js';
import { CLOCK_SETTING } from '../shared-state.js';
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
  const clock = new LocalClock(store.readSetting(CLOCK_SETTING), (value) => store.writeSetting(CLOCK_SETTING, value));
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
    rateLimits: new LocalRateLimits(),
    clock,
    async reseed(wipe, seed) {
      const result = await store.exclusive(wipe, seed);
      if (wipe) {
        journal.clear(wipe.vendor);
        faults.clearNow({ vendor: wipe.vendor });
        if (wipe.vendor === undefined) clock.forget(); // its row went with the transaction
        events.raise({ type: 'reset', vendor: wipe.vendor });
      }
      return result;
    },
    async wipeTenant(target, seed) {
      const wiped = await store.exclusiveTenant(target, seed);
      if (!wiped) return null;
      const journalEntries = journal.clearTenant(target.vendor, target.name);
      const faultCount = faults.clearNow({ vendor: target.vendor, tenant: target.name });
      events.raise({ type: 'tenant', tenantId: wiped.tenantId, vendor: target.vendor, tenant: target.name });
      return { keys: wiped.keys, projects: wiped.projects, journalEntries, faults: faultCount };
    },
    health: async () => (database.sqlite.open ? { ok: true } : { ok: false, reason: 'the database is closed' }),
    async close() {
      store.flushWrites();
      await checkpointer?.close();
      database.close();
    },
  };
}
