// Makes reset atomic for vendor calls: calls hold a shared pass while they run; a reset waits
// for the running ones to finish, holds new ones back, wipes and re-seeds, then lets them in.
// So no call ever sees a half-reset database.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { vendorOf } from './journal.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Whether this call holds a pass of the reset gate (and must give it back). */
    holdsResetPass: boolean;
  }
}

export class ResetGate {
  private active = 0;
  private resetting: Promise<void> | null = null;
  private drained: (() => void) | null = null;

  async enter(): Promise<void> {
    while (this.resetting) await this.resetting;
    this.active++;
  }

  leave(): void {
    this.active--;
    if (this.active === 0) this.drained?.();
  }

  /** Runs `work` with no vendor call in flight. Resets queue behind one another. */
  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    while (this.resetting) await this.resetting;
    let release!: () => void;
    this.resetting = new Promise<void>((resolve) => (release = resolve));
    try {
      if (this.active > 0) await new Promise<void>((resolve) => (this.drained = resolve));
      return await work();
    } finally {
      this.drained = null;
      this.resetting = null;
      release();
    }
  }

  install(app: FastifyInstance): void {
    // A flag on the request, not a WeakSet of requests: adding to a WeakSet on every call
    // cost more than the rest of this hook, and weak entries make garbage collection slower.
    app.decorateRequest('holdsResetPass', false);
    // Callback-style hooks with a synchronous fast path: these run on every call.
    app.addHook('onRequest', (request, _reply, done) => {
      if (vendorOf(request) === undefined) return done();
      if (!this.resetting) {
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
