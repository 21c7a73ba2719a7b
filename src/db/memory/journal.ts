// The request journal of one process: a ring buffer of the last `capacity` entries. A thousand of
// them outlive many garbage collections, so entries stay the flat records they arrive as.
import type { JournalRecord, JournalRecords } from '../shared-state.js';

export class LocalJournal implements JournalRecords {
  /** A ring: `next` is where the next entry goes once the buffer is full. */
  private entries: JournalRecord[] = [];
  private next = 0;
  /**
   * Ids grow across restarts too, so a stream client's Last-Event-ID from an earlier process
   * never hides a later entry: they start at the start time in microseconds, which a process
   * cannot outrun (that would take over 1,000 calls per millisecond of its whole life).
   */
  private nextId = Date.now() * 1000;
  private readonly listeners = new Set<(entry: JournalRecord) => void>();

  constructor(private readonly capacity: number) {}

  append(entry: Omit<JournalRecord, 'id'>): void {
    if (this.capacity === 0) return;
    const record = entry as JournalRecord;
    record.id = this.nextId++;
    if (this.entries.length < this.capacity) this.entries.push(record);
    else {
      this.entries[this.next] = record;
      this.next = (this.next + 1) % this.capacity;
    }
    for (const listener of this.listeners) listener(record);
  }

  async list(filter: { vendor?: string | undefined; limit?: number | undefined }): Promise<JournalRecord[]> {
    const newestFirst = [...this.entries.slice(this.next), ...this.entries.slice(0, this.next)].reverse();
    const matching = filter.vendor === undefined ? newestFirst : newestFirst.filter((e) => e.vendor === filter.vendor);
    return matching.slice(0, filter.limit ?? matching.length);
  }

  /** Forgets one vendor's entries or all (a reset). */
  clear(vendor?: string): void {
    const oldestFirst = [...this.entries.slice(this.next), ...this.entries.slice(0, this.next)];
    this.entries = vendor === undefined ? [] : oldestFirst.filter((e) => e.vendor !== vendor);
    this.next = 0;
  }

  /** Forgets one tenant's entries (a tenant reset or delete); answers how many. */
  clearTenant(vendor: string, tenant: string): number {
    const oldestFirst = [...this.entries.slice(this.next), ...this.entries.slice(0, this.next)];
    this.entries = oldestFirst.filter((e) => e.vendor !== vendor || e.tenant !== tenant);
    this.next = 0;
    return oldestFirst.length - this.entries.length;
  }

  subscribe(listener: (entry: JournalRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
