// The test clock: real time plus an offset that tests move (`PUT /_keyforge/clock`). Every
// reading of time that a client can observe goes through `now` (expiry, created and last-use
// times, JWT iat/exp, Spring timestamps, rate-limit windows), so moving the clock moves them
// all at once; time keeps running from the new point. The offset is kept by the storage (one
// for every instance on a database; src/db/shared-state.ts), so `now` stays synchronous.
import type { ClockOffset } from '../db/shared-state.js';
import { addDuration, type Duration } from './duration.js';
import type { Clock } from './records.js';

/** The times the clock may show: ISO-8601 without an expanded year, and no date before the epoch. */
export const CLOCK_RANGE = {
  earliest: new Date(Date.UTC(1970, 0, 1)),
  latest: new Date(Date.UTC(9999, 11, 31, 23, 59, 59, 999)),
};

export interface ClockState {
  now: Date;
  /** Emulated minus real time, in ms; 0 when the clock is not moved. */
  offsetMs: number;
}

export function inClockRange(date: Date): boolean {
  const ms = date.getTime();
  return ms >= CLOCK_RANGE.earliest.getTime() && ms <= CLOCK_RANGE.latest.getTime();
}

export class EmulatedClock {
  /**
   * `real`: real time (tests may inject their own); `offset`: where the offset is kept.
   */
  constructor(
    private readonly real: Clock,
    private readonly offset: ClockOffset,
  ) {}

  /** The emulated time: what every expiry check and timestamp reads. */
  readonly now: Clock = () => {
    const offset = this.offset.current();
    return offset === 0 ? this.real() : new Date(this.real().getTime() + offset);
  };

  /** The offset as this instance knows it (synchronous, for the journal). */
  get offsetMs(): number {
    return this.offset.current();
  }

  /** Whether the offset this instance knows may be stale (it may have missed a change): `refresh()` first. */
  get trustworthy(): boolean {
    return this.offset.trustworthy;
  }

  refresh(): Promise<number> {
    return this.offset.refresh();
  }

  /** The time and offset, read from where they are kept when this instance may have missed a change. */
  async state(): Promise<ClockState> {
    if (!this.offset.trustworthy) await this.offset.refresh();
    return this.snapshot();
  }

  /** Where `duration` from the emulated now leads (calendar steps in UTC); may lie outside CLOCK_RANGE. */
  after(duration: Duration): Date {
    return addDuration(this.now(), duration);
  }

  /** Moves the clock by `duration`, atomically with respect to other instances' moves. */
  async advance(duration: Duration): Promise<ClockState> {
    const now = this.now();
    await this.offset.set({ byMs: addDuration(now, duration).getTime() - now.getTime() });
    return this.snapshot();
  }

  /** Sets the emulated time to `at`; it runs on from there. */
  async set(at: Date): Promise<ClockState> {
    await this.offset.set({ toMs: at.getTime() - this.real().getTime() });
    return this.snapshot();
  }

  /** Back to real time. */
  async reset(): Promise<ClockState> {
    await this.offset.set({ toMs: 0 });
    return this.snapshot();
  }

  private snapshot(): ClockState {
    return { now: this.now(), offsetMs: this.offset.current() };
  }
}
