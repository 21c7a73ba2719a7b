// The request journal of every instance, in one table. Entries are written in batches (one
// INSERT every FLUSH_MS at most, off the request path) and the table is trimmed to the newest
// `capacity`. A read first asks every instance to write what it holds, so it sees all of them.
// Live subscribers (the SSE stream) hear of new rows by a notification and read them by id.
// Ids come from the table's identity, so they are unique across instances and restarts; and
// instances insert one at a time (an advisory lock), so ids are committed in order: a reader
// that has seen id N has seen every id below it, and a stream client's Last-Event-ID hides
// nothing it has not had.
//
// A reset wipes the journal; entries an instance served before it heard of the reset must not
// land after the wipe. So every reset counts an epoch up (one for all vendors, one per vendor,
// in `settings`), each entry carries the epochs its instance knew when it served the call, and
// the insert keeps only entries of the current epochs. A tenant reset or delete ends that
// tenant's own epoch (`journal.tenant-epoch.<vendor>/<tenant>`, looked up per entry by key).
import { and, desc, eq, gt, inArray, like, or, sql, asc } from 'drizzle-orm';
import type { JournalRecord, JournalRecords } from '../shared-state.js';
import type { PostgresBus } from './bus.js';
import { LOCKS, unavailableIfDown, type PostgresDatabase } from './client.js';
import { journal, settings } from './schema.js';
import { jsonToPg, rowFromPg, toPg } from './text.js';

const EPOCH = 'journal.epoch';
const vendorEpoch = (vendor: string) => `${EPOCH}.${vendor}`;
const TENANT_EPOCH = 'journal.tenant-epoch.';
const tenantEpoch = (vendor: string, tenant: string) => `${TENANT_EPOCH}${vendor}/${toPg(tenant)}`;

const FLUSH_MS = 100;
/** A batch written at once; larger batches share one statement's fixed cost (and the trim's). */
const FLUSH_ROWS = 1000;

/** The columns an entry fills, with their PostgreSQL types (for json_to_recordset). */
const COLUMNS = (
  [
    ['at', journal.at],
    ['emulatedAt', journal.emulatedAt],
    ['instance', journal.instance],
    ['vendor', journal.vendor],
    ['method', journal.method],
    ['path', journal.path],
    ['status', journal.status],
    ['latencyMs', journal.latencyMs],
    ['tenant', journal.tenant],
    ['keyId', journal.keyId],
    ['requestHeaders', journal.requestHeaders],
    ['requestBody', journal.requestBody],
    ['responseHeaders', journal.responseHeaders],
    ['responseType', journal.responseType],
    ['responseBody', journal.responseBody],
    ['refusal', journal.refusal],
  ] as const
).map(([key, column]) => ({ key, name: column.name, type: column.getSQLType() }));

/** The insert's column list, and a batch entry's JSON fields (named as in JournalRecord) with their types and as picked. */
const COLUMN_NAMES = COLUMNS.map((c) => `"${c.name}"`).join(', ');
const ENTRY_TYPES = COLUMNS.map((c) => `"${c.key}" ${c.type}`).join(', ');
const ENTRY_FIELDS = COLUMNS.map((c) => `e."${c.key}"`).join(', ');

interface Buffered {
  entry: Omit<JournalRecord, 'id'>;
  /** The epochs known when the call was served: all vendors', its vendor's and its tenant's. */
  epoch: number;
  vendorEpoch: number;
  tenantEpoch: number;
}

/** The batch as JSON, its strings escaped as PostgreSQL text needs (text.ts): a journaled NUL reads back as NUL. */
function batchJson(batch: Buffered[]): string {
  return jsonToPg(JSON.stringify(batch.map((b) => ({ ...b.entry, epoch: b.epoch, vendorEpoch: b.vendorEpoch, tenantEpoch: b.tenantEpoch }))));
}

export class PostgresJournal implements JournalRecords {
  private buffer: Buffered[] = [];
  private epochs = new Map<string, number>();
  /** How many of `epochs` are tenants' (none: no lookup per entry). */
  private tenantEpochs = 0;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private readonly listeners = new Set<(entry: JournalRecord) => void>();
  /** The newest id subscribers have been given. */
  private seenId = 0;

  constructor(
    private readonly db: PostgresDatabase,
    private readonly bus: PostgresBus,
    private readonly capacity: number,
  ) {
    bus.on(async (message, fromHere) => {
      if (message.type === 'flush-journal' && !fromHere) await this.flush();
      if (message.type === 'reset') this.buffer = this.buffer.filter((b) => message.vendor !== undefined && b.entry.vendor !== message.vendor);
      if (message.type === 'tenant') this.buffer = this.buffer.filter((b) => b.entry.vendor !== message.vendor || b.entry.tenant !== message.tenant);
      if (message.type === 'reset' || message.type === 'tenant' || message.type === 'resync') await this.loadEpochs();
      if (message.type === 'journal' || message.type === 'resync') void this.feed();
    });
  }

  append(entry: Omit<JournalRecord, 'id'>): void {
    if (this.capacity === 0) return;
    const ofTenant = entry.tenant === null || this.tenantEpochs === 0 ? 0 : (this.epochs.get(tenantEpoch(entry.vendor, entry.tenant)) ?? 0);
    this.buffer.push({ entry, epoch: this.epochs.get(EPOCH) ?? 0, vendorEpoch: this.epochs.get(vendorEpoch(entry.vendor)) ?? 0, tenantEpoch: ofTenant });
    // While the database is away, only the newest entries are worth keeping.
    if (this.buffer.length > this.capacity) this.buffer.splice(0, this.buffer.length - this.capacity);
    if (this.buffer.length >= FLUSH_ROWS) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), FLUSH_MS).unref();
  }

  async list(filter: { vendor?: string | undefined; limit?: number | undefined }): Promise<JournalRecord[]> {
    await unavailableIfDown(this.bus.publish({ type: 'flush-journal' }));
    await this.flush();
    const rows = await unavailableIfDown(
      this.db
        .select()
        .from(journal)
        .where(filter.vendor === undefined ? undefined : eq(journal.vendor, filter.vendor))
        .orderBy(desc(journal.at), desc(journal.id))
        .limit(Math.min(filter.limit ?? this.capacity, this.capacity)),
    );
    return rows.map(rowFromPg);
  }

  subscribe(listener: (entry: JournalRecord) => void): () => void {
    if (this.listeners.size === 0) void this.startFeed();
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Writes the buffered entries (one batch at a time) and trims the table. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.flushing = this.flushing.then(async () => {
      const batch = this.buffer;
      this.buffer = [];
      if (batch.length === 0) return;
      try {
        // The batch as one JSON parameter: node-postgres escapes array parameters element by
        // element in JavaScript, which cost more main-thread time than the insert took; the
        // epoch checks run once per statement. Entries of an epoch a reset has ended are left out.
        await this.db.transaction(async (tx) => {
          // One writer at a time across instances, so ids commit in order and a live reader misses none.
          await tx.execute(sql`select pg_advisory_xact_lock(${LOCKS.journal[0]}, ${LOCKS.journal[1]})`);
          await tx.execute(sql`
            with epochs as (select key, value::int as value from ${settings} where key like ${`${EPOCH}%`})
            insert into ${journal} (${sql.raw(COLUMN_NAMES)})
            select ${sql.raw(ENTRY_FIELDS)} from json_to_recordset(${batchJson(batch)}::json) as e(${sql.raw(ENTRY_TYPES)}, epoch int, "vendorEpoch" int, "tenantEpoch" int)
            where e.epoch = coalesce((select value from epochs where key = ${EPOCH}), 0)
              and e."vendorEpoch" = coalesce((select value from epochs where key = ${`${EPOCH}.`} || e.vendor), 0)
              and e."tenantEpoch" = coalesce((select ${settings.value}::int from ${settings} where ${settings.key} = ${TENANT_EPOCH} || e.vendor || '/' || e.tenant), 0)`);
          await tx.execute(sql`delete from ${journal} where id in (select id from ${journal} order by at desc, id desc offset ${this.capacity})`);
        });
      } catch {
        this.buffer = [...batch, ...this.buffer].slice(-this.capacity); // tried again with the next flush
        this.timer ??= setTimeout(() => void this.flush(), 1000).unref();
        return;
      }
      void this.bus.tell({ type: 'journal' }).catch(() => undefined);
      void this.feed();
    });
    return this.flushing;
  }

  private async startFeed(): Promise<void> {
    const [newest] = await this.db.select({ id: journal.id }).from(journal).orderBy(desc(journal.id)).limit(1).catch(() => []);
    this.seenId = Math.max(this.seenId, newest?.id ?? 0);
  }

  /** Gives subscribers the rows written since the last they saw. */
  private async feed(): Promise<void> {
    if (this.listeners.size === 0) return;
    const rows = await this.db.select().from(journal).where(gt(journal.id, this.seenId)).orderBy(asc(journal.id)).catch(() => []);
    for (const row of rows) {
      if (row.id <= this.seenId) continue;
      this.seenId = row.id;
      for (const listener of this.listeners) listener(rowFromPg(row));
    }
  }

  /** The reset epochs (tenants' too), as the database has them. */
  private async loadEpochs(): Promise<void> {
    const rows = await this.db.select().from(settings).where(or(like(settings.key, `${EPOCH}%`), like(settings.key, `${TENANT_EPOCH}%`)));
    this.epochs = new Map(rows.map((row) => [row.key, Number(row.value)]));
    this.tenantEpochs = rows.filter((row) => row.key.startsWith(TENANT_EPOCH)).length;
  }

  /** Inside a reset's transaction: deletes one vendor's entries or all, and ends their epoch. */
  static async wipe(tx: PostgresDatabase, vendor: string | undefined): Promise<void> {
    await PostgresJournal.holdWriters(tx);
    await (vendor === undefined ? tx.delete(journal) : tx.delete(journal).where(inArray(journal.vendor, [vendor])));
    await tx
      .insert(settings)
      .values({ key: vendor === undefined ? EPOCH : vendorEpoch(vendor), value: '1' })
      .onConflictDoUpdate({ target: settings.key, set: { value: sql`(${settings.value}::int + 1)::text` } });
  }

  /** Inside a tenant wipe's transaction: deletes the tenant's entries and ends its epoch; answers how many went. */
  static async wipeTenant(tx: PostgresDatabase, vendor: string, tenant: string): Promise<number> {
    await PostgresJournal.holdWriters(tx);
    const gone = await tx.delete(journal).where(and(eq(journal.vendor, vendor), eq(journal.tenant, toPg(tenant)))).returning({ id: journal.id });
    await tx
      .insert(settings)
      .values({ key: tenantEpoch(vendor, tenant), value: '1' })
      .onConflictDoUpdate({ target: settings.key, set: { value: sql`(${settings.value}::int + 1)::text` } });
    return gone.length;
  }

  /**
   * Takes the writers' lock for the rest of a wipe's transaction: a batch being written when the
   * wipe begins commits first (and is wiped), and one that starts later reads the new epoch (and
   * is dropped). Without it, an insert whose statement began before the wipe committed read the
   * old epoch and landed after the wipe.
   */
  private static async holdWriters(tx: PostgresDatabase): Promise<void> {
    await tx.execute(sql`select pg_advisory_xact_lock(${LOCKS.journal[0]}, ${LOCKS.journal[1]})`);
  }
}
