// Deleting one tenant (its projects, root credentials and keys, journal entries and faults), so
// parallel test workers can each clean up their own tenant without touching another's.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { StatusError } from '../http/status-error.js';
import { deletedTenant, errorResponse, tenantParams } from './schemas.js';

/** What a tenant wipe removed (src/db/open.ts TenantWipe). */
interface Removed {
  keys: number;
  projects: number;
  journalEntries: number;
  faults: number;
}

export interface TenantWiper {
  resetTenant(vendor: string, tenant: string): Promise<Removed | null>;
  deleteTenant(vendor: string, tenant: string): Promise<Removed | null>;
}

export const tenantRoutes: FastifyPluginAsync<TenantWiper> = async (instance, { deleteTenant }) => {
  const app = instance.withTypeProvider<ZodTypeProvider>();

  app.delete(
    '/_keyforge/tenants/:vendor/:tenant',
    {
      schema: {
        summary: 'Deletes a tenant: its projects, root credentials and keys, journal entries and faults',
        description:
          'Its credentials are refused at once, on every instance. A demo or seed tenant comes back on the next global or vendor reset, or restart.',
        params: tenantParams,
        response: { 200: deletedTenant, 404: errorResponse },
      },
    },
    async (request) => {
      const { vendor, tenant } = request.params;
      const removed = await deleteTenant(vendor, tenant);
      if (!removed) throw new StatusError(404, `no ${vendor} tenant ${tenant}`);
      return { vendor, tenant, removed };
    },
  );
};
