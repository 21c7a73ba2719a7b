// What runs on every vendor call, registered in the order it runs, ahead of each vendor's own
// auth and validation hooks (which the vendor plugins add inside their own scopes):
//   1. the journal   — sees every call, records what was answered and which check refused it
//   2. the clock     — an instance that may have missed a test-clock change re-reads it
//   3. the reset gate — a call waits while a reset wipes and re-seeds, so none sees half of one
//   4. faults        — injected statuses and latency, before auth and validation
//   5. rate limit    — per credential, when --rate-limit is set, in windows on the test clock
// then, on every vendor route, after the vendor's auth and before validation, the faults that
// name the caller's tenant (tenant-faults.ts); and, for calls no route serves, answers in the
// shape of the vendor whose paths they name.
import type { FastifyInstance } from 'fastify';
import type { RateLimitCounter } from '../db/shared-state.js';
import { installClockCheck, type PipelineClock } from './clock-check.js';
import type { FaultTable } from './faults.js';
import type { Journal } from './journal.js';
import { registerRateLimit } from './rate-limit.js';
import type { ResetGate } from './reset-gate.js';
import type { UnroutedRequests } from './unrouted.js';

export interface Pipeline {
  journal: Journal;
  gate: ResetGate;
  faults: FaultTable;
  unrouted: UnroutedRequests;
  rateLimit: { perMinute: number; counter: RateLimitCounter };
  clock: PipelineClock;
}

export async function installPipeline(
  app: FastifyInstance,
  { journal, gate, faults, unrouted, rateLimit, clock }: Pipeline,
): Promise<void> {
  unrouted.install(app);
  journal.install(app);
  installClockCheck(app, clock);
  gate.install(app);
  faults.install(app);
  await registerRateLimit(app, rateLimit.perMinute, rateLimit.counter, () => clock.now().getTime());
}
