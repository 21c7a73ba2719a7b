// What a reset deletes on SQLite, inside the exclusive transaction store.ts opens: every tenant
// of one vendor or of all, or one tenant (or, for a tenant reset, its keys but its live root
// credentials). Apart from store.ts, which serves the repository's calls and holds them back
// while a wipe runs; PostgreSQL's counterparts are wipeTenants and wipeTenant in postgres/store.ts.
import { and, count, eq, inArray, isNotNull, or } from 'drizzle-orm';
import type { SqliteDatabase } from './client.js';
import { CLOCK_SETTING } from '../shared-state.js';
import { apiKeys, projects, settings, tenants } from './schema.js';

/** Deletes every tenant (with its projects and keys) of one vendor or of all; a global reset also returns the test clock to real time. */
export function wipeTenants(db: SqliteDatabase, vendor: string | undefined): void {
  if (vendor === undefined) db.delete(tenants).run();
  else
    db.delete(tenants)
      .where(inArray(tenants.vendor, [vendor]))
      .run();
  if (vendor === undefined) db.delete(settings).where(eq(settings.key, CLOCK_SETTING)).run();
}

/**
 * Deletes the tenant (with its projects and keys) or, without `remove`, its keys but its live
 * root credentials (a revoked one goes, so a demo or seed credential comes back live); answers
 * how many keys and projects went.
 */
export function wipeTenant(db: SqliteDatabase, tenantId: string, remove: boolean): { keys: number; projects: number } {
  const ofTenant = eq(apiKeys.tenantId, tenantId);
  const doomed = remove ? ofTenant : and(ofTenant, or(eq(apiKeys.root, false), isNotNull(apiKeys.revokedAt)));
  const keys = db.select({ n: count() }).from(apiKeys).where(doomed).get()!.n;
  const projectCount = remove
    ? db.select({ n: count() }).from(projects).where(eq(projects.tenantId, tenantId)).get()!.n
    : 0;
  if (remove) db.delete(tenants).where(eq(tenants.id, tenantId)).run();
  else db.delete(apiKeys).where(doomed).run();
  return { keys, projects: projectCount };
}
