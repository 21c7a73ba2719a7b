// The key-issuance service every vendor dialect uses. It knows nothing of HTTP: it issues
// secrets in a given format, stores only their argon2id hash, verifies them by lookup id,
// and revokes. Vendor differences arrive as parameters (format, kind, scopes), never as ifs.
// The work is split by what runs when: issuance.ts, verification.ts, last-use.ts.
import type { KeyFilter, KeyStore } from '../db/key-store.js';
import type { ClusterEvents } from '../db/shared-state.js';
import type { KeyFormat } from './formats.js';
import type { SecretHasher } from './hashing.js';
import { Issuer, type IssuedKey, type IssueInput } from './issuance.js';
import { LastUse } from './last-use.js';
import { withoutHash, type Clock, type KeyRecord, type Principal } from './records.js';
import { Verifier, type CredentialHints, type Enroller } from './verification.js';

export type { Clock, CredentialHints, Enroller, IssuedKey, IssueInput, KeyRecord, Principal };

export class KeyService {
  private readonly issuer: Issuer;
  private readonly verifier: Verifier;
  private readonly uses: LastUse;

  /** `events`: revocations and resets from every instance, which evict cached verifications. */
  constructor(
    private readonly store: KeyStore,
    private readonly hasher: SecretHasher,
    private readonly clock: Clock,
    events?: ClusterEvents,
  ) {
    this.issuer = new Issuer(store, hasher, clock);
    this.verifier = new Verifier(store, hasher, clock, events);
    this.uses = new LastUse(store, clock);
  }

  /** Issues a new secret. Resolves only after the row is committed. */
  issue(input: IssueInput): Promise<IssuedKey> {
    return this.issuer.issue(input);
  }

  /** Stores a fixed secret (demo and seed credentials), idempotently. */
  ensureFixed(input: IssueInput, secret: string): Promise<KeyRecord> {
    return this.issuer.ensureFixed(input, secret);
  }

  /**
   * The principal of a valid secret, or null; a success counts as a use of the key (last use).
   * Unknown lookup ids cost no argon2 work.
   */
  async verify(
    vendor: string,
    secret: string,
    format: KeyFormat,
    hints: CredentialHints = {},
  ): Promise<Principal | null> {
    const principal = await this.verifier.inspect(vendor, secret, format, hints);
    if (principal) this.uses.note(principal.id);
    return principal;
  }

  /** Like verify, without counting a use (admin introspection). */
  inspect(vendor: string, secret: string, format: KeyFormat, hints: CredentialHints = {}): Promise<Principal | null> {
    return this.verifier.inspect(vendor, secret, format, hints);
  }

  /** `--auth any`: unknown but well-formed credentials are enrolled on first use. */
  enrolUnknownCredentials(enroller: Enroller): void {
    this.verifier.enrolUnknownCredentials(enroller);
  }

  async get(id: string): Promise<KeyRecord | undefined> {
    const row = await this.store.findKeyById(id);
    return row && withoutHash(row);
  }

  /** The key a lookup id names (e.g. Baseten's prefix), revoked or not. */
  async findByLookupId(vendor: string, lookupId: string): Promise<KeyRecord | undefined> {
    const row = await this.store.findKeyByLookup(vendor, lookupId);
    return row && withoutHash(row);
  }

  async list(filter: KeyFilter): Promise<KeyRecord[]> {
    return (await this.store.listKeys(filter)).map(withoutHash);
  }

  /** Marks a key revoked (it stays listed where the vendor shows revoked keys); every instance stops accepting it. */
  async revoke(id: string): Promise<KeyRecord | undefined> {
    await this.store.markRevoked(id, this.clock());
    this.verifier.evict(id);
    return this.get(id);
  }

  /**
   * Deletes a key as the vendor sees it. The row stays, marked revoked, so its lookup id keeps
   * naming a dead key (`--auth any` must not revive it); views of such vendors hide revoked keys.
   */
  async remove(id: string): Promise<void> {
    await this.revoke(id);
    this.uses.forget(id);
  }

  /** Records a use; written in batches so requests never wait on it, and flushed on close. */
  noteUse(id: string): void {
    this.uses.note(id);
  }

  /** The key's last use: one not yet written, or the stored one. */
  lastUse(key: KeyRecord): Date | null {
    return this.uses.of(key);
  }

  /** Writes pending last uses; when the database refuses, they wait for the next flush. */
  flushUse(): Promise<void> {
    return this.uses.flush();
  }

  get hashCounts(): Readonly<{ hashes: number; verifies: number }> {
    return this.hasher.counts;
  }

  /** The same service on another store (a transaction's), sharing the hasher and clock. */
  on(store: KeyStore): KeyService {
    return new KeyService(store, this.hasher, this.clock);
  }
}
