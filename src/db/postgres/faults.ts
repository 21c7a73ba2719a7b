// Faults shared by every instance: rows of the faults table. Each instance keeps a copy of the
// table (read on every vendor call), reloaded whenever another instance announces a change; a
// hit is claimed in the row, so `count: 1` fires once across the cluster. While the instance
// cannot trust that it hears every change (bus.ts), every call reads the table instead, as
// cached credentials are checked against the database then.
import { and, asc, eq, gt, isNull, or, sql } from 'drizzle-orm';
import type { FaultFilter, FaultRecord, FaultRecords, FaultSpec } from '../shared-state.js';
import type { PostgresBus } from './bus.js';
import { unavailableIfDown, type PostgresDatabase } from './client.js';
import { faults } from './schema.js';
import { fromPg, toPg } from './text.js';

type Row = typeof faults.$inferSelect;

export class PostgresFaults implements FaultRecords {
  private snapshot: FaultRecord[] = [];
  /** Counts reloads begun and the one whose rows the snapshot holds, so an older read never overwrites a newer one. */
  private reloads = 0;
  private applied = 0;

  constructor(
    private readonly db: PostgresDatabase,
    private readonly bus: PostgresBus,
  ) {
    bus.on((message) => {
      if (
        message.type === 'faults' ||
        message.type === 'reset' ||
        message.type === 'tenant' ||
        message.type === 'resync'
      )
        return this.reload();
    });
  }

  current(): readonly FaultRecord[] | Promise<readonly FaultRecord[]> {
    if (this.bus.trustworthy) return this.snapshot;
    return this.list();
  }

  async add(spec: FaultSpec): Promise<FaultRecord> {
    return unavailableIfDown(
      this.bus.transaction(async (tx, announce) => {
        const [row] = await tx.db
          .insert(faults)
          .values({
            vendor: spec.vendor,
            tenant: spec.tenant === undefined ? undefined : toPg(spec.tenant),
            path: spec.path === undefined ? undefined : toPg(spec.path),
            status: spec.status,
            latencyMs: spec.latencyMs,
            probability: spec.probability,
            count: spec.count,
            remaining: spec.count ?? null,
          })
          .returning();
        await announce({ type: 'faults' });
        return recordOf(row!);
      }),
    );
  }

  async list(): Promise<FaultRecord[]> {
    return (await unavailableIfDown(this.db.select().from(faults).orderBy(asc(faults.id)))).map(recordOf);
  }

  async clear(filter: FaultFilter): Promise<number> {
    return unavailableIfDown(
      this.bus.transaction(async (tx, announce) => {
        const cleared = await PostgresFaults.wipe(tx.db, filter);
        if (cleared.length > 0) await announce({ type: 'faults' });
        return cleared.length;
      }),
    );
  }

  async hit(id: number): Promise<FaultRecord | null> {
    const [row] = await unavailableIfDown(
      this.db
        .update(faults)
        .set({ hits: sql`${faults.hits} + 1`, remaining: sql`${faults.remaining} - 1` })
        .where(and(eq(faults.id, id), or(isNull(faults.remaining), gt(faults.remaining, 0))))
        .returning(),
    );
    if (!row) {
      void this.reload(); // used up elsewhere: our copy is stale
      return null;
    }
    if (row.remaining === 0) {
      // Its last hit: gone for everyone (this call still fires it).
      await unavailableIfDown(
        this.bus.transaction(async (tx, announce) => {
          await tx.db.delete(faults).where(eq(faults.id, id));
          await announce({ type: 'faults' });
        }),
      ).catch(() => undefined);
    }
    return recordOf(row);
  }

  /** Deletes the faults a filter names (inside the caller's transaction, which announces it); answers their ids. */
  static wipe(tx: PostgresDatabase, filter: FaultFilter): Promise<Array<{ id: number }>> {
    const where = and(
      filter.vendor === undefined ? undefined : eq(faults.vendor, filter.vendor),
      filter.tenant === undefined ? undefined : eq(faults.tenant, toPg(filter.tenant)),
      filter.id === undefined ? undefined : eq(faults.id, filter.id),
    );
    return tx.delete(faults).where(where).returning({ id: faults.id });
  }

  /** Reads the table into this instance's copy. */
  async reload(): Promise<void> {
    const reload = ++this.reloads;
    const rows = (await this.db.select().from(faults).orderBy(asc(faults.id))).map(recordOf);
    if (reload < this.applied) return;
    this.applied = reload;
    this.snapshot = rows;
  }
}

function recordOf(row: Row): FaultRecord {
  const record: FaultRecord = {
    id: row.id,
    vendor: row.vendor,
    probability: row.probability,
    hits: row.hits,
    remaining: row.remaining,
  };
  if (row.tenant !== null) record.tenant = fromPg(row.tenant);
  if (row.path !== null) record.path = fromPg(row.path);
  if (row.status !== null) record.status = row.status;
  if (row.latencyMs !== null) record.latencyMs = row.latencyMs;
  if (row.count !== null) record.count = row.count;
  return record;
}
