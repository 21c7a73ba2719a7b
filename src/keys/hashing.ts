// argon2id hashing off the event loop (argon2 runs on libuv's threadpool). Two profiles:
// `owasp` follows the OWASP cheat sheet minimum; `fast` is for tests and CI only.
import argon2 from 'argon2';

export type HashProfileName = 'owasp' | 'fast';

export const HASH_PROFILES: Record<HashProfileName, { memoryCost: number; timeCost: number; parallelism: number }> = {
  owasp: { memoryCost: 19456, timeCost: 2, parallelism: 1 },
  fast: { memoryCost: 1024, timeCost: 1, parallelism: 1 },
};

export class SecretHasher {
  /** How much argon2 work was done; tests assert that unknown credentials cost none. */
  readonly counts = { hashes: 0, verifies: 0 };
  private readonly options: argon2.HashOptions;

  constructor(profile: HashProfileName) {
    this.options = { type: argon2.argon2id, ...HASH_PROFILES[profile] } as argon2.HashOptions;
  }

  hash(secret: string): Promise<string> {
    this.counts.hashes++;
    return argon2.hash(secret, this.options);
  }

  async verify(phc: string, secret: string): Promise<boolean> {
    this.counts.verifies++;
    try {
      return await argon2.verify(phc, secret);
    } catch {
      return false; // a malformed stored hash never authenticates
    }
  }
}
