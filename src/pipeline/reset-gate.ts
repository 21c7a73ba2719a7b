// Makes reset atomic for vendor calls: calls hold a shared pass while they run; a reset closes
// the gate, waits for the running ones to finish, holds new ones back, wipes and re-seeds, then
// lets them in. So no call ever sees a half-reset database. Another instance's reset closes this
// gate too (the storage calls `close` when it hears of one), so this holds across a cluster.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { CallGate } from '../db/shared-state.js';
import { vendorOf } from './journal.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Whether this call holds a pass of the reset gate (and must give it back). */
    holdsResetPass: boolean;
  }
}

export class ResetGate implements CallGate {
  private active = 0;
  /** Resets (this instance's and others') holding the gate closed. */
  private holds = 0;
  /** While closed: resolves when it opens. */
  private opened: Promise<void> | null = null;
  private open: () => void = () => undefined;
  private readonly drainWaiters: Array<() => void> = [];
  /** This instance's resets, one after another. */
  private queue: Promise<unknown> = Promise.resolve();

  async enter(): Promise<void> {
    while (this.opened) await this.opened;
    this.active++;
  }

  leave(): void {
    this.active--;
    if (this.active === 0) for (const drained of this.drainWaiters.splice(0)) drained();
  }

  /** Closes the gate to new vendor calls and resolves once none is in flight; the answered function opens it again (once). */
  async close(): Promise<() => void> {
    if (this.holds++ === 0) this.opened = new Promise<void>((resolve) => (this.open = resolve));
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      if (--this.holds > 0) return;
      this.opened = null;
      this.open();
    };
    if (this.active > 0) await new Promise<void>((resolve) => this.drainWaiters.push(resolve));
    return release;
  }

  /** Runs `work` with no vendor call in flight. Resets queue behind one another. */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(async () => {
      const release = await this.close();
      try {
        return await work();
      } finally {
        release();
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  install(app: FastifyInstance): void {
    // A flag on the request, not a WeakSet of requests: adding to a WeakSet on every call
    // cost more than the rest of this hook, and weak entries make garbage collection slower.
    app.decorateRequest('holdsResetPass', false);
    // Callback-style hooks with a synchronous fast path: these run on every call.
    app.addHook('onRequest', (request, _reply, done) => {
      if (vendorOf(request) === undefined) return done();
      if (this.holds === 0) {
        this.active++;
        request.holdsResetPass = true;
        return done();
      }
      this.enter().then(() => {
        request.holdsResetPass = true;
        done();
      }, done);
    });
    const leave = (request: FastifyRequest, _reply: unknown, done: () => void) => {
      if (request.holdsResetPass) {
        request.holdsResetPass = false;
        this.leave();
      }
      done();
    };
    app.addHook('onResponse', leave);
    app.addHook('onRequestAbort', (request, done) => leave(request, undefined, done));
  }
}
