// The scale-out engine: keys, faults, the journal and rate-limit counts in one PostgreSQL
// database that several keyforge instances share, with LISTEN/NOTIFY keeping each instance's
// caches honest (bus.ts). Behaves, from outside, as one keyforge.
import { and, eq, sql } from 'drizzle-orm';
import { DatabaseOpenError } from '../errors.js';
import type { Storage, StorageOptions } from '../open.js';
import { CLOCK_SETTING } from '../shared-state.js';
import { PostgresBus } from './bus.js';
import { PostgresClock } from './clock.js';
import { describeUrl, LOCKS, openPostgres, reasonOf, unavailableIfDown } from './client.js';
import { PostgresFaults } from './faults.js';
import { PostgresJournal } from './journal.js';
import { wipeJournal, wipeTenantJournal } from './journal-epochs.js';
import { Pipeline } from './pipeline.js';
import { PostgresRateLimits } from './rate-limits.js';
import { DRAIN_MS } from './reset-holds.js';
import { faults as faultsTable, settings, tenants } from './schema.js';
import { createPostgresStore, wipeTenant, wipeTenants } from './store.js';
import { toPg } from './text.js';

const HEALTH_TIMEOUT_MS = 2000;
/** Pipelined connections for the request path (beside the --db-pool pool, for transactions). */
const PIPELINED_CONNECTIONS = 2;

export async function openPostgresStorage(options: StorageOptions): Promise<Storage> {
  const { pool, db } = await openPostgres({
    url: options.db,
    poolSize: options.poolSize,
    applicationName: `keyforge ${options.instance}`,
  });
  const bus = new PostgresBus(db, pool, options.db, options.instance);
  const pipeline = new Pipeline(
    { url: options.db, applicationName: `keyforge ${options.instance}` },
    PIPELINED_CONNECTIONS,
  );
  const connections = { db, fast: pipeline, bus };
  const store = createPostgresStore(connections);
  const faults = new PostgresFaults(db, bus);
  const journal = new PostgresJournal(db, bus, options.journalSize);
  const clock = new PostgresClock(db, bus);
  try {
    await bus.start(); // its first resync loads the faults and the clock
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw new DatabaseOpenError(`cannot listen on PostgreSQL at ${describeUrl(options.db)}: ${reasonOf(err)}`);
  }
  let resets = 0;
  /** The wipe and re-seed, in one transaction under the bootstrap lock; every live instance has dropped its caches when it resolves. */
  const reseedNow: Storage['reseed'] = (wipe, seed) =>
    unavailableIfDown(
      bus.transaction(async (tx, announce) => {
        // Instances starting or resetting at once take turns: demo and seed credentials are stored once.
        await tx.db.execute(sql`select pg_advisory_xact_lock(${LOCKS.bootstrap[0]}, ${LOCKS.bootstrap[1]})`);
        if (wipe) {
          await wipeTenants(tx.db, wipe.vendor);
          await wipeJournal(tx.db, wipe.vendor);
          await (wipe.vendor === undefined
            ? tx.db.delete(faultsTable)
            : tx.db.delete(faultsTable).where(eq(faultsTable.vendor, wipe.vendor)));
          // A global reset returns the test clock to real time (every instance re-reads it on the reset).
          if (wipe.vendor === undefined) await tx.db.delete(settings).where(eq(settings.key, CLOCK_SETTING));
          await announce({ type: 'reset', vendor: wipe.vendor });
        }
        return seed(createPostgresStore(connections, tx));
      }),
    );
  return {
    engine: 'postgres',
    keys: store,
    faults,
    journal,
    events: bus,
    rateLimits: new PostgresRateLimits(db),
    clock,
    async reseed(wipe, seed) {
      await store.flushWrites(); // keys acknowledged before a wipe are wiped with the rest
      if (!wipe) return reseedNow(null, seed);
      // The other instances close their gates and let their calls in flight finish first (reset-holds.ts).
      const id = `${bus.sid}:${++resets}`;
      await unavailableIfDown(
        bus.publish({ type: 'reset-begin', id }, { timeoutMs: DRAIN_MS, suspectOnTimeout: false }),
      );
      try {
        return await reseedNow(wipe, seed);
      } finally {
        await bus.tell({ type: 'reset-end', id }).catch(() => undefined);
      }
    },
    async wipeTenant(target, seed) {
      await store.flushWrites(); // keys acknowledged before the wipe are wiped with the rest
      // Journal entries every instance holds are written first, so the count says what went.
      await unavailableIfDown(bus.publish({ type: 'flush-journal' }));
      await journal.flush();
      return unavailableIfDown(
        bus.transaction(async (tx, announce) => {
          await tx.db.execute(sql`select pg_advisory_xact_lock(${LOCKS.bootstrap[0]}, ${LOCKS.bootstrap[1]})`);
          const [tenant] = await tx.db
            .select()
            .from(tenants)
            .where(and(eq(tenants.vendor, target.vendor), eq(tenants.name, toPg(target.name))));
          if (!tenant) return null;
          const removed = await wipeTenant(tx.db, tenant.id, target.remove);
          const journalEntries = await wipeTenantJournal(tx.db, target.vendor, target.name);
          const faultCount = (await PostgresFaults.wipe(tx.db, { vendor: target.vendor, tenant: target.name })).length;
          await announce({ type: 'tenant', tenantId: tenant.id, vendor: target.vendor, tenant: target.name });
          await seed(createPostgresStore(connections, tx));
          return { ...removed, journalEntries, faults: faultCount };
        }),
      );
    },
    async health() {
      try {
        await Promise.race([
          pool.query('select 1'),
          new Promise((_, reject) =>
            setTimeout(() => reject(new Error(`no answer in ${HEALTH_TIMEOUT_MS} ms`)), HEALTH_TIMEOUT_MS).unref(),
          ),
        ]);
      } catch (err) {
        return { ok: false, reason: `PostgreSQL at ${describeUrl(options.db)} does not answer: ${reasonOf(err)}` };
      }
      const distrust = bus.distrust;
      return distrust === null
        ? { ok: true }
        : { ok: true, reason: `${distrust}; cached credentials are checked against the database` };
    },
    async close() {
      await store.flushWrites();
      await journal.flush();
      await bus.close();
      await pipeline.close();
      await pool.end();
    },
  };
}
