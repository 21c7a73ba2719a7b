// WAL checkpoints off the event loop. SQLite checkpoints from inside the commit that crosses
// wal_autocheckpoint: copying the WAL into the database and fsyncing it there was the slowest
// commit in every few hundred (a single client's create p99: 13 ms against 6 ms without,
// measured by `npm run bench`). A worker thread with a connection of its own runs PASSIVE
// checkpoints every CHECKPOINT_MS while there are writes; they never block the writer. The
// commit-time checkpoint stays, far above, as a backstop: by the time the WAL reaches it the
// worker has copied nearly everything, so it is short, and the WAL starts over after it.
// Durability is unchanged: a commit still waits for its WAL write, and checkpoints still fsync.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const CHECKPOINT_MS = 200;
/** Frames (pages) in the WAL past which a commit checkpoints on its own (SQLite's default is 1000): the WAL stays under 16 MiB. */
export const BACKSTOP_PAGES = 4000;

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 50');
parentPort.on('message', (message) => {
  if (message === 'close') { db.close(); parentPort.close(); return; }
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
  parentPort.postMessage('done');
});
`;

export class Checkpointer {
  private worker: Worker | undefined;
  private timer: NodeJS.Timeout | undefined;
  private written = false;
  private busy = false;

  constructor(private readonly path: string) {}

  /** Every commit calls this: a checkpoint follows within CHECKPOINT_MS. */
  wrote(): void {
    this.written = true;
    this.timer ??= setTimeout(() => this.checkpoint(), CHECKPOINT_MS).unref();
  }

  async close(): Promise<void> {
    clearTimeout(this.timer);
    const worker = this.worker;
    this.worker = undefined;
    if (!worker) return;
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.postMessage('close');
    // A worker that never got the file open may hang on to nothing: it gets a moment, then is ended.
    const late = setTimeout(() => void worker.terminate(), 1000);
    await exited;
    clearTimeout(late);
  }

  private checkpoint(): void {
    this.timer = undefined;
    if (this.busy || !this.written) return;
    this.written = false;
    this.busy = true;
    this.started().postMessage('checkpoint');
  }

  /** The worker, started on the first checkpoint (never at start-up). */
  private started(): Worker {
    if (this.worker) return this.worker;
    const module = createRequire(import.meta.url).resolve('better-sqlite3');
    const worker = new Worker(WORKER, { eval: true, workerData: { module, path: this.path } });
    worker.unref();
    worker.on('message', () => {
      this.busy = false;
      if (this.written) this.wrote();
    });
    // A worker that cannot open the file (deleted, say) leaves checkpoints to the backstop.
    worker.on('error', () => undefined);
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = undefined;
    });
    this.worker = worker;
    return worker;
  }
}
