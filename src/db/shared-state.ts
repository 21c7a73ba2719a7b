// What the instances of one keyforge share besides keys: the faults in force, the request
// journal, rate-limit counts, and the events that keep every instance's caches honest. A single
// SQLite process keeps them in memory (src/db/memory/); on PostgreSQL they live in tables and
// travel by LISTEN/NOTIFY (src/db/postgres/), so N instances behave as one.

export interface FaultSpec {
  vendor: string;
  /** Fires only for calls whose credential belongs to this tenant (its name), checked once the vendor's auth accepted it. */
  tenant?: string | undefined;
  path?: string | undefined;
  status?: number | undefined;
  latencyMs?: number | undefined;
  probability: number;
  count?: number | undefined;
}

export interface FaultRecord extends FaultSpec {
  id: number;
  hits: number;
  /** Hits left before the fault clears itself; null = never. */
  remaining: number | null;
}

export interface FaultFilter {
  vendor?: string | undefined;
  tenant?: string | undefined;
  id?: number | undefined;
}

export interface FaultRecords {
  /**
   * The faults in force, read on every vendor call: this instance's copy, at once; or, while it
   * may be missing changes made elsewhere (ClusterEvents.trustworthy is false), read afresh.
   */
  current(): readonly FaultRecord[] | Promise<readonly FaultRecord[]>;
  add(spec: FaultSpec): Promise<FaultRecord>;
  list(): Promise<FaultRecord[]>;
  /** Clears all faults, one vendor's, one tenant's (with its vendor) or one by id; answers how many. */
  clear(filter: FaultFilter): Promise<number>;
  /** Counts one hit, once across every instance; null when the fault is gone or used up meanwhile. */
  hit(id: number): Promise<FaultRecord | null>;
}

/** One journal entry as stored: flat, redacted already. */
export interface JournalRecord {
  id: number;
  /** Epoch milliseconds, real time. */
  at: number;
  /** The test clock's time when it was moved (epoch milliseconds), else null. */
  emulatedAt: number | null;
  /** The instance that served the call. */
  instance: string;
  vendor: string;
  method: string;
  path: string;
  status: number;
  latencyMs: number;
  /** The tenant whose credential made the call (its name), once the vendor's auth accepted it; else null. */
  tenant: string | null;
  /** keyforge's id of that credential (as /_keyforge/keys lists it); null for none or a Basic user JWT. */
  keyId: string | null;
  /** Raw header lines, name and value alternating, joined by newlines (redacted). */
  requestHeaders: string;
  requestBody: string | null;
  /** Response header lines, as requestHeaders (secret headers redacted). */
  responseHeaders: string;
  responseType: string | null;
  responseBody: string | null;
  /** Which check refused the call (4xx), e.g. "authentication"; null otherwise. */
  refusal: string | null;
}

export interface JournalRecords {
  /** Adds an entry (PostgreSQL writes them in batches; a read sees every instance's). */
  append(entry: Omit<JournalRecord, 'id'>): void;
  /** Newest first. */
  list(filter: { vendor?: string | undefined; limit?: number | undefined }): Promise<JournalRecord[]>;
  /** Calls `listener` with every entry recorded from now on, by any instance; answers an unsubscribe. */
  subscribe(listener: (entry: JournalRecord) => void): () => void;
}

/** What instances tell each other; the storage raises them, in order, on every instance. */
export type ClusterEvent =
  | { type: 'revoked'; ids: string[] }
  | { type: 'reset'; vendor?: string | undefined }
  /** One tenant's keys were wiped (a tenant reset) or the tenant deleted: forget what was verified of it. */
  | { type: 'tenant'; tenantId: string; vendor: string; tenant: string };

/** What lets vendor calls through: the reset gate (src/pipeline/reset-gate.ts). */
export interface CallGate {
  /** Closes it to new calls and resolves once none is in flight; the answered function opens it again. */
  close(): Promise<() => void>;
}

export interface ClusterEvents {
  /** `handler` hears every event, raised by this instance (before the call that raised it resolves) or another. */
  subscribe(handler: (event: ClusterEvent) => void): void;
  /** Resets made through other instances close `gate` until they are done (one process: nothing to do). */
  guard(gate: CallGate): void;
  /**
   * False while this instance may be missing events (its listening connection is down or
   * silent): what it caches from the database must then be checked against it on every use.
   */
  readonly trustworthy: boolean;
}

/** @fastify/rate-limit's store contract, counting per key in fixed windows. */
export interface RateLimitCounter {
  /**
   * Counts a hit at `nowMs` (the test clock's time) and answers the hits in the key's current
   * window and the ms until it ends. A window that `nowMs` lies outside of (the clock moved on,
   * or back) is over.
   */
  increment(key: string, windowMs: number, nowMs: number): Promise<{ hits: number; msLeft: number }>;
}

/**
 * The test clock's offset from real time (ms), one for every instance: a cluster keeps it in
 * the database and announces each change; a global reset sets it back to 0.
 */
export interface ClockOffset {
  /** The offset as this instance knows it: read on every clock reading, so synchronous. */
  current(): number;
  /** False while this instance may miss changes (as ClusterEvents.trustworthy): then refresh() before trusting current(). */
  readonly trustworthy: boolean;
  /** Reads the offset from where it is kept (an instance that may have missed a change does, before using it). */
  refresh(): Promise<number>;
  /** Sets the offset, or moves it by `byMs` atomically; resolves once every instance uses the new one. */
  set(change: { toMs: number } | { byMs: number }): Promise<number>;
}

/** The settings row that keeps the offset (ms, as text) on both engines; no row = real time. */
export const CLOCK_SETTING = 'clock.offset-ms';
