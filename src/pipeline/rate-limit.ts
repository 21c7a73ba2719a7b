// Optional per-credential rate limit (`--rate-limit N` calls per minute; off by default).
// @fastify/rate-limit decides, with a store of ours that counts fixed windows on the test
// clock — in this process, or, when the storage shares counts between instances (PostgreSQL),
// there — so moving the clock past a window's end opens a new one (its own local store reads
// Date.now()). The 429 is thrown as a StatusError, so each vendor's own error handler renders
// it in that vendor's shape.
import { createHash } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { vendorOf } from './journal.js';
import type { RateLimitCounter } from '../db/shared-state.js';
import { StatusError } from '../http/status-error.js';
import { dialectNamed } from '../vendors/index.js';

/**
 * The credential itself, however it is written: the last word of the vendor's credential header
 * (so `Bearer  KEY`, `bearer KEY` and `Api-Key KEY` share one allowance).
 */
function credentialOf(request: FastifyRequest, vendor: string | undefined): string | undefined {
  const header = request.headers[(vendor && dialectNamed(vendor)?.credentialHeader) ?? 'authorization'];
  const token = String(header ?? '')
    .trim()
    .split(/\s+/)
    .pop();
  return token ? token.toLowerCase() : undefined;
}

/** A digest naming the credential a request carries, or null when it carries none. */
function credentialKey(request: FastifyRequest): string | null {
  const vendor = vendorOf(request);
  const credential = credentialOf(request, vendor);
  if (credential === undefined) return null;
  return createHash('sha256').update(`${vendor}\0${credential}`).digest('base64url');
}

/** Over the allowance: a StatusError every vendor renders in its shape. */
class RateLimited extends StatusError {
  override readonly refusal = 'rate limit';
}

type Callback = (err: Error | null, result?: { current: number; ttl: number }) => void;

/** @fastify/rate-limit's store contract over a counter, on the test clock. */
function storeOn(counter: RateLimitCounter, now: () => number) {
  return class ClockedRateLimitStore {
    incr(key: string, callback: Callback, timeWindow: number): void {
      counter.increment(key, timeWindow, now()).then(
        ({ hits, msLeft }) => callback(null, { current: hits, ttl: msLeft }),
        (err: Error) => callback(err),
      );
    }
    child(): ClockedRateLimitStore {
      return this;
    }
  };
}

/** `now`: the test clock's time in epoch ms. */
export async function registerRateLimit(
  app: FastifyInstance,
  perMinute: number,
  counter: RateLimitCounter,
  now: () => number,
): Promise<void> {
  if (perMinute === 0) return;
  await app.register(rateLimit, {
    global: true,
    max: perMinute,
    timeWindow: 60_000,
    hook: 'onRequest',
    store: storeOn(counter, now),
    // Only vendor calls that carry a credential are limited; admin calls and anonymous calls pass.
    allowList: (request) => vendorOf(request) === undefined || credentialKey(request) === null,
    keyGenerator: (request) => credentialKey(request) ?? 'anonymous',
    errorResponseBuilder: (_request, context) =>
      new RateLimited(429, `rate limit of ${context.max} calls per minute exceeded`),
  });
}
