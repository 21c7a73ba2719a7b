// Who must acknowledge an announcement, who has, and who is suspect (bus.ts announces). An
// announcing call waits for every other live member, at most `timeoutMs`. A member that lets one
// announcement time out (stopped with SIGSTOP, a paused container, a debugger: its session stays
// in pg_stat_activity) is suspect from then on: no announcement waits for it, nor goes on waiting
// for it, until it acknowledges one of ours again or says it hears again (after reconnecting, or
// resuming). Without that, every write in the cluster would wait the full timeout for as long as
// it is stopped.
//
// Not waiting is safe for the revocation bound (SECURITY.md): a member trusts its caches only
// while its last answered heartbeat was sent less than TRUST_MS ago, and PostgreSQL delivers every
// notification committed before a heartbeat ahead of its answer. So whatever a member has not
// heard, it stops serving from cache at most TRUST_MS after it was committed, waited for or not.

/** How one announcement waits, when not as usual: longer, and without suspecting whoever is slow to answer. */
export interface Patience {
  timeoutMs: number;
  suspectOnTimeout: boolean;
}

interface Wait {
  /** Who has yet to acknowledge; null until the statement's answer says who was live. */
  pending: Set<string> | null;
  /** Acknowledgements that arrived before `pending` was known. */
  early: Set<string>;
  done: () => void;
}

/** How often a wait re-reads the live members, dropping those that left. */
const MEMBER_RECHECK_MS = 200;

export class Acknowledgements {
  private readonly waits = new Map<number, Wait>();
  private readonly suspects = new Set<string>();
  private closed = false;

  constructor(
    /** This instance's member id. */
    private readonly self: string,
    /** The usual wait: at most this long, and whoever does not answer in time is suspect. */
    private readonly timeoutMs: number,
    /** The live members' ids, as pg_stat_activity lists them now. */
    private readonly liveMembers: () => Promise<Set<string>>,
  ) {}

  /** Before an announcement is sent: acknowledgements may arrive before its statement answers. */
  open(seq: number): Promise<void> {
    return new Promise<void>((done) => this.waits.set(seq, { pending: null, early: new Set(), done }));
  }

  /** Once committed, with the members live when it committed: waits for those who must answer. */
  async await(
    seq: number,
    acknowledged: Promise<void>,
    members: readonly string[],
    patience?: Patience,
  ): Promise<void> {
    const wait = this.waits.get(seq);
    if (!wait) return;
    const live = new Set(members);
    for (const sid of this.suspects) if (!live.has(sid)) this.suspects.delete(sid); // gone for good
    wait.pending = live;
    for (const sid of [this.self, ...wait.early, ...this.suspects]) live.delete(sid);
    try {
      if (live.size > 0 && !this.closed)
        await this.bounded(live, acknowledged, patience ?? { timeoutMs: this.timeoutMs, suspectOnTimeout: true });
    } finally {
      this.waits.delete(seq);
    }
  }

  cancel(seq: number): void {
    this.waits.delete(seq);
  }

  /** An acknowledgement of one of our announcements, timely or late: `from` is answering again. */
  received(from: string, seq: number): void {
    this.answering(from);
    const wait = this.waits.get(seq);
    if (!wait) return;
    if (wait.pending === null) wait.early.add(from);
    else if (wait.pending.delete(from) && wait.pending.size === 0) wait.done();
  }

  /** `member` hears again: announcements wait for it again. */
  answering(member: string): void {
    this.suspects.delete(member);
  }

  close(): void {
    this.closed = true;
    for (const wait of this.waits.values()) wait.done();
  }

  /** Waits for `pending` to empty, dropping members that leave meanwhile; those left at the deadline become suspect. */
  private async bounded(
    pending: Set<string>,
    acknowledged: Promise<void>,
    { timeoutMs, suspectOnTimeout }: Patience,
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (pending.size > 0 && !this.closed) {
      const left = deadline - Date.now();
      if (left <= 0) {
        if (suspectOnTimeout) for (const sid of [...pending]) this.suspect(sid);
        return;
      }
      const tick = new Promise<'tick'>((resolve) =>
        setTimeout(() => resolve('tick'), Math.min(MEMBER_RECHECK_MS, left)).unref(),
      );
      if ((await Promise.race([acknowledged, tick])) !== 'tick') return;
      const live = await this.liveMembers().catch(() => new Set<string>());
      for (const sid of pending) if (!live.has(sid)) pending.delete(sid);
    }
  }

  /** No announcement waits for `sid` any more, the ones under way included. */
  private suspect(sid: string): void {
    this.suspects.add(sid);
    for (const wait of this.waits.values()) {
      if (wait.pending?.delete(sid) && wait.pending.size === 0) wait.done();
    }
  }
}
