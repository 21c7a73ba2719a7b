// An instance that may have missed a change of the test clock (its listening connection is
// down or silent) re-reads the offset before a vendor call reads the time: the same fail-safe
// as cached credentials, which are then checked against the database on every use.
import type { FastifyInstance } from 'fastify';
import { vendorOf } from './journal.js';

/** What the pipeline needs of the test clock (src/keys/clock.ts). */
export interface PipelineClock {
  now(): Date;
  readonly trustworthy: boolean;
  refresh(): Promise<unknown>;
}

export function installClockCheck(app: FastifyInstance, clock: PipelineClock): void {
  // Callback-style with a synchronous fast path: this runs on every call.
  app.addHook('onRequest', (request, _reply, done) => {
    if (clock.trustworthy || vendorOf(request) === undefined) return done();
    clock.refresh().then(() => done(), done);
  });
}
