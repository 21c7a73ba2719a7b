// Verifying credentials: find the key by its lookup id (an unknown id costs no argon2 work),
// check the hash once, then serve repeat calls from a bounded cache of verified credentials.
// Concurrent first uses of one secret share a single argon2 verification. Revocations and
// resets from every instance evict; while they may go unheard, a cached entry is checked
// against its row on every use.
import type { KeyRow, KeyStore } from '../db/key-store.js';
import type { ClusterEvents } from '../db/shared-state.js';
import { VerifiedCache } from './cache.js';
import type { KeyFormat } from './formats.js';
import type { SecretHasher } from './hashing.js';
import { isLive, withoutHash, type Clock, type Principal } from './records.js';

/**
 * What a request says about whom a credential should belong to (Bytebeam's tenant header, a
 * project in the path). Strict mode ignores it; `--auth any` uses it to enrol unknown keys.
 */
export interface CredentialHints {
  tenant?: string;
  project?: string;
}

/** Stores an unknown but well-formed credential as a new tenant's root key (`--auth any`). */
export type Enroller = (vendor: string, secret: string, hints: CredentialHints) => Promise<void>;

export class Verifier {
  private readonly cache = new VerifiedCache<Principal>(10_000);
  private readonly inFlight = new Map<string, Promise<Principal | null>>();
  private enroller: Enroller | undefined;
  private readonly enrolling = new Map<string, Promise<void>>();
  /** Counts invalidations heard, so a verification that raced one does not cache its result. */
  private invalidations = 0;

  constructor(
    private readonly store: KeyStore,
    private readonly hasher: SecretHasher,
    private readonly clock: Clock,
    private readonly events?: ClusterEvents,
  ) {
    events?.subscribe((event) => {
      this.invalidations++;
      if (event.type === 'revoked') for (const id of event.ids) this.cache.evict(id);
      // One tenant wiped: only its verifications go, other tenants' stay warm.
      else if (event.type === 'tenant') this.cache.evictWhere((principal) => principal.tenant.id === event.tenantId);
      else this.cache.clear();
    });
  }

  /** The principal of a valid secret, or null. */
  async inspect(
    vendor: string,
    secret: string,
    format: KeyFormat,
    hints: CredentialHints = {},
  ): Promise<Principal | null> {
    const lookupId = format.lookupId(secret);
    if (lookupId === null) return null;
    const digest = this.cache.digest(vendor, secret);
    const cached = this.cache.get(digest);
    if (cached)
      return this.events === undefined || this.events.trustworthy
        ? this.live(cached.key)
          ? cached
          : null
        : this.recheck(cached);
    let row = await this.store.findKeyByLookup(vendor, lookupId);
    if (!row && this.enroller) {
      await this.enrol(vendor, lookupId, secret, hints);
      row = await this.store.findKeyByLookup(vendor, lookupId);
    }
    if (!row || !this.live(row)) return null;
    // One that finished while this call read the row has cached its answer.
    const verified = this.cache.get(digest);
    if (verified) return verified;
    let pending = this.inFlight.get(digest);
    if (!pending) {
      pending = this.verifyRow(row, secret, digest).finally(() => this.inFlight.delete(digest));
      this.inFlight.set(digest, pending);
    }
    return pending;
  }

  evict(id: string): void {
    this.cache.evict(id);
  }

  /**
   * `--auth any`: an unknown but well-formed credential becomes a new tenant's root key on
   * first use. Known lookup ids (issued, revoked) keep their strict behaviour.
   */
  enrolUnknownCredentials(enroller: Enroller): void {
    this.enroller = enroller;
  }

  /** While revocations may go unheard, a cached verification holds only if the row still says live. */
  private async recheck(cached: Principal): Promise<Principal | null> {
    const row = await this.store.findKeyById(cached.id);
    if (row && this.live(row)) return cached;
    this.cache.evict(cached.id);
    return null;
  }

  private async enrol(vendor: string, lookupId: string, secret: string, hints: CredentialHints): Promise<void> {
    const key = `${vendor}\0${lookupId}`;
    let pending = this.enrolling.get(key);
    if (!pending) {
      pending = this.enroller!(vendor, secret, hints)
        .catch(() => undefined) // a credential that cannot be enrolled is simply not valid
        .finally(() => this.enrolling.delete(key));
      this.enrolling.set(key, pending);
    }
    await pending;
  }

  private async verifyRow(row: KeyRow, secret: string, digest: string): Promise<Principal | null> {
    if (!(await this.hasher.verify(row.hash, secret))) return null;
    // Re-read after the await: a revoke that landed meanwhile must win over the cache, and one
    // heard while re-reading means the read may predate it.
    const invalidations = this.invalidations;
    const current = await this.store.findKeyById(row.id);
    const tenant = current && (await this.store.findTenantById(current.tenantId));
    if (!current || !tenant || !this.live(current)) return null;
    const principal: Principal = { id: current.id, key: withoutHash(current), tenant };
    if (this.invalidations === invalidations) this.cache.set(digest, principal);
    return principal;
  }

  private live(key: Parameters<typeof isLive>[0]): boolean {
    return isLive(key, this.clock());
  }
}
