// A bounded cache of recently verified credentials, so authenticated calls skip argon2.
// Entries are keyed by an HMAC of the secret under a per-process random key: the clear
// secret is not kept, and the digest is useless outside this process. Revocation evicts.
import { createHmac, randomBytes } from 'node:crypto';

export class VerifiedCache<T extends { id: string }> {
  private readonly hmacKey = randomBytes(32);
  private readonly entries = new Map<string, T>();
  private readonly digestsById = new Map<string, string>();

  constructor(private readonly capacity: number) {}

  digest(vendor: string, secret: string): string {
    return createHmac('sha256', this.hmacKey).update(vendor).update('\0').update(secret).digest('base64');
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
