// The test clock's offset on a cluster: one settings row every instance reads. A change is
// made and announced in one transaction and answers once every live instance has re-read it
// (bus.ts); an instance that may have missed an announcement re-reads the row before using
// the offset (the caller asks, as it rechecks cached credentials).
import { eq, sql } from 'drizzle-orm';
import { CLOCK_SETTING, type ClockOffset } from '../shared-state.js';
import type { PostgresBus } from './bus.js';
import { unavailableIfDown, type PostgresDatabase } from './client.js';
import { settings } from './schema.js';

export class PostgresClock implements ClockOffset {
  private offset = 0;
  /** Reads started and the latest one applied: a read that started earlier never overwrites a later one. */
  private reads = 0;
  private applied = 0;

  constructor(
    private readonly db: PostgresDatabase,
    private readonly bus: PostgresBus,
  ) {
    bus.on(async (message) => {
      // A global reset deletes the row; a vendor's keeps it.
      if (
        message.type === 'clock' ||
        message.type === 'resync' ||
        (message.type === 'reset' && message.vendor === undefined)
      )
        await this.refresh().catch(() => undefined);
    });
  }

  get trustworthy(): boolean {
    return this.bus.trustworthy;
  }

  current(): number {
    return this.offset;
  }

  async refresh(): Promise<number> {
    const read = ++this.reads;
    const [row] = await unavailableIfDown(this.db.select().from(settings).where(eq(settings.key, CLOCK_SETTING)));
    if (read > this.applied) {
      this.applied = read;
      this.offset = parseOffset(row?.value);
    }
    return this.offset;
  }

  async set(change: { toMs: number } | { byMs: number }): Promise<number> {
    await unavailableIfDown(
      this.bus.transaction(async (tx, announce) => {
        // A move is added to the stored offset in the statement, so two instances' moves both count.
        await tx.db
          .insert(settings)
          .values({ key: CLOCK_SETTING, value: String('toMs' in change ? change.toMs : change.byMs) })
          .onConflictDoUpdate({
            target: settings.key,
            set: {
              value:
                'toMs' in change
                  ? String(change.toMs)
                  : sql`(${settings.value}::bigint + ${change.byMs}::bigint)::text`,
            },
          });
        await announce({ type: 'clock' });
      }),
    );
    // Read back after the commit, not taken from it: another instance's move that committed just
    // after this one may already have been heard and applied, and must not be overwritten.
    return this.refresh();
  }
}

function parseOffset(value: string | undefined): number {
  const parsed = Number(value);
  return Number.isSafeInteger(parsed) ? parsed : 0;
}
