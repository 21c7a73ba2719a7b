// argon2id hashing off the event loop (argon2 runs on libuv's threadpool). Two profiles:
// `owasp` follows the OWASP cheat sheet minimum; `fast` is for tests and CI only.
import { hash, randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import argon2 from 'argon2';
import { lowerThreadpoolPriority } from './threadpool.js';

export type HashProfileName = 'owasp' | 'fast';

export const HASH_PROFILES: Record<HashProfileName, { memoryCost: number; timeCost: number; parallelism: number }> = {
  owasp: { memoryCost: 19456, timeCost: 2, parallelism: 1 },
  fast: { memoryCost: 1024, timeCost: 1, parallelism: 1 },
};

/** argon2id options of a profile (the bench's baselines and seeder use the same). */
export const argon2Options = (profile: HashProfileName): argon2.HashOptions =>
  ({ type: argon2.argon2id, ...HASH_PROFILES[profile] }) as argon2.HashOptions;

/**
 * libuv threadpool threads keyforge asks for (server.ts sets UV_THREADPOOL_SIZE before the pool
 * starts, unless the environment already does): one per core and one more hash, so every core
 * keeps hashing while a thread hands its result back, and one more for the pool's other work.
 */
export const threadpoolSize = (cores = availableParallelism()): number => cores + 2;

/**
 * Hashes given to the threadpool at once; the rest wait in order here.
 * - `owasp`: a running hash holds 19 MiB, so at most one fewer than the pool's threads run —
 *   the memory bound is (cores + 1) × 19 MiB (57 MiB on 2 cores), and a thread stays free for
 *   other work (a Basic JWT's first verification, fs).
 * - `fast`: a hash is ~0.5 ms and holds 1 MiB; handing one to an idle thread cost a wake-up of
 *   that thread inside the call (~120 µs of the event loop, measured), while a hash queued
 *   behind busy threads costs none and is picked up as a thread finishes. So many more are
 *   queued than run (16 per core; creates +25%, measured by `npm run bench`); at most one per
 *   thread runs, so memory stays below a MiB per thread.
 */
export function hashConcurrency(
  profile: HashProfileName,
  threads = Number(process.env.UV_THREADPOOL_SIZE) || 4,
  cores = availableParallelism(),
): number {
  return profile === 'owasp' ? Math.max(1, Math.min(cores + 1, threads - 1)) : 16 * cores;
}

/** How a fixed secret's hash is found among known hashes: profile and a SHA-256 of the secret. */
export const knownHashKey = (profile: HashProfileName, secret: string): string =>
  `${profile}:${hash('sha256', secret, 'hex')}`;

/**
 * Starts libuv's threadpool with one throwaway fast hash and lowers its threads' priority, so
 * hashing never crowds out the event loop (see threadpool.ts). Call before the first real hash.
 */
export function prepareHashingThreads(): Promise<number> {
  return lowerThreadpoolPriority(() => argon2.hash('threadpool warm-up', argon2Options('fast')));
}

/** argon2's default salt length (bytes). */
const SALT_BYTES = 16;

export class SecretHasher {
  /** How much argon2 work was done; tests assert that unknown credentials cost none. */
  readonly counts = { hashes: 0, verifies: 0 };
  private readonly options: argon2.HashOptions;
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  /**
   * `known`: hashes of fixed secrets (src/keys/known-hashes.ts), keyed by knownHashKey. It also
   * remembers the fixed secrets hashed here, since every reset stores them again.
   */
  constructor(
    private readonly profile: HashProfileName,
    private readonly known: Map<string, string> = new Map(),
    private readonly concurrency = hashConcurrency(profile),
  ) {
    this.options = argon2Options(profile);
  }

  hash(secret: string): Promise<string> {
    this.counts.hashes++;
    // The salt comes from the CSPRNG synchronously (16 bytes: about a microsecond) instead of
    // argon2's own asynchronous draw, which costs every hash an extra threadpool round trip.
    return this.limited(() => argon2.hash(secret, { ...this.options, salt: randomBytes(SALT_BYTES) }));
  }

  /** The hash of a fixed secret (demo and seed credentials): known or remembered, else hashed once. */
  async hashFixed(secret: string): Promise<string> {
    const key = knownHashKey(this.profile, secret);
    const known = this.known.get(key);
    if (known !== undefined) return known;
    const phc = await this.hash(secret);
    this.known.set(key, phc);
    return phc;
  }

  async verify(phc: string, secret: string): Promise<boolean> {
    this.counts.verifies++;
    try {
      return await this.limited(() => argon2.verify(phc, secret));
    } catch {
      return false; // a malformed stored hash never authenticates
    }
  }

  private async limited<T>(work: () => Promise<T>): Promise<T> {
    // A finishing hash hands its slot straight to the next waiter, so the limit always holds.
    if (this.running < this.concurrency) this.running++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
