// The key-issuance service every vendor dialect uses. It knows nothing of HTTP: it issues
// secrets in a given format, stores only their argon2id hash, verifies them by lookup id,
// and revokes. Vendor differences arrive as parameters (format, kind, scopes), never as ifs.
import { randomUUID } from 'node:crypto';
import type { KeyFilter, KeyStore } from '../db/store.js';
import type { KeyRow, TenantRow } from '../db/schema.js';
import { VerifiedCache } from './cache.js';
import { Conflict } from './errors.js';
import type { KeyFormat } from './formats.js';
import type { SecretHasher } from './hashing.js';

export type Clock = () => Date;
export type KeyRecord = Omit<KeyRow, 'hash'>;

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

  constructor(
    private readonly store: KeyStore,
    private readonly hasher: SecretHasher,
    private readonly clock: Clock,
  ) {}

  /** Issues a new secret. Resolves only after the row is committed. */
  async issue(input: IssueInput): Promise<IssuedKey> {
    for (let attempt = 1; ; attempt++) {
      const secret = input.format.generate();
      const lookupId = input.format.lookupId(secret)!;
      // A lookup id must name one key; a collision (rare) just draws again.
      if (this.store.findKeyByLookup(input.vendor, lookupId) && attempt < MAX_LOOKUP_ATTEMPTS) continue;
      const hash = await this.hasher.hash(secret);
      try {
        return { key: await this.insert(input, lookupId, hash), secret };
      } catch (err) {
        if (attempt >= MAX_LOOKUP_ATTEMPTS || !isUniqueViolation(err)) throw err;
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
    const existing = this.store.findKeyByLookup(input.vendor, lookupId);
    if (existing) {
      if (existing.tenantId !== input.tenantId) throw new Conflict(`credential already belongs to another ${input.vendor} tenant`);
      return withoutHash(existing);
    }
    return this.insert(input, lookupId, await this.hasher.hashFixed(secret));
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
    if (cached) return this.isLive(cached.key) ? cached : null;
    let row = this.store.findKeyByLookup(vendor, lookupId);
    if (!row && this.enroller) {
      await this.enrol(vendor, lookupId, secret, hints);
      row = this.store.findKeyByLookup(vendor, lookupId);
    }
    if (!row || !this.isLive(row)) return null;
    // Concurrent first uses of one secret share a single argon2 verification.
    let pending = this.inFlight.get(digest);
    if (!pending) {
      pending = this.verifyRow(row, secret, digest).finally(() => this.inFlight.delete(digest));
      this.inFlight.set(digest, pending);
    }
    return pending;
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

  get(id: string): KeyRecord | undefined {
    const row = this.store.findKeyById(id);
    return row && withoutHash(row);
  }

  /** The key a lookup id names (e.g. Baseten's prefix), revoked or not. */
  findByLookupId(vendor: string, lookupId: string): KeyRecord | undefined {
    const row = this.store.findKeyByLookup(vendor, lookupId);
    return row && withoutHash(row);
  }

  list(filter: KeyFilter): KeyRecord[] {
    return this.store.listKeys(filter).map(withoutHash);
  }

  /** Marks a key revoked (it stays listed where the vendor shows revoked keys). */
  revoke(id: string): KeyRecord | undefined {
    this.store.markRevoked(id, this.clock());
    this.cache.evict(id);
    return this.get(id);
  }

  /**
   * Deletes a key as the vendor sees it. The row stays, marked revoked, so its lookup id keeps
   * naming a dead key (`--auth any` must not revive it); views of such vendors hide revoked keys.
   */
  remove(id: string): void {
    this.revoke(id);
    this.pendingUse.delete(id);
  }

  /** Records a use; written in batches so requests never wait on it, and flushed on close. */
  noteUse(id: string): void {
    this.pendingUse.set(id, this.clock());
    this.useTimer ??= setTimeout(() => this.flushUse(), LAST_USE_FLUSH_MS).unref();
  }

  lastUse(id: string): Date | null {
    return this.pendingUse.get(id) ?? this.store.findKeyById(id)?.lastUsedAt ?? null;
  }

  flushUse(): void {
    clearTimeout(this.useTimer);
    this.useTimer = undefined;
    const entries = [...this.pendingUse].map(([id, at]) => ({ id, at }));
    this.pendingUse.clear();
    this.store.touchLastUsed(entries);
  }

  /** Deletes every tenant, project and key of one vendor (or all) and forgets cached verifications. */
  wipe(vendor?: string): void {
    this.flushUse();
    this.store.wipe(vendor);
    this.cache.clear();
  }

  get hashCounts(): Readonly<{ hashes: number; verifies: number }> {
    return this.hasher.counts;
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
    };
    await this.store.insertKeyInTurn(row);
    return withoutHash(row);
  }

  private async verifyRow(row: KeyRow, secret: string, digest: string): Promise<Principal | null> {
    if (!(await this.hasher.verify(row.hash, secret))) return null;
    // Re-read after the await: a revoke that landed meanwhile must win over the cache.
    const current = this.store.findKeyById(row.id);
    const tenant = current && this.store.findTenantById(current.tenantId);
    if (!current || !tenant || !this.isLive(current)) return null;
    const principal: Principal = { id: current.id, key: withoutHash(current), tenant };
    this.cache.set(digest, principal);
    return principal;
  }

  private isLive(key: Pick<KeyRecord, 'revokedAt' | 'expiresAt'>): boolean {
    return key.revokedAt === null && (key.expiresAt === null || key.expiresAt.getTime() > this.clock().getTime());
  }
}

function withoutHash(row: KeyRow): KeyRecord {
  const { hash: _hash, ...record } = row;
  return record;
}

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE';
}
