// Key lists kept until the next write. Authenticated list calls outnumber writes, and the list
// query was the largest part of such a call. Both engines keep one: SQLite drops it on every
// write; PostgreSQL also on every other instance's write, which that instance announces and
// waits to see acknowledged before it answers (src/db/postgres/bus.ts), so a list is never older
// than a write some client has seen answered.
import type { KeyFilter } from './key-store.js';

/** At most this many distinct filters are kept; then the cache starts over. */
const MAX_CACHED_LISTS = 1000;

export class ListCache<Rows> {
  private readonly lists = new Map<string, Rows>();
  /** Counts invalidations, so a read that raced one is not kept. */
  private generation = 0;

  static keyOf(filter: KeyFilter): string {
    return `${filter.includeRevoked ? 1 : 0}\0${filter.vendor}\0${filter.tenantId}\0${filter.projectId}\0${filter.name}`;
  }

  get(key: string): Rows | undefined {
    return this.lists.get(key);
  }

  /** What `keep` would need to know: the generation a read starts in. */
  get now(): number {
    return this.generation;
  }

  /** Keeps a read's rows, unless an invalidation came after the read began (`since`). */
  keep(key: string, rows: Rows, since = this.generation): void {
    if (since !== this.generation) return;
    if (this.lists.size >= MAX_CACHED_LISTS) this.lists.clear();
    this.lists.set(key, rows);
  }

  /** Every write calls this: cached lists may be stale now. */
  invalidate(): void {
    this.generation++;
    this.lists.clear();
  }
}
