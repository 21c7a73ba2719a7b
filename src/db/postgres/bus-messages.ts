// What the instances on one PostgreSQL database say to each other on the bus (bus.ts): every
// message, and how it travels as a notification's payload. Apart from bus.ts, which sends them,
// hears them and waits for their acknowledgements; the modules that announce or handle a
// message need only its type.
import type { ClusterEvent } from '../shared-state.js';

export type BusMessage =
  | ClusterEvent
  /** Keys were added or changed: drop cached lists. */
  | { type: 'keys' }
  /** The fault table changed: reload it. */
  | { type: 'faults' }
  /** Write your buffered journal entries now (a journal read is waiting). */
  | { type: 'flush-journal' }
  /** New journal entries were written. */
  | { type: 'journal' }
  /** The test clock's offset changed: re-read it. */
  | { type: 'clock' }
  /** Local only: the listening connection was (re)opened, so anything may have changed unheard. */
  | { type: 'resync' }
  /** The sender hears again (a new listening connection, or heartbeats answered after a lapse): wait for it again. */
  | { type: 'listening' }
  /** A reset is about to wipe: close your gate to vendor calls and acknowledge once none is in flight (reset-holds.ts). */
  | { type: 'reset-begin'; id: string }
  /** That reset is over, done or not: open your gate. */
  | { type: 'reset-end'; id: string };

/** A notification's payload: a message with its sequence number (0: no acknowledgement wanted), or an acknowledgement of one. */
export type Wire = { from: string; seq: number; message: BusMessage } | { from: string; ack: number; to: string };
