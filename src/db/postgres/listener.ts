// The connection an instance listens on, and whether it can trust what it hears. A listening
// connection can die or go silent without a word. A heartbeat runs on it; an answered heartbeat
// proves every notification committed before it was sent has arrived (PostgreSQL delivers them
// ahead of the reply). So the instance trusts its caches only while its last answered heartbeat
// was sent less than TRUST_MS ago; after that callers check cached state against the database.
// A process stopped (SIGSTOP) and resumed finds its heartbeat stale in the same way. A lost
// connection is replaced; a new one is trusted once the bus has settled it (resync, 'listening').
import pg from 'pg';
import { clientConfig } from './client.js';

/** Sessions of listening connections are named so, with the instance's member id and name. */
export const MEMBER_PREFIX = 'keyforge-listen ';
/** The one LISTEN/NOTIFY channel of a keyforge database. */
export const CHANNEL = 'keyforge';
const HEARTBEAT_MS = 500;
/** How long after an answered heartbeat was sent the caches stay trustworthy (SECURITY.md). */
export const TRUST_MS = 1500;
/** A heartbeat unanswered this long means the connection is dead: drop it and reconnect. */
const DEAD_MS = 3000;

export interface ListenerEvents {
  notified(payload: string | undefined): void;
  /** A new connection listens: drop what may be stale; trusted once this resolves. */
  opened(): Promise<void>;
  /** Heartbeats are answered again after trust had lapsed (a stall, a stop). */
  heardAgain(): void;
}

export class ListeningConnection {
  private client: pg.Client | null = null;
  private trustedUntil = 0;
  private heartbeat: NodeJS.Timeout | undefined;
  private beating: { sentAt: number } | null = null;
  /** A new connection still settling (events.opened): heartbeats grant no trust yet. */
  private settling: pg.Client | null = null;
  private reconnectDelay = 100;
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly instance: string,
    private readonly sid: string,
    private readonly events: ListenerEvents,
  ) {}

  get trustworthy(): boolean {
    return this.client !== null && Date.now() < this.trustedUntil;
  }

  /** Why caches are not trustworthy, or null. */
  get distrust(): string | null {
    if (this.trustworthy) return null;
    return this.client === null
      ? 'not listening to other instances (reconnecting)'
      : 'the listening connection is not answering';
  }

  async start(): Promise<void> {
    await this.connect();
    this.heartbeat = setInterval(() => this.beat(), HEARTBEAT_MS).unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.heartbeat);
    await this.client?.end().catch(() => undefined);
    this.client = null;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client(clientConfig({ url: this.url, applicationName: `keyforge ${this.instance}` }));
    client.on('notification', (notification) => this.events.notified(notification.payload));
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    // A connection can go silent while it is being set up, too: then it is given up and tried again.
    let timer: NodeJS.Timeout | undefined;
    const silent = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`the listening connection did not open within ${DEAD_MS} ms`)),
        DEAD_MS,
      );
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
    this.settling = client;
    try {
      await this.events.opened();
    } finally {
      if (this.settling === client) this.settling = null;
    }
    if (this.client === client) this.trustedUntil = Date.now() + TRUST_MS;
  }

  private async setUp(client: pg.Client): Promise<void> {
    await client.connect();
    // The server notices a vanished instance within ~11 s (its session then stops counting as live).
    await client.query('set tcp_keepalives_idle = 5; set tcp_keepalives_interval = 2; set tcp_keepalives_count = 3');
    await client.query(`listen ${CHANNEL}`);
    // Only once listening does this session count as a member that must acknowledge.
    await client.query('select set_config($1, $2, false)', [
      'application_name',
      `${MEMBER_PREFIX}${this.sid} ${this.instance}`.slice(0, 63),
    ]);
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
        if (this.settling === client) return;
        const lapsed = Date.now() >= this.trustedUntil; // stalled or stopped, now hearing again
        this.trustedUntil = beat.sentAt + TRUST_MS;
        if (lapsed && this.trustworthy) this.events.heardAgain();
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
