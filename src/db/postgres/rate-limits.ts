// --rate-limit counts shared by every instance: one row per credential digest holding the hits
// of its current fixed window. Time comes from the database's clock, so instances whose clocks
// differ still agree on when a window ends.
import { sql } from 'drizzle-orm';
import type { RateLimitCounter } from '../shared-state.js';
import { unavailableIfDown, type PostgresDatabase } from './client.js';
import { rateLimits } from './schema.js';

const NOW_MS = sql`(extract(epoch from clock_timestamp()) * 1000)::bigint`;
/** Every this many increments, windows that ended an hour ago are deleted. */
const SWEEP_EVERY = 1000;

export class PostgresRateLimits implements RateLimitCounter {
  private increments = 0;

  constructor(private readonly db: PostgresDatabase) {}

  async increment(key: string, windowMs: number): Promise<{ hits: number; msLeft: number }> {
    if (++this.increments % SWEEP_EVERY === 0) void this.sweep();
    // One reading of the clock for the whole statement (a CTE with a volatile function is
    // evaluated once): read apart, the window's end and its time left could disagree by a tick.
    const result = await unavailableIfDown(
      this.db.execute<{ hits: number; ms_left: string }>(sql`
        with now as (select ${NOW_MS} as ms)
        insert into ${rateLimits} as r (key, window_ends_at, hits) select ${key}, now.ms + ${windowMs}, 1 from now
        on conflict (key) do update set
          hits = case when r.window_ends_at <= excluded.window_ends_at - ${windowMs} then 1 else r.hits + 1 end,
          window_ends_at = case when r.window_ends_at <= excluded.window_ends_at - ${windowMs} then excluded.window_ends_at else r.window_ends_at end
        returning hits, window_ends_at - (select ms from now) as ms_left`),
    );
    const row = result.rows[0]!;
    return { hits: row.hits, msLeft: Math.max(0, Number(row.ms_left)) };
  }

  private async sweep(): Promise<void> {
    await this.db.execute(sql`delete from ${rateLimits} where window_ends_at < ${NOW_MS} - 3600000`).catch(() => undefined);
  }
}
