// The request journal of every instance, in one table. Entries are written in batches (one
// INSERT every FLUSH_MS at most, off the request path) and the table is trimmed to the newest
// `capacity`. A read first asks every instance to write what it holds, so it sees all of them.
// Live subscribers (the SSE stream) hear of new rows by a notification and read them by id.
import { desc, eq, gt, inArray, sql, asc } from 'drizzle-orm';
import type { JournalRecord, JournalRecords } from '../shared.js';
import type { PostgresBus } from './bus.js';
import { unavailableIfDown, type PostgresDatabase } from './client.js';
import { journal } from './schema.js';

const FLUSH_MS = 100;
const FLUSH_ROWS = 200;

/** The columns an entry fills, with their PostgreSQL types (for unnest). */
const COLUMNS = (
  [
    ['at', journal.at],
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

export class PostgresJournal implements JournalRecords {
  private buffer: Array<Omit<JournalRecord, 'id'>> = [];
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
      if (message.type === 'reset') this.buffer = this.buffer.filter((e) => message.vendor !== undefined && e.vendor !== message.vendor);
      if (message.type === 'journal' || message.type === 'resync') void this.feed();
    });
  }

  append(entry: Omit<JournalRecord, 'id'>): void {
    if (this.capacity === 0) return;
    this.buffer.push(entry);
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
    return rows;
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
        // One array parameter per column: Drizzle's builder spent more on a batch's values than the insert took.
        await this.db.execute(sql`
          insert into ${journal} (${sql.raw(COLUMNS.map((c) => `"${c.name}"`).join(', '))})
          select * from unnest(${sql.join(COLUMNS.map((c) => sql`${sql.param(batch.map((e) => e[c.key]))}::${sql.raw(c.type)}[]`), sql`, `)})`);
        await this.db.execute(sql`delete from ${journal} where id in (select id from ${journal} order by at desc, id desc offset ${this.capacity})`);
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
      for (const listener of this.listeners) listener(row);
    }
  }

  /** Deletes one vendor's entries or all, inside a reset's transaction. */
  static wipe(tx: Pick<PostgresDatabase, 'delete'>, vendor: string | undefined) {
    return vendor === undefined ? tx.delete(journal) : tx.delete(journal).where(inArray(journal.vendor, [vendor]));
  }
}
