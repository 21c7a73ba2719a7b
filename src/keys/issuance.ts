// Issuing keys: a fresh secret in the vendor's format, or a fixed one (demo and seed
// credentials), stored as its argon2id hash. Answers once the row is committed.
import { randomUUID } from 'node:crypto';
import { DuplicateKey, OwnerGone } from '../db/errors.js';
import type { KeyRow, KeyStore } from '../db/key-store.js';
import { Conflict, InvalidCredential } from './errors.js';
import type { KeyFormat } from './formats.js';
import type { SecretHasher } from './hashing.js';
import { withoutHash, type Clock, type KeyRecord } from './records.js';

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
  /** A tenant's root credential, which a tenant reset keeps (fixed secrets always are). */
  root?: boolean;
}

export interface IssuedKey {
  key: KeyRecord;
  secret: string;
}

const MAX_LOOKUP_ATTEMPTS = 5;

export class Issuer {
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
   * Stores a fixed secret (demo and seed credentials, always a root credential) unless its lookup id is already this
   * tenant's: idempotent across restarts without spending argon2 work on known keys.
   */
  async ensureFixed(input: IssueInput, secret: string): Promise<KeyRecord> {
    const lookupId = input.format.lookupId(secret);
    if (lookupId === null) throw new Conflict(`credential is not a valid ${input.vendor} key`);
    const existing = await this.store.findKeyByLookup(input.vendor, lookupId);
    if (existing) return sameTenant(existing, input);
    try {
      return await this.insert({ ...input, root: true }, lookupId, await this.hasher.hashFixed(secret));
    } catch (err) {
      // Another instance stored it meanwhile.
      const stored = err instanceof DuplicateKey ? await this.store.findKeyByLookup(input.vendor, lookupId) : undefined;
      if (stored) return sameTenant(stored, input);
      throw err;
    }
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
      root: input.root ?? false,
    };
    await this.store.insertKey(row);
    return withoutHash(row);
  }
}

function sameTenant(row: KeyRow, input: IssueInput): KeyRecord {
  if (row.tenantId !== input.tenantId)
    throw new Conflict(`credential already belongs to another ${input.vendor} tenant`);
  return withoutHash(row);
}
