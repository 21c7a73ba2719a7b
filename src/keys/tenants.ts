// Tenants and their projects. A tenant is (vendor, name); projects exist for the vendors
// whose keys belong to one (Basic, Peaka), with the id the vendor's clients see.
import { randomUUID } from 'node:crypto';
import type { KeyStore, ProjectRow, TenantRow } from '../db/key-store.js';
import type { Clock } from './service.js';

export class TenantDirectory {
  constructor(
    private readonly store: KeyStore,
    private readonly clock: Clock,
  ) {}

  /** Finds or creates the tenant; tenants are never created twice under one name. */
  ensure(vendor: string, name: string): Promise<TenantRow> {
    return this.store.ensureTenant({ id: randomUUID(), vendor, name, createdAt: this.clock() });
  }

  find(vendor: string, name: string): Promise<TenantRow | undefined> {
    return this.store.findTenant(vendor, name);
  }

  findById(id: string): Promise<TenantRow | undefined> {
    return this.store.findTenantById(id);
  }

  /** The tenant's first project, created with `newExternalId()` when it has none. */
  async ensureProject(tenant: TenantRow, newExternalId: () => string): Promise<ProjectRow> {
    return (await this.listProjects(tenant.id))[0] ?? this.createProject(tenant, newExternalId());
  }

  /** The project of that external id, created for this tenant when it does not exist. */
  async createProject(tenant: TenantRow, externalId: string): Promise<ProjectRow> {
    const row: ProjectRow = {
      id: randomUUID(),
      tenantId: tenant.id,
      vendor: tenant.vendor,
      externalId,
      createdAt: this.clock(),
    };
    const project = await this.store.ensureProject(row);
    if (project.tenantId !== tenant.id) throw new Error(`project ${externalId} belongs to another tenant`);
    return project;
  }

  findProject(vendor: string, externalId: string): Promise<ProjectRow | undefined> {
    return this.store.findProject(vendor, externalId);
  }

  projectById(id: string): Promise<ProjectRow | undefined> {
    return this.store.findProjectById(id);
  }

  listProjects(tenantId: string): Promise<ProjectRow[]> {
    return this.store.listProjects(tenantId);
  }
}
