// A bounded cache of recently verified credentials, so authenticated calls skip argon2.
// Entries are keyed by a SHA-256 of the secret under a per-process random salt: the clear
// secret is not kept, and the digest is useless outside this process. Revocation evicts.
// (A one-shot salted hash rather than an HMAC: this runs on every authenticated call, and
// crypto.hash is several times cheaper than building an Hmac object; the digest is only a
// map key, so HMAC's protection against length extension buys nothing here.)
import { hash, randomBytes } from 'node:crypto';

export class VerifiedCache<T extends { id: string }> {
  private readonly salt = randomBytes(32).toString('base64');
  private readonly entries = new Map<string, { value: T; used: boolean }>();
  private readonly digestsById = new Map<string, string>();

  constructor(private readonly capacity: number) {}

  digest(vendor: string, secret: string): string {
    return hash('sha256', `${this.salt}\0${vendor}\0${secret}`, 'base64');
  }

  get(digest: string): T | undefined {
    const entry = this.entries.get(digest);
    if (entry === undefined) return undefined;
    // Second chance (CLOCK) rather than strict LRU: a hit only sets a flag, where moving the
    // entry to the end of the map cost a delete and an insert on every authenticated call.
    entry.used = true;
    return entry.value;
  }

  set(digest: string, value: T): void {
    // Room is made first, so the sweep never picks the entry being added.
    if (!this.entries.delete(digest)) while (this.entries.size >= this.capacity) this.evictOldest();
    this.entries.set(digest, { value, used: false });
    this.digestsById.set(value.id, digest);
  }

  /** Evicts the oldest entry not used since it was last passed over; used ones go round again. */
  private evictOldest(): void {
    for (const [digest, entry] of this.entries) {
      this.entries.delete(digest);
      if (entry.used) {
        entry.used = false;
        this.entries.set(digest, entry);
        continue;
      }
      this.digestsById.delete(entry.value.id);
      return;
    }
  }

  evict(id: string): void {
    const digest = this.digestsById.get(id);
    if (digest === undefined) return;
    this.digestsById.delete(id);
    this.entries.delete(digest);
  }

  /** Evicts every entry `doomed` names (a walk over all of them: for rare events, like a tenant wipe). */
  evictWhere(doomed: (value: T) => boolean): void {
    for (const [digest, entry] of this.entries) {
      if (!doomed(entry.value)) continue;
      this.entries.delete(digest);
      this.digestsById.delete(entry.value.id);
    }
  }

  clear(): void {
    this.entries.clear();
    this.digestsById.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
