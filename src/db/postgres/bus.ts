// How instances on one PostgreSQL database tell each other what changed: one LISTEN/NOTIFY
// channel. A change is announced in the transaction (or the one statement) that makes it, so
// PostgreSQL sends the notification exactly when the change commits; the announcing call then
// waits until every other live instance has handled it and said so, so a write some client has
// seen answered is one every instance has heard of. Live instances are the listening sessions in
// pg_stat_activity.
//
// Fail-safe: a listening connection can die or go silent without a word. A heartbeat runs on
// it; an answered heartbeat proves every notification committed before it was sent has arrived
// (PostgreSQL delivers them ahead of the reply). An instance trusts its caches only while its last
// answered heartbeat was sent less than TRUST_MS ago; after that, callers check cached state
// against the database. So an announcing call never needs to wait longer than TRUST_MS (plus a
// margin) for an instance that does not answer: by then that instance no longer trusts its caches.
// One that let an announcement time out is not waited for again until it answers
// (acknowledgements.ts), so a stopped instance slows one write, not every write.
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import type { CallGate, ClusterEvent, ClusterEvents } from '../shared-state.js';
import { Acknowledgements, type Patience } from './acknowledgements.js';
import { clientConfig, inTransaction, type PostgresDatabase, type Transaction } from './client.js';
import { ResetHolds } from './reset-holds.js';

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
  /** Local only: the listening connection was (re)opened, so anything may have changed unheard. */
  | { type: 'resync' }
  /** The sender hears again (a new listening connection, or heartbeats answered after a lapse): wait for it again. */
  | { type: 'listening' }
  /** A reset is about to wipe: close your gate to vendor calls and acknowledge once none is in flight (reset-holds.ts). */
  | { type: 'reset-begin'; id: string }
  /** That reset is over, done or not: open your gate. */
  | { type: 'reset-end'; id: string };

type Wire = { from: string; seq: number; message: BusMessage } | { from: string; ack: number; to: string };

/** Anything that runs a Drizzle SQL query: the pool's database or a transaction's. */
export type Executor = Pick<PostgresDatabase, 'execute'>;

export const CHANNEL = 'keyforge';
const MEMBER_PREFIX = 'keyforge-listen ';
/** The live instances, as a SQL expression (an array of application names), for a statement to read before it commits. */
export const MEMBERS_SQL = `array(select application_name from pg_stat_activity where datname = current_database() and application_name like '${MEMBER_PREFIX}%')`;
const HEARTBEAT_MS = 500;
/** How long after an answered heartbeat was sent the caches stay trustworthy (SECURITY.md). */
export const TRUST_MS = 1500;
/** A heartbeat unanswered this long means the connection is dead: drop it and reconnect. */
const DEAD_MS = 3000;
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
  private client: pg.Client | null = null;
  private trustedUntil = 0;
  private seq = 0;
  private readonly acks = new Acknowledgements(this.sid, ACK_TIMEOUT_MS, () => this.liveMembers());
  private readonly handlers: Array<(message: BusMessage, fromHere: boolean) => void | Promise<void>> = [];
  private heartbeat: NodeJS.Timeout | undefined;
  private beating: { sentAt: number } | null = null;
  private reconnectDelay = 100;
  private closed = false;
  private readonly holds: ResetHolds;

  constructor(
    private readonly db: PostgresDatabase,
    private readonly pool: pg.Pool,
    private readonly url: string,
    private readonly instance: string,
  ) {
    this.holds = new ResetHolds(this);
  }

  get trustworthy(): boolean {
    return this.client !== null && Date.now() < this.trustedUntil;
  }

  /** Why caches are not trustworthy, or null. */
  get distrust(): string | null {
    if (this.trustworthy) return null;
    return this.client === null ? 'not listening to other instances (reconnecting)' : 'the listening connection is not answering';
  }

  subscribe(handler: (event: ClusterEvent) => void): void {
    this.on((message) => {
      if (message.type === 'revoked' || message.type === 'reset') handler(message);
      else if (message.type === 'resync') handler({ type: 'reset' }); // what was cached may be stale
    });
  }

  /** Every message, from this instance (`fromHere`) or another; acknowledged once every handler settled. */
  on(handler: (message: BusMessage, fromHere: boolean) => void | Promise<void>): void {
    this.handlers.push(handler);
  }

  async start(): Promise<void> {
    await this.connect();
    this.heartbeat = setInterval(() => this.beat(), HEARTBEAT_MS).unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.heartbeat);
    this.acks.close();
    await this.client?.end().catch(() => undefined);
    this.client = null;
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
  async announce(tx: Executor, message: BusMessage, patience?: Patience): Promise<{ delivered(): Promise<void>; cancel(): void }> {
    const pending = this.begin(message, patience);
    try {
      const { rows } = await tx.execute<{ members: string[] }>(sql`select pg_notify(${CHANNEL}, ${pending.payload}), ${sql.raw(MEMBERS_SQL)} as members`);
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
  async transaction<T>(work: (tx: Transaction, announce: (message: BusMessage) => Promise<void>) => Promise<T>): Promise<T> {
    const announcements: Array<{ delivered(): Promise<void>; cancel(): void }> = [];
    let result: T;
    try {
      result = await inTransaction(this.pool, (tx) => work(tx, async (message) => void announcements.push(await this.announce(tx.db, message))));
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
    await this.db.execute(sql`select pg_notify(${CHANNEL}, ${JSON.stringify({ from: this.sid, seq: 0, message } satisfies Wire)})`);
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

  private async connect(): Promise<void> {
    const client = new pg.Client(clientConfig({ url: this.url, applicationName: `keyforge ${this.instance}` }));
    client.on('notification', (notification) => this.receive(notification.payload));
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    // A connection can go silent while it is being set up, too: then it is given up and tried again.
    let timer: NodeJS.Timeout | undefined;
    const silent = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the listening connection did not open within ${DEAD_MS} ms`)), DEAD_MS);
    });
    try {
      await Promise.race([this.setUp(client), silent]);
    } catch (err) {
      client.removeAllListeners('end');
      drop(client);
      throw err;
    } finally {
      clearTimeout(timer);
    }
    this.client = client;
    this.reconnectDelay = 100;
    // Caches are trusted once they are dropped and the faults reloaded, and once the others have
    // heard that this instance listens again (so they wait for its acknowledgements again).
    await this.handle({ type: 'resync' }, true);
    await this.publish({ type: 'listening' }).catch(() => undefined);
    if (this.client === client) this.trustedUntil = Date.now() + TRUST_MS;
  }

  private async setUp(client: pg.Client): Promise<void> {
    await client.connect();
    // The server notices a vanished instance within ~11 s (its session then stops counting as live).
    await client.query('set tcp_keepalives_idle = 5; set tcp_keepalives_interval = 2; set tcp_keepalives_count = 3');
    await client.query(`listen ${CHANNEL}`);
    // Only once listening does this session count as a member that must acknowledge.
    await client.query('select set_config($1, $2, false)', ['application_name', `${MEMBER_PREFIX}${this.sid} ${this.instance}`.slice(0, 63)]);
  }

  private lost(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = null;
    this.beating = null;
    client.removeAllListeners('end');
    drop(client);
    this.reconnect();
  }

  private reconnect(): void {
    if (this.closed) return;
    setTimeout(() => {
      if (this.closed || this.client) return;
      this.connect().catch(() => {
        this.reconnectDelay = Math.min(this.reconnectDelay * 2, 2000);
        this.reconnect();
      });
    }, this.reconnectDelay).unref();
  }

  private beat(): void {
    const client = this.client;
    if (!client) return;
    if (this.beating) {
      if (Date.now() - this.beating.sentAt > DEAD_MS) this.lost(client);
      return;
    }
    const beat = { sentAt: Date.now() };
    this.beating = beat;
    client.query('select 1').then(
      () => {
        if (this.beating !== beat) return;
        this.beating = null;
        const lapsed = Date.now() >= this.trustedUntil; // stalled or stopped, now hearing again
        this.trustedUntil = beat.sentAt + TRUST_MS;
        if (lapsed && this.trustworthy) void this.tell({ type: 'listening' }).catch(() => undefined);
      },
      () => this.lost(client),
    );
  }
}

/** Closes a connection without waiting on it: a silent one would never answer the goodbye. */
function drop(client: pg.Client): void {
  client.on('error', () => undefined);
  void client.end().catch(() => undefined);
  (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
}
