// A bounded cache of recently verified credentials, so authenticated calls skip argon2.
// Entries are keyed by a SHA-256 of the secret under a per-process random salt: the clear
// secret is not kept, and the digest is useless outside this process. Revocation evicts.
// (A one-shot salted hash rather than an HMAC: this runs on every authenticated call, and
// crypto.hash is several times cheaper than building an Hmac object; the digest is only a
// map key, so HMAC's protection against length extension buys nothing here.)
import { hash, randomBytes } from 'node:crypto';

export class VerifiedCache<T extends { id: string }> {
  private readonly salt = randomBytes(32).toString('base64');
  private readonly entries = new Map<string, T>();
  private readonly digestsById = new Map<string, string>();

  constructor(private readonly capacity: number) {}

  digest(vendor: string, secret: string): string {
    return hash('sha256', `${this.salt}\0${vendor}\0${secret}`, 'base64');
  }

  get(digest: string): T | undefined {
    const value = this.entries.get(digest);
    if (value !== undefined) {
      // Map keeps insertion order: re-inserting marks the entry most recently used.
      this.entries.delete(digest);
      this.entries.set(digest, value);
    }
    return value;
  }

  set(digest: string, value: T): void {
    this.entries.delete(digest);
    this.entries.set(digest, value);
    this.digestsById.set(value.id, digest);
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.entries().next().value;
      if (!oldest) break;
      this.entries.delete(oldest[0]);
      this.digestsById.delete(oldest[1].id);
    }
  }

  evict(id: string): void {
    const digest = this.digestsById.get(id);
    if (digest === undefined) return;
    this.digestsById.delete(id);
    this.entries.delete(digest);
  }

  clear(): void {
    this.entries.clear();
    this.digestsById.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
