// Tenants and their projects. A tenant is (vendor, name); projects exist for the vendors
// whose keys belong to one (Basic, Peaka), with the id the vendor's clients see.
import { randomUUID } from 'node:crypto';
import type { KeyStore } from '../db/store.js';
import type { ProjectRow, TenantRow } from '../db/schema.js';
import type { Clock } from './service.js';

export class TenantDirectory {
  constructor(
    private readonly store: KeyStore,
    private readonly clock: Clock,
  ) {}

  /** Finds or creates the tenant; tenants are never created twice under one name. */
  ensure(vendor: string, name: string): TenantRow {
    return this.store.transaction(() => {
      const existing = this.store.findTenant(vendor, name);
      if (existing) return existing;
      const row: TenantRow = { id: randomUUID(), vendor, name, createdAt: this.clock() };
      this.store.insertTenant(row);
      return row;
    });
  }

  find(vendor: string, name: string): TenantRow | undefined {
    return this.store.findTenant(vendor, name);
  }

  findById(id: string): TenantRow | undefined {
    return this.store.findTenantById(id);
  }

  /** The tenant's first project, created with `newExternalId()` when it has none. */
  ensureProject(tenant: TenantRow, newExternalId: () => string): ProjectRow {
    return this.listProjects(tenant.id)[0] ?? this.createProject(tenant, newExternalId());
  }

  createProject(tenant: TenantRow, externalId: string): ProjectRow {
    const existing = this.store.findProject(tenant.vendor, externalId);
    if (existing) {
      if (existing.tenantId !== tenant.id) throw new Error(`project ${externalId} belongs to another tenant`);
      return existing;
    }
    const row: ProjectRow = { id: randomUUID(), tenantId: tenant.id, vendor: tenant.vendor, externalId, createdAt: this.clock() };
    this.store.insertProject(row);
    return row;
  }

  findProject(vendor: string, externalId: string): ProjectRow | undefined {
    return this.store.findProject(vendor, externalId);
  }

  projectById(id: string): ProjectRow | undefined {
    return this.store.findProjectById(id);
  }

  listProjects(tenantId: string): ProjectRow[] {
    return this.store.listProjects(tenantId);
  }
}
