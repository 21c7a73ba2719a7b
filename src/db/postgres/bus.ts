// How instances on one PostgreSQL database tell each other what changed: one LISTEN/NOTIFY
// channel. A change is announced inside the transaction that makes it (PostgreSQL sends the
// notification on commit, never for a rollback); the announcing call then waits until every
// other live instance has handled it and said so, so "revoked through A" means "refused by B"
// the moment A answers. Live instances are the listening sessions in pg_stat_activity.
//
// Fail-safe: a listening connection can die or hang without a word. A heartbeat runs on it; a
// heartbeat that answers proves every notification committed before it was sent has arrived
// (PostgreSQL delivers them ahead of the reply). Until the last answered heartbeat is older than
// TRUST_MS, caches are trustworthy; after that, callers check cached state against the database.
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import type { ClusterEvent, ClusterEvents } from '../shared.js';
import { clientConfig } from './client.js';
import type { PostgresDatabase } from './client.js';

export type BusMessage =
  | ClusterEvent
  /** The fault table changed: reload it. */
  | { type: 'faults' }
  /** Write your buffered journal entries now (a journal read is waiting). */
  | { type: 'flush-journal' }
  /** New journal entries were written (no acknowledgement). */
  | { type: 'journal' }
  /** Local only: the listening connection was (re)opened, so anything may have changed unheard. */
  | { type: 'resync' };

type Wire = { from: string; seq: number; message: BusMessage } | { from: string; ack: number; to: string };

/** A Drizzle transaction on the pool. */
export type Transaction = Parameters<Parameters<PostgresDatabase['transaction']>[0]>[0];
/** Anything that runs a Drizzle SQL query: the pool's database or a transaction. */
export type Executor = Pick<PostgresDatabase, 'execute'>;

const CHANNEL = 'keyforge';
const MEMBER_PREFIX = 'keyforge-listen ';
const HEARTBEAT_MS = 500;
/** How long after an answered heartbeat was sent the caches stay trustworthy (SECURITY.md). */
export const TRUST_MS = 1500;
/** A heartbeat unanswered this long means the connection is dead: drop it and reconnect. */
const DEAD_MS = 3000;
/** The longest an announcing call waits for other instances' acknowledgements. */
const ACK_TIMEOUT_MS = 2000;
const MEMBER_RECHECK_MS = 200;

export interface Announcement {
  /** After commit: handles the message here, then waits (bounded) until every other live instance has. */
  delivered(): Promise<void>;
  /** After a rollback: nothing was sent. */
  cancel(): void;
}

export class PostgresBus implements ClusterEvents {
  /** This process's identity on the channel (two instances may share an --instance name). */
  readonly sid = randomBytes(6).toString('hex');
  private client: pg.Client | null = null;
  private trustedUntil = 0;
  private seq = 0;
  private readonly waits = new Map<number, { pending: Set<string>; done: () => void }>();
  private readonly handlers: Array<(message: BusMessage, fromHere: boolean) => void | Promise<void>> = [];
  private heartbeat: NodeJS.Timeout | undefined;
  private beating: { sentAt: number } | null = null;
  private reconnectDelay = 100;
  private closed = false;

  constructor(
    private readonly db: PostgresDatabase,
    private readonly url: string,
    private readonly instance: string,
  ) {}

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
    for (const wait of this.waits.values()) wait.done();
    await this.client?.end().catch(() => undefined);
    this.client = null;
  }

  /** Inside a transaction: notes who must acknowledge, and queues the notification for its commit. */
  async announce(tx: Executor, message: BusMessage): Promise<Announcement> {
    const pending = new Set(await this.members(tx));
    pending.delete(this.sid);
    const seq = ++this.seq;
    const acknowledged = new Promise<void>((resolve) => this.waits.set(seq, { pending, done: resolve }));
    await tx.execute(sql`select pg_notify(${CHANNEL}, ${JSON.stringify({ from: this.sid, seq, message } satisfies Wire)})`);
    return {
      delivered: async () => {
        await this.handle(message, true);
        if (pending.size > 0) await this.awaitAcks(seq, acknowledged);
        this.waits.delete(seq);
      },
      cancel: () => this.waits.delete(seq),
    };
  }

  /**
   * Runs `work` in a transaction on the pool; what it announces goes out on commit, and this
   * resolves once every live instance has handled it.
   */
  async transaction<T>(work: (tx: Transaction, announce: (message: BusMessage) => Promise<void>) => Promise<T>): Promise<T> {
    const announcements: Announcement[] = [];
    let result: T;
    try {
      result = await this.db.transaction((tx) => work(tx, async (message) => void announcements.push(await this.announce(tx, message))));
    } catch (err) {
      for (const announcement of announcements) announcement.cancel();
      throw err;
    }
    for (const announcement of announcements) await announcement.delivered();
    return result;
  }

  /** Announces outside any transaction and waits until it is delivered. */
  async publish(message: BusMessage): Promise<void> {
    await (await this.announce(this.db, message)).delivered();
  }

  /** Tells the others without waiting for anyone (no acknowledgement). */
  async tell(message: BusMessage): Promise<void> {
    await this.db.execute(sql`select pg_notify(${CHANNEL}, ${JSON.stringify({ from: this.sid, seq: 0, message } satisfies Wire)})`);
  }

  private async members(executor: Executor): Promise<string[]> {
    const result = await executor.execute<{ name: string }>(
      sql`select application_name as name from pg_stat_activity where datname = current_database() and application_name like ${`${MEMBER_PREFIX}%`}`,
    );
    return result.rows.map((row) => row.name.slice(MEMBER_PREFIX.length).split(' ')[0]!);
  }

  /** Waits for the acknowledgements, dropping instances that leave meanwhile; bounded by ACK_TIMEOUT_MS. */
  private async awaitAcks(seq: number, acknowledged: Promise<void>): Promise<void> {
    const wait = this.waits.get(seq);
    const deadline = Date.now() + ACK_TIMEOUT_MS;
    while (wait && wait.pending.size > 0 && Date.now() < deadline && !this.closed) {
      const tick = new Promise<'tick'>((resolve) => setTimeout(() => resolve('tick'), MEMBER_RECHECK_MS).unref());
      if ((await Promise.race([acknowledged, tick])) !== 'tick') return;
      const live = new Set(await this.members(this.db).catch(() => [...wait.pending]));
      for (const sid of wait.pending) if (!live.has(sid)) wait.pending.delete(sid);
    }
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
      const wait = wire.to === this.sid ? this.waits.get(wire.ack) : undefined;
      if (wait?.pending.delete(wire.from) && wait.pending.size === 0) wait.done();
      return;
    }
    if (wire.from === this.sid) return; // handled locally on commit
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
    await client.connect();
    await client.query(`listen ${CHANNEL}`);
    // Only once listening does this session count as a member that must acknowledge.
    await client.query('select set_config($1, $2, false)', ['application_name', `${MEMBER_PREFIX}${this.sid} ${this.instance}`.slice(0, 63)]);
    this.client = client;
    this.trustedUntil = Date.now() + TRUST_MS;
    this.reconnectDelay = 100;
    await this.handle({ type: 'resync' }, true);
  }

  private lost(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = null;
    this.beating = null;
    client.removeAllListeners('end');
    void client.end().catch(() => undefined);
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
        this.trustedUntil = beat.sentAt + TRUST_MS;
      },
      () => this.lost(client),
    );
  }
}
