// Rate-limit counts of one process, in fixed windows on the time it is given (the test clock):
// a window ends when that time passes its end, or lies before its start (the clock was set
// back). Bounded like @fastify/rate-limit's own store: the least recently counted keys go first.
import type { RateLimitCounter } from '../shared-state.js';

const CAPACITY = 5000;

export class LocalRateLimits implements RateLimitCounter {
  private readonly windows = new Map<string, { startMs: number; hits: number }>();

  async increment(key: string, windowMs: number, nowMs: number): Promise<{ hits: number; msLeft: number }> {
    let window = this.windows.get(key);
    if (window === undefined || nowMs >= window.startMs + windowMs || nowMs < window.startMs)
      window = { startMs: nowMs, hits: 0 };
    window.hits++;
    // Re-inserted, so the map's order is the order keys were last counted in.
    this.windows.delete(key);
    this.windows.set(key, window);
    if (this.windows.size > CAPACITY) this.windows.delete(this.windows.keys().next().value!);
    return { hits: window.hits, msLeft: window.startMs + windowMs - nowMs };
  }
}
