// Last-use times: recorded on every verified call, written in batches so no request waits on
// them, and flushed on close. A batch the database refuses waits for the next flush.
import type { KeyStore } from '../db/key-store.js';
import type { Clock, KeyRecord } from './records.js';

const FLUSH_MS = 1000;

export class LastUse {
  private readonly pending = new Map<string, Date>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: KeyStore,
    private readonly clock: Clock,
  ) {}

  note(id: string): void {
    this.pending.set(id, this.clock());
    this.timer ??= setTimeout(() => void this.flush().catch(() => undefined), FLUSH_MS).unref();
  }

  /** The key's last use: one not yet written, or the stored one. */
  of(key: KeyRecord): Date | null {
    return this.pending.get(key.id) ?? key.lastUsedAt;
  }

  /** A deleted key's pending use is never written. */
  forget(id: string): void {
    this.pending.delete(id);
  }

  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const entries = [...this.pending].map(([id, at]) => ({ id, at }));
    try {
      await this.store.touchLastUsed(entries);
    } catch (err) {
      if (this.pending.size > 0)
        this.timer ??= setTimeout(() => void this.flush().catch(() => undefined), FLUSH_MS).unref();
      throw err;
    }
    // Forgotten only once written: until then a list (PostgreSQL answers it meanwhile) shows the pending use.
    for (const { id, at } of entries) if (this.pending.get(id) === at) this.pending.delete(id);
  }
}
