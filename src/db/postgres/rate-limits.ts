// --rate-limit counts shared by every instance: one row per credential digest holding the hits
// of its current fixed window. Time is the caller's test clock, passed in once per statement
// (every comparison reads the same instant): a window ends when that time passes its end, or
// lies before its start (the clock was set back).
import { sql } from 'drizzle-orm';
import type { RateLimitCounter } from '../shared-state.js';
import { unavailableIfDown, type PostgresDatabase } from './client.js';
import { rateLimits } from './schema.js';

/** Every this many increments, windows an hour away from the clock are deleted. */
const SWEEP_EVERY = 1000;

export class PostgresRateLimits implements RateLimitCounter {
  private increments = 0;

  constructor(private readonly db: PostgresDatabase) {}

  async increment(key: string, windowMs: number, nowMs: number): Promise<{ hits: number; msLeft: number }> {
    if (++this.increments % SWEEP_EVERY === 0) void this.sweep(nowMs);
    const now = sql`${Math.round(nowMs)}::bigint`;
    const over = sql`(r.window_ends_at <= ${now} or r.window_ends_at - ${windowMs} > ${now})`;
    const result = await unavailableIfDown(
      this.db.execute<{ hits: number; ms_left: string }>(sql`
        insert into ${rateLimits} as r (key, window_ends_at, hits) values (${key}, ${now} + ${windowMs}, 1)
        on conflict (key) do update set
          hits = case when ${over} then 1 else r.hits + 1 end,
          window_ends_at = case when ${over} then ${now} + ${windowMs} else r.window_ends_at end
        returning hits, window_ends_at - ${now} as ms_left`),
    );
    const row = result.rows[0]!;
    return { hits: row.hits, msLeft: Math.max(0, Number(row.ms_left)) };
  }

  private async sweep(nowMs: number): Promise<void> {
    // Windows that ended an hour ago, or that start an hour from now (the clock was set back since).
    const now = Math.round(nowMs);
    await this.db
      .execute(
        sql`delete from ${rateLimits} where window_ends_at < ${now}::bigint - 3600000 or window_ends_at > ${now}::bigint + 3600000`,
      )
      .catch(() => undefined);
  }
}
