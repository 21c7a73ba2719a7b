// The one repository the key service talks to, and the rows it deals in. Two engines implement
// it (src/db/sqlite/, src/db/postgres/) and nothing outside src/db/ knows which one runs. Every
// call is asynchronous, even where SQLite answers at once, so no caller depends on an engine.

/** A tenant is (vendor, name): Basic account, Baseten workspace, Bytebeam tenant, Peaka partner, Imtegrate org. */
export interface TenantRow {
  id: string;
  vendor: string;
  name: string;
  createdAt: Date;
}

/** Projects exist for the vendors that scope keys to one (Basic, Peaka). */
export interface ProjectRow {
  id: string;
  tenantId: string;
  vendor: string;
  /** The id the vendor's clients see in paths, e.g. Peaka's `mtKDhe1U`. */
  externalId: string;
  createdAt: Date;
}

export interface KeyRow {
  id: string;
  vendor: string;
  tenantId: string;
  projectId: string | null;
  name: string | null;
  /** The vendor's category of key: Baseten type, Bytebeam role, Basic roles, Peaka partner|project, Imtegrate env. */
  kind: string;
  /** What the key is limited to: Imtegrate scopes, Baseten model ids. */
  scopes: string[] | null;
  /** The non-secret part of the key that names it. */
  lookupId: string;
  /** argon2id PHC string of the whole secret. */
  hash: string;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  /** The name, while the key is live, where a dialect wants names unique within a tenant. */
  uniqueName: string | null;
  /** A tenant's root credential (demo, seed, admin API, --auth any): a tenant reset keeps it. */
  root: boolean;
}

export interface KeyFilter {
  vendor?: string;
  tenantId?: string;
  projectId?: string;
  /** Exact key name (Bytebeam addresses keys by name). */
  name?: string;
  includeRevoked?: boolean;
}

export interface KeyStore {
  /** The tenant (vendor, name), stored first from `row` when there is none; racing callers get one row. */
  ensureTenant(row: TenantRow): Promise<TenantRow>;
  findTenant(vendor: string, name: string): Promise<TenantRow | undefined>;
  findTenantById(id: string): Promise<TenantRow | undefined>;
  /** The project with `row`'s (vendor, external id), stored first when there is none. */
  ensureProject(row: ProjectRow): Promise<ProjectRow>;
  findProject(vendor: string, externalId: string): Promise<ProjectRow | undefined>;
  findProjectById(id: string): Promise<ProjectRow | undefined>;
  /** Oldest first. */
  listProjects(tenantId: string): Promise<ProjectRow[]>;
  /**
   * Stores a key and resolves once its row is committed. Rejects with DuplicateKey when its
   * lookup id or unique name is taken, OwnerGone when its tenant or project no longer exists.
   */
  insertKey(row: KeyRow): Promise<void>;
  findKeyByLookup(vendor: string, lookupId: string): Promise<KeyRow | undefined>;
  findKeyById(id: string): Promise<KeyRow | undefined>;
  /** Oldest first (creation time, then id). */
  listKeys(filter: KeyFilter): Promise<KeyRow[]>;
  /** Marks the key revoked (releasing its unique name); every instance forgets it before this resolves. */
  markRevoked(id: string, at: Date): Promise<void>;
  /** Records last uses; a use never moves a key's last-use time back. */
  touchLastUsed(entries: ReadonlyArray<{ id: string; at: Date }>): Promise<void>;
  /** A per-database setting, `value` stored first when there is none; racing callers get one value. */
  ensureSetting(key: string, value: string): Promise<string>;
}
