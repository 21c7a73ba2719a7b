// The test clock's offset in one process: known here at once, and written to the database's
// settings (so a restart on the same file keeps the clock where the tests put it).
import type { ClockOffset } from '../shared-state.js';

export class LocalClock implements ClockOffset {
  readonly trustworthy = true;
  private offset: number;

  /** `stored`: the offset the database holds; `store`: writes one (null = real time). */
  constructor(
    stored: string | undefined,
    private readonly store: (value: string | null) => Promise<void>,
  ) {
    const parsed = Number(stored);
    this.offset = Number.isSafeInteger(parsed) ? parsed : 0;
  }

  current(): number {
    return this.offset;
  }

  async refresh(): Promise<number> {
    return this.offset;
  }

  async set(change: { toMs: number } | { byMs: number }): Promise<number> {
    const next = 'toMs' in change ? change.toMs : this.offset + change.byMs;
    await this.store(next === 0 ? null : String(next));
    this.offset = next;
    return next;
  }

  /** A global reset deleted the stored offset in its transaction: back to real time. */
  forget(): void {
    this.offset = 0;
  }
}
