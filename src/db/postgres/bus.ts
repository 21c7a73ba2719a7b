// How instances on one PostgreSQL database tell each other what changed: one LISTEN/NOTIFY
// channel. A change is announced in the transaction (or the one statement) that makes it, so
// PostgreSQL sends the notification exactly when the change commits; the announcing call then
// waits until every other live instance has handled it and said so, so a write some client has
// seen answered is one every instance has heard of. Live instances are the listening sessions in
// pg_stat_activity.
//
// Fail-safe: an instance trusts its caches only while its listening connection proves it hears
// (listener.ts: TRUST_MS after its last answered heartbeat); after that, callers check cached
// state against the database. So an announcing call never needs to wait longer than TRUST_MS
// (plus a margin) for an instance that does not answer: by then that instance no longer trusts
// its caches. One that let an announcement time out is not waited for again until it answers
// (acknowledgements.ts), so a stopped instance slows one write, not every write. What the
// messages are and how they travel: bus-messages.ts.
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type pg from 'pg';
import type { CallGate, ClusterEvent, ClusterEvents } from '../shared-state.js';
import { Acknowledgements, type Patience } from './acknowledgements.js';
import type { BusMessage, Wire } from './bus-messages.js';
import { inTransaction, type PostgresDatabase, type Transaction } from './client.js';
import { CHANNEL, ListeningConnection, MEMBER_PREFIX, TRUST_MS } from './listener.js';
import { ResetHolds } from './reset-holds.js';

export { CHANNEL, TRUST_MS };

/** Anything that runs a Drizzle SQL query: the pool's database or a transaction's. */
export type Executor = Pick<PostgresDatabase, 'execute'>;

/** The live instances, as a SQL expression (an array of application names), for a statement to read before it commits. */
export const MEMBERS_SQL = `array(select application_name from pg_stat_activity where datname = current_database() and application_name like '${MEMBER_PREFIX}%')`;
/** The longest an announcing call waits for an instance that does not answer: it distrusts its caches by then. */
export const ACK_TIMEOUT_MS = TRUST_MS + 100;

/** A member's id in its session's application_name. */
const memberId = (applicationName: string) => applicationName.slice(MEMBER_PREFIX.length).split(' ')[0]!;

/** An announcement on its way: the payload to send, and what to do once it was (or was not) committed. */
export interface Pending {
  payload: string;
  /** After commit, with the live instances read before it: handles it here, then waits for the others. */
  sent(members: string[]): Promise<void>;
  /** Nothing was committed. */
  cancel(): void;
}

export class PostgresBus implements ClusterEvents {
  /** This process's identity on the channel (two instances may share an --instance name). */
  readonly sid = randomBytes(6).toString('hex');
  private readonly listener: ListeningConnection;
  private seq = 0;
  private readonly acks = new Acknowledgements(this.sid, ACK_TIMEOUT_MS, () => this.liveMembers());
  private readonly handlers: Array<(message: BusMessage, fromHere: boolean) => void | Promise<void>> = [];
  private readonly holds: ResetHolds;

  constructor(
    private readonly db: PostgresDatabase,
    private readonly pool: pg.Pool,
    url: string,
    instance: string,
  ) {
    this.holds = new ResetHolds(this);
    this.listener = new ListeningConnection(url, instance, this.sid, {
      notified: (payload) => this.receive(payload),
      // Caches are trusted once they are dropped and the faults reloaded, and once the others
      // have heard that this instance listens again (so they wait for its acknowledgements again).
      opened: async () => {
        await this.handle({ type: 'resync' }, true);
        await this.publish({ type: 'listening' }).catch(() => undefined);
      },
      heardAgain: () => void this.tell({ type: 'listening' }).catch(() => undefined),
    });
  }

  get trustworthy(): boolean {
    return this.listener.trustworthy;
  }

  /** Why caches are not trustworthy, or null. */
  get distrust(): string | null {
    return this.listener.distrust;
  }

  subscribe(handler: (event: ClusterEvent) => void): void {
    this.on((message) => {
      if (message.type === 'revoked' || message.type === 'reset' || message.type === 'tenant') handler(message);
      else if (message.type === 'resync') handler({ type: 'reset' }); // what was cached may be stale
    });
  }

  /** Every message, from this instance (`fromHere`) or another; acknowledged once every handler settled. */
  on(handler: (message: BusMessage, fromHere: boolean) => void | Promise<void>): void {
    this.handlers.push(handler);
  }

  start(): Promise<void> {
    return this.listener.start();
  }

  async close(): Promise<void> {
    this.acks.close();
    await this.listener.close();
  }

  /** Starts an announcement whose notification a statement of the caller's sends (`select pg_notify('keyforge', payload)`). */
  begin(message: BusMessage, patience?: Patience): Pending {
    const seq = ++this.seq;
    const acknowledged = this.acks.open(seq);
    return {
      payload: JSON.stringify({ from: this.sid, seq, message } satisfies Wire),
      sent: async (members) => {
        await this.handle(message, true);
        await this.acks.await(seq, acknowledged, members.map(memberId), patience);
      },
      cancel: () => this.acks.cancel(seq),
    };
  }

  /** Inside a transaction: reads who must acknowledge, and queues the notification for its commit. */
  async announce(
    tx: Executor,
    message: BusMessage,
    patience?: Patience,
  ): Promise<{ delivered(): Promise<void>; cancel(): void }> {
    const pending = this.begin(message, patience);
    try {
      const { rows } = await tx.execute<{ members: string[] }>(
        sql`select pg_notify(${CHANNEL}, ${pending.payload}), ${sql.raw(MEMBERS_SQL)} as members`,
      );
      return { delivered: () => pending.sent(rows[0]!.members), cancel: pending.cancel };
    } catch (err) {
      pending.cancel();
      throw err;
    }
  }

  /**
   * Runs `work` in a transaction on the pool; what it announces goes out on commit, and this
   * resolves once every live instance has handled it.
   */
  async transaction<T>(
    work: (tx: Transaction, announce: (message: BusMessage) => Promise<void>) => Promise<T>,
  ): Promise<T> {
    const announcements: Array<{ delivered(): Promise<void>; cancel(): void }> = [];
    let result: T;
    try {
      result = await inTransaction(this.pool, (tx) =>
        work(tx, async (message) => void announcements.push(await this.announce(tx.db, message))),
      );
    } catch (err) {
      for (const announcement of announcements) announcement.cancel();
      throw err;
    }
    for (const announcement of announcements) await announcement.delivered();
    return result;
  }

  /** Announces outside any transaction and waits until it is delivered. */
  async publish(message: BusMessage, patience?: Patience): Promise<void> {
    await (await this.announce(this.db, message, patience)).delivered();
  }

  guard(gate: CallGate): void {
    this.holds.guard(gate);
  }

  /** Tells the others without waiting for anyone (no acknowledgement). */
  async tell(message: BusMessage): Promise<void> {
    await this.db.execute(
      sql`select pg_notify(${CHANNEL}, ${JSON.stringify({ from: this.sid, seq: 0, message } satisfies Wire)})`,
    );
  }

  private async liveMembers(): Promise<Set<string>> {
    const { rows } = await this.db.execute<{ members: string[] }>(sql`select ${sql.raw(MEMBERS_SQL)} as members`);
    return new Set(rows[0]!.members.map(memberId));
  }

  private async handle(message: BusMessage, fromHere: boolean): Promise<void> {
    await Promise.allSettled(this.handlers.map(async (handler) => handler(message, fromHere)));
  }

  private receive(payload: string | undefined): void {
    let wire: Wire;
    try {
      wire = JSON.parse(payload ?? '') as Wire;
    } catch {
      return;
    }
    if ('ack' in wire) {
      if (wire.to === this.sid) this.acks.received(wire.from, wire.ack);
      return;
    }
    if (wire.from === this.sid) return; // handled locally on commit
    if (wire.message.type === 'listening') this.acks.answering(wire.from);
    void this.handle(wire.message, false).then(async () => {
      if (wire.seq === 0) return;
      const ack: Wire = { from: this.sid, ack: wire.seq, to: wire.from };
      await this.db.execute(sql`select pg_notify(${CHANNEL}, ${JSON.stringify(ack)})`).catch(() => undefined);
    });
  }
}
