// The request journal of every instance, in one table. Entries are written in batches (one
// INSERT every FLUSH_MS at most, off the request path) and the table is trimmed to the newest
// `capacity`. A read first asks every instance to write what it holds, so it sees all of them.
// Live subscribers (the SSE stream) hear of new rows by a notification and read them by id.
// Ids come from the table's identity, so they are unique across instances and restarts; and
// instances insert one at a time (an advisory lock), so ids are committed in order: a reader
// that has seen id N has seen every id below it, and a stream client's Last-Event-ID hides
// nothing it has not had.
//
// A reset wipes the journal, and entries served before it must not land after it: each entry
// carries the reset epochs its instance knew (journal-epochs.ts), and the insert keeps only
// entries of the current ones.
import { desc, eq, gt, sql, asc } from 'drizzle-orm';
import type { JournalRecord, JournalRecords } from '../shared-state.js';
import type { PostgresBus } from './bus.js';
import { LOCKS, unavailableIfDown, type PostgresDatabase } from './client.js';
import { EPOCH, KnownEpochs, TENANT_EPOCH, type EntryEpochs } from './journal-epochs.js';
import { journal, settings } from './schema.js';
import { jsonToPg, rowFromPg } from './text.js';

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

interface Buffered extends EntryEpochs {
  entry: Omit<JournalRecord, 'id'>;
}

/** The batch as JSON, its strings escaped as PostgreSQL text needs (text.ts): a journaled NUL reads back as NUL. */
function batchJson(batch: Buffered[]): string {
  return jsonToPg(
    JSON.stringify(
      batch.map((b) => ({ ...b.entry, epoch: b.epoch, vendorEpoch: b.vendorEpoch, tenantEpoch: b.tenantEpoch })),
    ),
  );
}

export class PostgresJournal implements JournalRecords {
  private buffer: Buffered[] = [];
  private readonly epochs = new KnownEpochs();
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
      if (message.type === 'reset')
        this.buffer = this.buffer.filter((b) => message.vendor !== undefined && b.entry.vendor !== message.vendor);
      if (message.type === 'tenant')
        this.buffer = this.buffer.filter((b) => b.entry.vendor !== message.vendor || b.entry.tenant !== message.tenant);
      if (message.type === 'reset' || message.type === 'tenant' || message.type === 'resync')
        await this.epochs.load(this.db);
      if (message.type === 'journal' || message.type === 'resync') void this.feed();
    });
  }

  append(entry: Omit<JournalRecord, 'id'>): void {
    if (this.capacity === 0) return;
    this.buffer.push({ entry, ...this.epochs.of(entry.vendor, entry.tenant) });
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
          await tx.execute(
            sql`delete from ${journal} where id in (select id from ${journal} order by at desc, id desc offset ${this.capacity})`,
          );
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
    const [newest] = await this.db
      .select({ id: journal.id })
      .from(journal)
      .orderBy(desc(journal.id))
      .limit(1)
      .catch(() => []);
    this.seenId = Math.max(this.seenId, newest?.id ?? 0);
  }

  /** Gives subscribers the rows written since the last they saw. */
  private async feed(): Promise<void> {
    if (this.listeners.size === 0) return;
    const rows = await this.db
      .select()
      .from(journal)
      .where(gt(journal.id, this.seenId))
      .orderBy(asc(journal.id))
      .catch(() => []);
    for (const row of rows) {
      if (row.id <= this.seenId) continue;
      this.seenId = row.id;
      for (const listener of this.listeners) listener(rowFromPg(row));
    }
  }
}
