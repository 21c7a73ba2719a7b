// The key-issuance service every vendor dialect uses. It knows nothing of HTTP: it issues
// secrets in a given format, stores only their argon2id hash, verifies them by lookup id,
// and revokes. Vendor differences arrive as parameters (format, kind, scopes), never as ifs.
import { randomUUID } from 'node:crypto';
import { DuplicateKey, OwnerGone } from '../db/errors.js';
import type { KeyFilter, KeyRow, KeyStore, TenantRow } from '../db/repository.js';
import type { ClusterEvents } from '../db/shared.js';
import { VerifiedCache } from './cache.js';
import { Conflict, InvalidCredential } from './errors.js';
import type { KeyFormat } from './formats.js';
import type { SecretHasher } from './hashing.js';

export type Clock = () => Date;
export type KeyRecord = Omit<KeyRow, 'hash' | 'uniqueName'>;

/** Who a verified credential belongs to. */
export interface Principal {
  id: string;
  key: KeyRecord;
  tenant: TenantRow;
}

export interface IssueInput {
  vendor: string;
  tenantId: string;
  projectId?: string | null;
  name: string | null;
  kind: string;
  scopes?: string[] | null;
  expiresAt?: Date | null;
  createdBy: string;
  format: KeyFormat;
  /** The name must be unique among the tenant's live keys (DuplicateKey 'uniqueName' otherwise). */
  uniqueName?: boolean;
}

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

export interface IssuedKey {
  key: KeyRecord;
  secret: string;
}

const MAX_LOOKUP_ATTEMPTS = 5;
const LAST_USE_FLUSH_MS = 1000;

export class KeyService {
  private readonly cache = new VerifiedCache<Principal>(10_000);
  private readonly inFlight = new Map<string, Promise<Principal | null>>();
  private readonly pendingUse = new Map<string, Date>();
  private useTimer: NodeJS.Timeout | undefined;
  private enroller: Enroller | undefined;
  private readonly enrolling = new Map<string, Promise<void>>();
  /** Counts invalidations heard, so a verification that raced one does not cache its result. */
  private invalidations = 0;

  /** `events`: revocations and resets from every instance, which evict cached verifications. */
  constructor(
    private readonly store: KeyStore,
    private readonly hasher: SecretHasher,
    private readonly clock: Clock,
    private readonly events?: ClusterEvents,
  ) {
    events?.subscribe((event) => {
      this.invalidations++;
      if (event.type === 'revoked') for (const id of event.ids) this.cache.evict(id);
      else this.cache.clear();
    });
  }

  /** Issues a new secret. Resolves only after the row is committed. */
  async issue(input: IssueInput): Promise<IssuedKey> {
    for (let attempt = 1; ; attempt++) {
      const secret = input.format.generate();
      const lookupId = input.format.lookupId(secret)!;
      const hash = await this.hasher.hash(secret);
      try {
        return { key: await this.insert(input, lookupId, hash), secret };
      } catch (err) {
        // A lookup id must name one key; a collision (rare: the unique index catches it) draws again.
        if (attempt < MAX_LOOKUP_ATTEMPTS && err instanceof DuplicateKey && err.field === 'lookupId') continue;
        // The caller's tenant was wiped (a reset elsewhere) after its credential was checked.
        if (err instanceof OwnerGone) throw new InvalidCredential();
        throw err;
      }
    }
  }

  /**
   * Stores a fixed secret (demo and seed credentials) unless its lookup id is already this
   * tenant's: idempotent across restarts without spending argon2 work on known keys.
   */
  async ensureFixed(input: IssueInput, secret: string): Promise<KeyRecord> {
    const lookupId = input.format.lookupId(secret);
    if (lookupId === null) throw new Conflict(`credential is not a valid ${input.vendor} key`);
    const existing = await this.store.findKeyByLookup(input.vendor, lookupId);
    if (existing) return this.sameTenant(existing, input);
    try {
      return await this.insert(input, lookupId, await this.hasher.hashFixed(secret));
    } catch (err) {
      // Another instance stored it meanwhile.
      const stored = err instanceof DuplicateKey ? await this.store.findKeyByLookup(input.vendor, lookupId) : undefined;
      if (stored) return this.sameTenant(stored, input);
      throw err;
    }
  }

  private sameTenant(row: KeyRow, input: IssueInput): KeyRecord {
    if (row.tenantId !== input.tenantId) throw new Conflict(`credential already belongs to another ${input.vendor} tenant`);
    return withoutHash(row);
  }

  /**
   * The principal of a valid secret, or null; a success counts as a use of the key (last use).
   * Unknown lookup ids cost no argon2 work.
   */
  async verify(vendor: string, secret: string, format: KeyFormat, hints: CredentialHints = {}): Promise<Principal | null> {
    const principal = await this.inspect(vendor, secret, format, hints);
    if (principal) this.noteUse(principal.id);
    return principal;
  }

  /** Like verify, without counting a use (admin introspection). */
  async inspect(vendor: string, secret: string, format: KeyFormat, hints: CredentialHints = {}): Promise<Principal | null> {
    const lookupId = format.lookupId(secret);
    if (lookupId === null) return null;
    const digest = this.cache.digest(vendor, secret);
    const cached = this.cache.get(digest);
    if (cached) return this.events === undefined || this.events.trustworthy ? (this.isLive(cached.key) ? cached : null) : this.recheck(cached);
    let row = await this.store.findKeyByLookup(vendor, lookupId);
    if (!row && this.enroller) {
      await this.enrol(vendor, lookupId, secret, hints);
      row = await this.store.findKeyByLookup(vendor, lookupId);
    }
    if (!row || !this.isLive(row)) return null;
    // Concurrent first uses of one secret share a single argon2 verification (one that finished
    // while this call read the row has cached its answer).
    const verified = this.cache.get(digest);
    if (verified) return verified;
    let pending = this.inFlight.get(digest);
    if (!pending) {
      pending = this.verifyRow(row, secret, digest).finally(() => this.inFlight.delete(digest));
      this.inFlight.set(digest, pending);
    }
    return pending;
  }

  /** While revocations may go unheard, a cached verification holds only if the row still says live. */
  private async recheck(cached: Principal): Promise<Principal | null> {
    const row = await this.store.findKeyById(cached.id);
    if (row && this.isLive(row)) return cached;
    this.cache.evict(cached.id);
    return null;
  }

  /**
   * `--auth any`: an unknown but well-formed credential becomes a new tenant's root key on
   * first use. Known lookup ids (issued, revoked) keep their strict behaviour.
   */
  enrolUnknownCredentials(enroller: Enroller): void {
    this.enroller = enroller;
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
    this.cache.evict(id);
    return this.get(id);
  }

  /**
   * Deletes a key as the vendor sees it. The row stays, marked revoked, so its lookup id keeps
   * naming a dead key (`--auth any` must not revive it); views of such vendors hide revoked keys.
   */
  async remove(id: string): Promise<void> {
    await this.revoke(id);
    this.pendingUse.delete(id);
  }

  /** Records a use; written in batches so requests never wait on it, and flushed on close. */
  noteUse(id: string): void {
    this.pendingUse.set(id, this.clock());
    this.useTimer ??= setTimeout(() => void this.flushUse().catch(() => undefined), LAST_USE_FLUSH_MS).unref();
  }

  /** The key's last use: one not yet written, or the stored one. */
  lastUse(key: KeyRecord): Date | null {
    return this.pendingUse.get(key.id) ?? key.lastUsedAt;
  }

  /** Writes pending last uses; when the database refuses, they wait for the next flush. */
  async flushUse(): Promise<void> {
    clearTimeout(this.useTimer);
    this.useTimer = undefined;
    const entries = [...this.pendingUse].map(([id, at]) => ({ id, at }));
    this.pendingUse.clear();
    try {
      await this.store.touchLastUsed(entries);
    } catch (err) {
      for (const { id, at } of entries) if (!this.pendingUse.has(id)) this.pendingUse.set(id, at);
      if (this.pendingUse.size > 0) this.useTimer ??= setTimeout(() => void this.flushUse().catch(() => undefined), LAST_USE_FLUSH_MS).unref();
      throw err;
    }
  }

  get hashCounts(): Readonly<{ hashes: number; verifies: number }> {
    return this.hasher.counts;
  }

  /** The same service on another store (a transaction's), sharing the hasher and clock. */
  on(store: KeyStore): KeyService {
    return new KeyService(store, this.hasher, this.clock);
  }

  /** Stores the key row; resolves once it is committed (in this turn's group commit). */
  private async insert(input: IssueInput, lookupId: string, hash: string): Promise<KeyRecord> {
    const row: KeyRow = {
      id: randomUUID(),
      vendor: input.vendor,
      tenantId: input.tenantId,
      projectId: input.projectId ?? null,
      name: input.name,
      kind: input.kind,
      scopes: input.scopes ?? null,
      lookupId,
      hash,
      createdBy: input.createdBy,
      createdAt: this.clock(),
      expiresAt: input.expiresAt ?? null,
      lastUsedAt: null,
      revokedAt: null,
      uniqueName: input.uniqueName ? input.name : null,
    };
    await this.store.insertKey(row);
    return withoutHash(row);
  }

  private async verifyRow(row: KeyRow, secret: string, digest: string): Promise<Principal | null> {
    if (!(await this.hasher.verify(row.hash, secret))) return null;
    // Re-read after the await: a revoke that landed meanwhile must win over the cache, and one
    // heard while re-reading means the read may predate it.
    const invalidations = this.invalidations;
    const current = await this.store.findKeyById(row.id);
    const tenant = current && (await this.store.findTenantById(current.tenantId));
    if (!current || !tenant || !this.isLive(current)) return null;
    const principal: Principal = { id: current.id, key: withoutHash(current), tenant };
    if (this.invalidations === invalidations) this.cache.set(digest, principal);
    return principal;
  }

  private isLive(key: Pick<KeyRecord, 'revokedAt' | 'expiresAt'>): boolean {
    return key.revokedAt === null && (key.expiresAt === null || key.expiresAt.getTime() > this.clock().getTime());
  }
}

function withoutHash(row: KeyRow): KeyRecord {
  const { hash: _hash, uniqueName: _uniqueName, ...record } = row;
  return record;
}
